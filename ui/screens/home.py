"""Home: six big tiles, the language toggle and the library's state in plain words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.i18n import N_, language, set_language, tr
from ui.pictograms import pictogram
from ui.qt import (
    QGridLayout,
    QLabel,
    QSize,
    QSizePolicy,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.screens import registry
from ui.screens.registry import has_screen, register_screen
from ui.theme import Theme
from ui.widgets import PanelButton, Screen, button, label

if TYPE_CHECKING:
    from ui.shell import Shell

# (screen name, Vietnamese label, what is inside in a few words; ui.pictograms draws each)
TILES = (
    ("search", N_("Tra cứu pháp luật"), N_("Tìm luật, nghị định, điều khoản")),
    ("bookshelf", N_("Tủ sách pháp luật"), N_("Sách, cẩm nang, tờ gấp, chuyện pháp luật")),
    ("qa", N_("Hỏi đáp"), N_("Câu hỏi thường gặp, gửi câu hỏi của bạn")),
    ("contest", N_("Cuộc thi"), N_("Thi tìm hiểu pháp luật")),
    ("notices", N_("Tin tức & đối thoại chính sách"), N_("Tin mới, góp ý về chính sách")),
    ("legal_aid", N_("Trợ giúp pháp lý"), N_("Ai được giúp miễn phí, liên hệ ở đâu")),
)


class Tile(PanelButton):
    """A home tile: a pictogram, the caption and a line saying what is inside.

    The button keeps the caption as its text (what a screen reader announces) but paints
    only its panel; the labels inside draw the rest, so the line under the caption can be
    smaller than it and every line wraps instead of being clipped."""

    def __init__(self, name: str, caption: str, hint: str) -> None:
        """caption, hint: Vietnamese source strings; HomeScreen._update_tile shows the caption
        translated (and marked `sắp có` while its screen is missing)."""
        super().__init__()
        self.name, self.source = name, caption
        self.setProperty("role", "tile")
        self.setObjectName(f"tile_{name}")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.picture = QLabel()
        self.caption = label("", "title", name=f"tile_{name}_caption")
        self.hint = label(tr(hint), "tile_hint", name=f"tile_{name}_hint")
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        for part in (self.picture, self.caption, self.hint):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            part.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(part)
        lay.addStretch(1)

    def set_caption(self, text: str) -> None:
        self.setText(text.replace("&", "&&"))  # a lone & would be a mnemonic
        self.caption.setText(text)

    def restyle(self, theme: Theme) -> None:
        """Draw the pictogram for this text size and contrast (muted while disabled)."""
        c = theme.colors
        color = c.accent if self.isEnabled() else c.muted
        side = round(theme.target * 1.4)
        self.picture.setPixmap(pictogram(self.name, side, color, self.devicePixelRatioF()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # The labels' own height, not the caption's one line: nothing is ever cut.
        return self.layout().minimumSize().expandedTo(super().minimumSizeHint())


class HomeScreen(Screen):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Thư viện pháp luật"))
        self._painted = False
        self.welcome = label(tr("Chạm vào một ô để bắt đầu."), "title", name="welcome")
        self.status = label("", "notice", name="library_status")
        self.status.hide()
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setSpacing(self.theme.gap)
        self.tiles: dict[str, Tile] = {}
        for i, (name, text, hint) in enumerate(TILES):
            grid.addWidget(self._tile(name, text, hint), i // 3, i % 3)
        other = "English" if language() == "vi" else "Tiếng Việt"
        self.lang_button = button(other, self._toggle_language, name="language")
        self.layout_.addWidget(self.welcome)
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(grid_box, 1)
        self.layout_.addWidget(self.lang_button)
        self.refresh()

    def _tile(self, name: str, text: str, hint: str) -> Tile:
        tile = Tile(name, text, hint)
        tile.clicked.connect(lambda _checked=False: self.shell.navigate(name))
        self._update_tile(tile)
        self.tiles[name] = tile
        return tile

    def _update_tile(self, tile: Tile) -> None:
        ready = has_screen(tile.name)
        caption = tr(tile.source)
        if not ready and registry.loaded:
            caption += "\n(" + tr("sắp có") + ")"
        tile.set_caption(caption)
        tile.setEnabled(ready)
        tile.restyle(self.theme)

    def on_screens_loaded(self) -> None:
        """After every screen module has loaded: enable tiles, mark the missing ones."""
        for tile in self.tiles.values():
            self._update_tile(tile)

    def on_theme(self) -> None:
        for tile in self.tiles.values():
            tile.restyle(self.theme)

    def refresh(self) -> None:
        """Show the library's state: opening, missing/corrupt, or empty."""
        ctx = self.shell.ctx
        text = ""
        if ctx.loading:
            text = tr("Đang mở thư viện pháp luật…")
        elif ctx.library is None:
            text = (
                ctx.error_text(ctx.library_error)
                + "\n"
                + tr("Tra cứu tạm thời chưa dùng được. Vui lòng báo cán bộ phường/xã.")
            )
        elif not (ctx.info.get("counts") or {}).get("documents", 1):
            text = tr("Thư viện chưa có văn bản nào. Cán bộ phường/xã cần nạp dữ liệu.")
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _toggle_language(self) -> None:
        set_language("en" if language() == "vi" else "vi")
        self.shell.rebuild_home()

    def paintEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt override
        super().paintEvent(ev)
        if not self._painted:
            self._painted = True
            from ui import events
            from ui.qt import QTimer

            events.emit("home_painted")
            QTimer.singleShot(0, self.shell.first_paint_done)


register_screen("home", lambda shell, **kw: HomeScreen(shell))
