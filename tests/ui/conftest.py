"""UI test fixtures: one demo library per session, a fresh shell per test, and a guard that
fails a test on any unexpected Qt warning (as qutebrowser does): a warning is a bug here."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("QT_IM_MODULE", None)

# Messages Qt prints in the offscreen/Xvfb test setup that say nothing about our code.
IGNORED_QT = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
    "This plugin does not support grabbing the keyboard",
    "QFont::setPointSize",
    "propagateSizeHints",
    # No audio server on a headless test machine; QtMultimedia says so when a demo video plays.
    "pipewire-0.3",
    # No VA-API (GPU video decoding) libraries either: said once, when the first video opens.
    "Couldn't load va",
    "Couldn't resolve va",
    "PulseAudioService: pa_context_connect() failed",
    # A touch stops the loop while a demo video is still opening (FFmpeg interrupt, harmless).
    "FFmpeg error description: Immediate exit requested",
    # QtMultimedia offscreen has no GPU: it converts video frames on the CPU and says so.
    "No RHI backend",
    # FFmpeg probes VA-API for hardware decoding; a machine without libva decodes in software.
    "Couldn't load va",
    "Couldn't resolve va",
    # QScroller's touch gesture starting over a child card: Qt notes it, then scrolls anyway.
    "QGestureManager::deliverEvents: could not find the target for gesture",
)


@pytest.fixture(autouse=True)
def fail_on_qt_warnings(request: pytest.FixtureRequest):
    """Fail the test when Qt logs a warning we did not expect."""
    if "qtlog" not in request.fixturenames:
        yield
        return
    qtlog = request.getfixturevalue("qtlog")
    yield
    from pytestqt.qt_compat import qt_api

    bad = [
        r.message
        for r in qtlog.records
        if r.type in (qt_api.QtCore.QtMsgType.QtWarningMsg, qt_api.QtCore.QtMsgType.QtCriticalMsg)
        and not any(s in r.message for s in IGNORED_QT)
    ]
    assert not bad, f"unexpected Qt warnings: {bad}"


@pytest.fixture
def publisher_key(home: Path, tmp_path: Path) -> Path:
    """The publisher's sealing key installed in HOME, as on an enrolled kiosk (contest entries
    and contact details are offered only then); returns the private half."""
    from sync.sealing import generate_keypair, install_public

    private, public = generate_keypair(tmp_path / "publisher-keys")
    install_public(home, public)
    return private


@pytest.fixture
def make_shell(qtbot, qtlog, home: Path, demo_library: Path):  # noqa: ANN001, ANN201
    """Factory: a real shell on the demo library (settings overridable); closed afterwards."""
    from kiosk import settings as st
    from ui import app as uiapp

    made = []
    old_hook = sys.excepthook

    def make(library: Path | None = demo_library, wait: bool = True, **overrides):  # noqa: ANN202
        settings = st.Settings(library=str(library) if library else "", **overrides)
        _app, shell = uiapp.create(home, windowed=True, settings=settings)
        shell.resize(1280, 800)
        qtbot.addWidget(shell)
        made.append(shell)
        if wait:
            qtbot.waitUntil(lambda: shell.library_state != "loading", timeout=60000)
            qtbot.wait(10)
        return shell

    yield make
    for shell in made:
        shell.ctx.ops.wait()
        shell.allow_close()
        shell.close()
    from ui.i18n import set_language

    set_language("vi")
    sys.excepthook = old_hook


def type_text(widget, text: str) -> None:  # noqa: ANN001
    """Type like an input method would: one commit per character (keyClicks aborts on Vietnamese)."""
    from ui.qt import QApplication, QInputMethodEvent

    widget.setFocus()
    for ch in text:
        ev = QInputMethodEvent("", [])
        ev.setCommitString(ch)
        QApplication.sendEvent(widget, ev)


def shown(root) -> bool:  # noqa: ANN001
    """Whether Qt has shown every widget added to a layout under `root` while it was on screen.

    Qt shows such a widget on the event loop's next turn: until then it is not visible, its
    box layout counts it as empty, and sizes, positions and isVisible() are stale. A test that
    waited for what the handler adding the widgets sets (an answer, a list) waits for this too
    before it reads them (a slow machine runs the test in between)."""
    from ui.qt import Qt, QWidget

    on_purpose = Qt.WidgetAttribute.WA_WState_ExplicitShowHide  # hidden by hide()
    return not any(
        w.isHidden()
        and not w.testAttribute(on_purpose)
        and not w.isWindow()
        and w.parentWidget().isVisible()
        for w in root.findChildren(QWidget)
    )


def above_keyboard(shell, covered: int) -> bool:  # noqa: ANN001
    """Whether the screens end `covered` pixels above the window's bottom: keyboard_covers()
    sets the margin at once, the layout moves the screens on a later turn of the event loop."""
    from ui.qt import QPoint

    stack = shell.stack
    return stack.mapTo(shell, QPoint(0, stack.height())).y() <= shell.height() - covered


def doc_view(tree: tuple = (), pages: tuple[str, ...] = (), **info: object):  # noqa: ANN201
    """A DocumentView for Qt-free tests: a current, central Luật unless `info` says otherwise."""
    from offline_index.document_view import DocumentView

    base: dict[str, object] = {
        **dict.fromkeys(("id", "number", "title", "issuer", "signer", "summary", "pdf"), ""),
        **dict.fromkeys(("issued", "effective", "year"), None),
        "kind": "Luật",
        "validity": "in_force",
        "scope": "central",
        "source_url": "",
        "page_count": len(pages),
        "article_count": 0,
        "publisher_validity": "in_force",
        "validity_source": "publisher",
        "fields": (),
        "validity_vi": "Còn hiệu lực",
    }
    return DocumentView(
        **(base | info),
        relations=(),
        currency=None,
        article_status={},
        in_force=True,
        status_notice="",
        status_notice_vi="",
        tree=tree,
        pages=pages,
        scan=None,
    )
