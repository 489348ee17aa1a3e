"""Sizes and colours for a touch kiosk, scaled by the screen's DPI.

The reference screen is 21.5" 1920x1080 (about 102 dpi): a 15 mm touch target is about
60 px there. Everything is derived from millimetres so a denser screen gets bigger
pixels, never smaller targets. Three text sizes; a high-contrast theme.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ui.icons import icon_path

MM_PER_INCH = 25.4
REFERENCE_DPI = 102.0
TARGET_MM = 15.0
TEXT_SIZES = ("normal", "large", "xlarge")
# Body text height in mm for each preset (about 22 / 29 / 37 px at 102 dpi).
_BODY_MM = {"normal": 5.5, "large": 7.2, "xlarge": 9.2}


@dataclass(frozen=True)
class Palette:
    bg: str
    fg: str
    muted: str
    panel: str
    accent: str
    accent_fg: str
    border: str
    warn_bg: str
    warn_fg: str
    ok: str
    mark_bg: str
    mark_fg: str
    off: str  # text of what cannot be used now (a disabled button, a closed contest)


NORMAL = Palette(
    bg="#f7f7f4",
    fg="#1a1a1a",
    muted="#4a4a4a",
    panel="#ffffff",
    accent="#0b5cad",
    accent_fg="#ffffff",
    border="#8a8a8a",
    warn_bg="#b00020",
    warn_fg="#ffffff",
    ok="#1e6b2f",
    mark_bg="#ffe066",
    mark_fg="#000000",
    off="#4a4a4a",
)
# Warnings (a text no longer in force) must not look like the yellow action buttons, and
# what cannot be used must not look like what can (muted is white here).
HIGH_CONTRAST = Palette(
    bg="#000000",
    fg="#ffffff",
    muted="#ffffff",
    panel="#000000",
    accent="#ffff00",
    accent_fg="#000000",
    border="#ffffff",
    warn_bg="#ff9999",
    warn_fg="#000000",
    ok="#00ff66",
    mark_bg="#00ffff",
    mark_fg="#000000",
    off="#9a9a9a",
)


@dataclass(frozen=True)
class Theme:
    dpi: float = REFERENCE_DPI
    text_size: str = "normal"
    high_contrast: bool = False

    def mm(self, value: float) -> int:
        return max(1, round(value * self.dpi / MM_PER_INCH))

    @property
    def target(self) -> int:
        """Smallest touch target side (15 mm)."""
        return self.mm(TARGET_MM)

    @property
    def body_px(self) -> int:
        return self.mm(_BODY_MM.get(self.text_size, _BODY_MM["normal"]))

    @property
    def title_px(self) -> int:
        return round(self.body_px * 1.35)

    @property
    def small_px(self) -> int:
        # Secondary lines (dates, freshness, where a hit comes from) are read from ~2 m by
        # old eyes too: never under 5 mm (20 px on the reference screen), 90 % of body text.
        return max(self.mm(5.0), round(self.body_px * 0.9))

    @property
    def gap(self) -> int:
        return self.mm(3)

    @property
    def colors(self) -> Palette:
        return HIGH_CONTRAST if self.high_contrast else NORMAL

    def with_(self, **changes: object) -> Theme:
        return replace(self, **changes)  # type: ignore[arg-type]

    def stylesheet(self) -> str:
        """One application-wide style sheet; widgets pick roles via the `role` property."""
        c, t = self.colors, self.target
        return f"""
* {{ font-size: {self.body_px}px; color: {c.fg}; }}
QMainWindow, QWidget#screen, QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget
  {{ background: {c.bg}; }}
QLabel[role="title"] {{ font-size: {self.title_px}px; font-weight: bold; }}
QLabel[role="field"] {{ font-size: {self.title_px}px; font-weight: bold; }}
QLabel[role="small"], QLabel[role="fresh"] {{ font-size: {self.small_px}px; color: {c.muted}; }}
QLabel[role="banner"] {{ background: {c.warn_bg}; color: {c.warn_fg}; font-weight: bold;
  padding: {self.gap}px; border-radius: 6px; }}
QLabel[role="cta"] {{ background: {c.accent}; color: {c.accent_fg}; font-weight: bold;
  padding: {self.gap}px; border-radius: 10px; min-height: {t - 2 * self.gap}px; }}
QLabel[role="notice"] {{ border: 2px solid {c.border}; padding: {self.gap}px; border-radius: 6px; }}
QFrame#topbar, QFrame#bottombar {{ background: {c.panel}; border-bottom: 2px solid {c.border}; }}
QFrame#bottombar {{ border-top: 2px solid {c.border}; border-bottom: none; }}
QPushButton {{ min-height: {t}px; min-width: {t}px; padding: 4px {self.gap}px;
  background: {c.panel}; border: 3px solid {c.border}; border-radius: 10px; }}
