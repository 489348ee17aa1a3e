"""The only module that imports PySide6.

Everything in ui/ takes Qt names from here, so the binding, its version quirks and the
optional add-on modules (multimedia, printing, PDF) are handled in one place. Add-ons
are imported lazily because each costs start-up time the resident would wait for.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from types import ModuleType

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QLocale,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    QTranslator,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QImage,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

__all__ = [
    "QtCore",
    "QtGui",
    "QtWidgets",
    "QCoreApplication",
    "QElapsedTimer",
    "QEvent",
    "QLocale",
    "QObject",
    "QPoint",
    "QPointF",
    "QRect",
    "QRectF",
    "QRunnable",
    "QSize",
    "Qt",
    "QThreadPool",
    "QTimer",
    "QTranslator",
    "QUrl",
    "Signal",
    "Slot",
    "QColor",
    "QFont",
    "QFontMetrics",
    "QGuiApplication",
    "QImage",
    "QInputMethodEvent",
    "QKeyEvent",
    "QKeySequence",
    "QIcon",
    "QPainter",
    "QPainterPath",
    "QPalette",
    "QPen",
    "QPixmap",
    "QTextCursor",
    "QTextDocument",
    "QApplication",
    "QFrame",
    "QGridLayout",
    "QHBoxLayout",
    "QLabel",
    "QLayout",
    "QLineEdit",
    "QListWidget",
    "QListWidgetItem",
    "QMainWindow",
    "QPushButton",
    "QScrollArea",
    "QScroller",
    "QSizePolicy",
    "QStackedWidget",
    "QStyle",
    "QStyleOptionButton",
    "QStylePainter",
    "QTextBrowser",
    "QVBoxLayout",
    "QWidget",
    "isValid",
    "multimedia",
    "printsupport",
]


_loop: QtCore.QEventLoop | None = None


def process_events() -> None:
    """Run pending events (scripts, benchmarks). Never call QCoreApplication.processEvents.

    PySide6 6.12 on Python 3.11 drops a reference to None on every call of the static
    QCoreApplication.processEvents() (and QTest.qWait); a loop of a few hundred thousand
    calls ends in "Fatal Python error: none_dealloc". QEventLoop.processEvents is unaffected.
    """
    global _loop
    if _loop is None:
        _loop = QtCore.QEventLoop()
    _loop.processEvents()


def multimedia() -> ModuleType:
    """QtMultimedia, loaded on first use (video, media loop). Frames are painted from a
    QVideoSink into plain widgets, so QtMultimediaWidgets (QVideoWidget's native window kept
    X shared memory after each video screen, issue 18) is never loaded."""
    from PySide6 import QtMultimedia

    _quiet_ffmpeg()
    return QtMultimedia


AV_LOG_WARNING = 24  # libavutil/log.h


@functools.cache
def _quiet_ffmpeg() -> None:
    """Keep FFmpeg's warnings and errors, drop its per-file format dump.

    Qt Multimedia's FFmpeg backend leaves FFmpeg's own logger in place (unless
    QT_FFMPEG_DEBUG is set), and that prints every opened video's streams
    ("Input #0, mov,mp4…") on stderr: a dozen lines in the kiosk's journal per loop turn.
    The level is set on the libavutil bundled with PySide6, under the name Qt's plugin
    links (`libavutil.so.59`: the wheel's `libavutil.so` is a separate copy, not a link).
    """
    if os.environ.get("QT_FFMPEG_DEBUG"):
        return
    import ctypes
    import re

    import PySide6

    base = Path(PySide6.__file__).parent
    libs = [p for p in base.glob("Qt/lib/libavutil.so.*") if re.fullmatch(r".*\.so\.\d+", p.name)]
    for lib in sorted(libs) + sorted(base.glob("avutil-*.dll")):
        try:
            # lazily, as Qt loads it: its OpenSSL stub resolves only once Qt set it up
            ctypes.CDLL(str(lib), mode=getattr(os, "RTLD_LAZY", 0)).av_log_set_level(AV_LOG_WARNING)
            return
        except (OSError, AttributeError):
            continue


def lrelease() -> Path:
    """The `lrelease` tool the PySide6 wheel ships (ui.i18n compiles its catalogues with it)."""
    import PySide6

    return Path(PySide6.__file__).parent / "lrelease"


def quick() -> ModuleType:
    """QtQuick, for looking inside the on-screen keyboard's window (test hooks only)."""
    from PySide6 import QtQuick

    return QtQuick


def printsupport() -> ModuleType:
    """QtPrintSupport, loaded on first print."""
    from PySide6 import QtPrintSupport

    return QtPrintSupport
