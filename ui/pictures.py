"""Pictures on a screen: a QR code drawn whole and crisp at any size, and an image or video
frame fitted to its room (the media loop, the video player)."""

from __future__ import annotations

from ui.qt import QEvent, QImage, QLabel, QPainter, QRect, QSize, QSizePolicy, Qt, QWidget


class QrCode(QLabel):
    """A QR code drawn as large as its room allows, whole and crisp: whole modules of equal
    size, quiet zone included (a code cut at its edge does not scan). `set_data` draws it."""

    def __init__(self, name: str = "", preferred: int = 240) -> None:
        super().__init__()
        if name:
            self.setObjectName(name)
        self._image = None
        self._preferred = preferred
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(1, 1)  # the code follows the room; it never grows the window
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, data: str) -> None:
        from ui.tools import qr_image

        self._image = qr_image(data, module_px=1)
        self._draw()

    def forget(self) -> None:
        """Drop the code (a resident's ticket must not outlive the session)."""
        self._image = None
        self.clear()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._preferred, self._preferred)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(1, 1)

    def resizeEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt override
        super().resizeEvent(ev)
        self._draw()

    def _draw(self) -> None:
        from ui.qt import QPixmap

        if self._image is None:
            self.clear()
            return
        modules = self._image.width()
        side = max(1, min(self.width(), self.height()) // modules) * modules
        pix = QPixmap.fromImage(self._image).scaled(side, side)  # nearest: modules stay sharp
        self.setPixmap(pix)


class Picture(QWidget):
    """An image or video frame, as large as the room allows, aspect ratio kept, letterboxed.

    Video is painted here from a QVideoSink rather than shown in a QVideoWidget: that one is
    a native child window with its own X shared-memory buffer, and Qt kept the buffer after
    the widget was deleted (5.3 MB per video watched; issue 18)."""

    def __init__(self, name: str) -> None:
        super().__init__(objectName=name)
        self.setMinimumSize(1, 1)
        self.image: QImage | None = None

    def set_image(self, image: QImage | None) -> None:
        self.image = image if image is not None and not image.isNull() else None
        self.update()

    def paintEvent(self, ev: QEvent) -> None:  # noqa: N802 - Qt override
        if self.image is None:
            return
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)  # letterbox, as on a TV
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = (self.width() - size.width()) // 2
        y = (self.height() - size.height()) // 2
        painter.drawImage(QRect(x, y, size.width(), size.height()), self.image)
        painter.end()
