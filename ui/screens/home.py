"""Home: six big tiles, the language toggle and the library's state in plain words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.i18n import N_, language, set_language, tr
from ui.qt import QGridLayout, QPushButton, QWidget
from ui.screens import registry
from ui.screens.registry import has_screen, register_screen
from ui.widgets import Screen, button, label

if TYPE_CHECKING:
    from ui.shell import Shell

# (screen name, navigate kwargs, Vietnamese label)
TILES = (
    ("search", {}, N_("Tra cứu pháp luật")),
    ("bookshelf", {}, N_("Tủ sách pháp luật")),
    ("qa", {}, N_("Hỏi đáp")),
    ("contest", {}, N_("Cuộc thi")),
    ("notices", {}, N_("Tin tức & đối thoại chính sách")),
    ("legal_aid", {}, N_("Trợ giúp pháp lý")),
)


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
        self.tiles: dict[str, QPushButton] = {}
        for i, (name, kwargs, text) in enumerate(TILES):
            tile = self._tile(name, kwargs, text)
            grid.addWidget(tile, i // 3, i % 3)
        other = "English" if language() == "vi" else "Tiếng Việt"
        self.lang_button = button(other, self._toggle_language, name="language")
        self.layout_.addWidget(self.welcome)
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(grid_box, 1)
        self.layout_.addWidget(self.lang_button)
        self.refresh()

    def _tile(self, name: str, kwargs: dict, text: str) -> QPushButton:
        ready = has_screen(name)
        caption = tr(text).replace("&", "&&")  # a lone & would be a mnemonic
        if not ready:
            caption += "\n(" + tr("sắp có") + ")"
        tile = button(
            caption, lambda: self.shell.navigate(name, **kwargs), role="tile", name=f"tile_{name}"
        )
        tile.setProperty("caption", text)  # the source string: _update_tile re-translates it
        tile.setMinimumHeight(self.theme.target * 2)
        tile.setEnabled(ready)
        from ui.qt import QSizePolicy

        tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.tiles[name] = tile
        return tile

    def _update_tile(self, name: str, tile: QPushButton) -> None:
        ready = has_screen(name)
        caption = tr(tile.property("caption")).replace("&", "&&")  # a lone & is a mnemonic
        if not ready and registry.loaded:
            caption += "\n(" + tr("sắp có") + ")"
        tile.setText(caption)
        tile.setEnabled(ready)

    def on_screens_loaded(self) -> None:
        """After every screen module has loaded: enable tiles, mark the missing ones."""
        for name, tile in self.tiles.items():
            self._update_tile(name, tile)

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