QPushButton:pressed {{ background: {c.accent}; color: {c.accent_fg}; }}
QPushButton:disabled {{ color: {c.off}; border-style: dashed; }}
QPushButton[role="primary"], QPushButton:checked {{ background: {c.accent}; color: {c.accent_fg};
  border-color: {c.accent}; }}
QPushButton[role="primary"]:disabled {{ background: {c.panel}; color: {c.off};
  border-color: {c.border}; }}
QPushButton[role="tile"] {{ font-size: {self.title_px}px; font-weight: bold; padding: {self.gap}px;
  text-align: center; }}
QPushButton[panel="true"]:pressed {{ background: {c.panel}; border: 6px solid {c.accent}; }}
QPushButton[panel="true"] QLabel:disabled {{ color: {c.off}; }}
QPushButton[role="tile"][primary="true"] {{ background: {c.accent}; color: {c.accent_fg};
  border-color: {c.accent}; }}
QPushButton[role="tile"][primary="true"]:disabled {{ background: {c.panel}; color: {c.off};
  border-color: {c.border}; }}
QPushButton[role="hit"] {{ text-align: left; padding: {self.gap}px; }}
QFrame[role="hit"], QFrame[role="card"] {{ background: {c.panel}; border: 2px solid {c.border};
  border-radius: 10px; }}
QFrame[role="hit"][down="true"], QFrame[role="card"][down="true"] {{ border: 6px solid {c.accent};
  }}
QFrame[role="card"][off="true"] {{ border-style: dashed; }}
QFrame[role="card"][off="true"] QLabel {{ color: {c.off}; }}
QPushButton[role="chip"] {{ border-radius: {t // 2}px; }}
QPushButton[role="more"] {{ background: {c.panel}; color: {c.accent}; border: 3px solid {c.accent};
  font-weight: bold; }}
QLineEdit {{ min-height: {t}px; padding: 0 {self.gap}px; border: 3px solid {c.accent};
  border-radius: 10px; background: {c.panel}; font-size: {self.title_px}px; }}
QComboBox {{ min-height: {t}px; padding: 0 {self.gap}px; border: 3px solid {c.accent};
  border-radius: 10px; background: {c.panel}; color: {c.fg}; font-size: {self.title_px}px; }}
QComboBox::drop-down {{ width: {t}px; border-left: 3px solid {c.accent}; }}
QComboBox::down-arrow {{ width: {self.mm(5)}px; height: {self.mm(5)}px;
  image: url({icon_path("down-arrow-contrast" if self.high_contrast else "down-arrow-normal")}); }}
QComboBox QAbstractItemView {{ background: {c.panel}; color: {c.fg};
  selection-background-color: {c.accent}; selection-color: {c.accent_fg}; }}
QComboBox QAbstractItemView::item {{ min-height: {t}px; }}
QTextBrowser {{ background: {c.panel}; border: 2px solid {c.border}; padding: {self.gap}px; }}
QPlainTextEdit {{ background: {c.panel}; border: 3px solid {c.accent}; border-radius: 10px;
  padding: {self.gap}px; font-size: {self.title_px}px; min-height: {t * 2}px; }}
QListWidget {{ background: {c.panel}; border: 2px solid {c.border}; }}
QListWidget::item {{ min-height: {t}px; padding: 0 {self.gap}px; border-bottom: 1px solid {c.border}; }}
QListWidget::item:selected {{ background: {c.accent}; color: {c.accent_fg}; }}
QListView[role="table"] {{ background: {c.panel}; border: 2px solid {c.border}; }}
QScrollBar:vertical {{ width: {self.mm(9)}px; background: {c.panel}; }}
QScrollBar::handle:vertical {{ min-height: {t}px; background: {c.border}; border-radius: 6px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar:horizontal {{ height: {self.mm(9)}px; background: {c.panel}; }}
QScrollBar::handle:horizontal {{ min-width: {t}px; background: {c.border}; border-radius: 6px; }}
"""

    def mark_css(self) -> str:
        """CSS for rich text (snippets and the reader), where <mark> shows search terms."""
        c = self.colors
        return (
            f"mark {{ background-color: {c.mark_bg}; color: {c.mark_fg}; }}"
            f" body {{ color: {c.fg}; }} .amended {{ color: {c.warn_bg}; font-weight: bold; }}"
            f" .in_force {{ color: {c.ok}; font-weight: bold; }}"
            f" h2, h3 {{ margin-top: 0.6em; }}"
            f" .cited {{ background-color: {c.mark_bg}; color: {c.mark_fg}; font-weight: bold; }}"
        )
