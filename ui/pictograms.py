"""Line pictograms for the home tiles, drawn with QPainter in the theme's colour.

A resident who reads slowly finds the tile by its picture first (a magnifier, books, a
speech bubble …). Drawn, not files: they follow the text size and high contrast exactly,
need no image plug-in and carry no third-party licence.
"""

from __future__ import annotations

from collections.abc import Callable

from ui.qt import QColor, QPainter, QPainterPath, QPen, QPixmap, QPointF, QRectF, Qt

# Each draws on a 48 × 48 canvas; the painter is scaled to the pictogram's size.
Draw = Callable[[QPainter], None]


def _search(p: QPainter) -> None:
    p.drawEllipse(QRectF(6, 6, 26, 26))
    p.drawLine(QPointF(29, 29), QPointF(42, 42))


def _bookshelf(p: QPainter) -> None:
    p.drawRect(QRectF(7, 10, 8, 30))
    p.drawRect(QRectF(17, 14, 8, 26))
    path = QPainterPath(QPointF(28, 16))  # a book leaning on the others
    path.lineTo(35, 13)
    path.lineTo(43, 38)
    path.lineTo(36, 41)
    path.closeSubpath()
    p.drawPath(path)
    p.drawLine(QPointF(4, 42), QPointF(45, 42))


def _qa(p: QPainter) -> None:
    path = QPainterPath()
    path.addRoundedRect(QRectF(5, 6, 38, 27), 6, 6)
    p.drawPath(path)
    p.drawPolyline([QPointF(14, 33), QPointF(12, 42), QPointF(22, 33)])
    question = QPainterPath(QPointF(19, 15))
    question.cubicTo(19, 9, 30, 9, 30, 15)
    question.cubicTo(30, 19, 24, 19, 24, 24)
    p.drawPath(question)
    p.drawPoint(QPointF(24, 28.5))


def _contest(p: QPainter) -> None:
    cup = QPainterPath(QPointF(14, 7))
    cup.lineTo(34, 7)
    cup.cubicTo(34, 22, 30, 27, 24, 27)
    cup.cubicTo(18, 27, 14, 22, 14, 7)
    p.drawPath(cup)
    p.drawArc(QRectF(6, 9, 10, 10), 90 * 16, 180 * 16)
    p.drawArc(QRectF(32, 9, 10, 10), -90 * 16, 180 * 16)
    p.drawLine(QPointF(24, 27), QPointF(24, 35))
    p.drawRect(QRectF(15, 35, 18, 6))


def _notices(p: QPainter) -> None:
    p.drawRect(QRectF(6, 8, 36, 32))
    p.drawRect(QRectF(11, 14, 12, 10))
    for y in (15.0, 20.0, 25.0):
        p.drawLine(QPointF(27, y), QPointF(37, y))
    for y in (30.0, 35.0):
        p.drawLine(QPointF(11, y), QPointF(37, y))


def _legal_aid(p: QPainter) -> None:
    p.drawLine(QPointF(24, 6), QPointF(24, 40))
    p.drawLine(QPointF(8, 12), QPointF(40, 12))
    p.drawLine(QPointF(15, 41), QPointF(33, 41))
    for x in (11.0, 37.0):  # a pan hanging from each end of the beam
        p.drawLine(QPointF(x, 12), QPointF(x - 6, 26))
        p.drawLine(QPointF(x, 12), QPointF(x + 6, 26))
        p.drawArc(QRectF(x - 7, 19, 14, 12), 180 * 16, 180 * 16)


DRAWINGS: dict[str, Draw] = {
    "search": _search,
    "bookshelf": _bookshelf,
    "qa": _qa,
    "contest": _contest,
    "notices": _notices,
    "legal_aid": _legal_aid,
}


def pictogram(name: str, side: int, color: str, ratio: float = 1.0) -> QPixmap:
    """The named pictogram, `side` logical pixels square, in `color`; an empty (transparent)
    pixmap for a name without a drawing. `ratio`: the screen's device pixel ratio."""
    pixmap = QPixmap(round(side * ratio), round(side * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    draw = DRAWINGS.get(name)
    if draw is None:
        return pixmap
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(side / 48, side / 48)
    pen = QPen(QColor(color), 3.2)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    draw(p)
    p.end()
    return pixmap
