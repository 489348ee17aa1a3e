"""Text size and contrast: the whole UI restyles and reflows at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.i18n import N_, tr
from ui.screens.registry import register_screen
from ui.widgets import Screen, button, chip_row, label

if TYPE_CHECKING:
    from ui.shell import Shell

SIZES = (("normal", N_("Chữ thường")), ("large", N_("Chữ lớn")), ("xlarge", N_("Chữ rất lớn")))


class AccessibilityScreen(Screen):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Cỡ chữ và độ tương phản"))
        self.layout_.addWidget(label(tr("Chọn cỡ chữ:"), "title"))
        box, self.size_buttons = chip_row(
            [(tr(text), lambda s=size: self.set_size(s)) for size, text in SIZES],
            checkable=True,
            name="sizes",
        )
        for btn, (size, _t) in zip(self.size_buttons, SIZES, strict=True):
            btn.setObjectName(f"size_{size}")
        self.layout_.addWidget(box)
        self.contrast = button(
            tr("Tương phản cao"), self.toggle_contrast, checkable=True, name="contrast"
        )
        self.layout_.addWidget(self.contrast)
        self.layout_.addWidget(
            label(
                tr(
                    "Mẫu chữ: Công dân có quyền tự do kinh doanh trong những ngành nghề mà pháp luật "
                    "không cấm."
                ),
                "notice",
                name="sample",
            )
        )
        self.layout_.addWidget(
            label(tr("Trong màn hình đọc văn bản, chạm «Đọc to» để nghe nội dung."))
        )
        self.layout_.addStretch(1)
        self._sync()

    def _sync(self) -> None:
        theme = self.theme
        for btn, (size, _t) in zip(self.size_buttons, SIZES, strict=True):
            btn.setChecked(theme.text_size == size)
        self.contrast.setChecked(theme.high_contrast)

    def set_size(self, size: str) -> None:
        self.shell.ctx.theme = self.theme.with_(text_size=size)
        self.shell.apply_theme()
        self._sync()

    def toggle_contrast(self) -> None:
        self.shell.ctx.theme = self.theme.with_(high_contrast=not self.theme.high_contrast)
        self.shell.apply_theme()
        self._sync()


register_screen("accessibility", lambda shell, **kw: AccessibilityScreen(shell))
