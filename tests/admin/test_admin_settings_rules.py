"""The librarian's settings screen keeps to the settings' declared rules: a value the
declaration does not allow is refused with the setting named, and nothing of the form is
stored; the text-size choices are the declared ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import admin
from kiosk import settings as st
from kiosk.state import open_state

from .helpers import PIN, login

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from ui.shell import Shell


def test_the_screen_refuses_what_the_declaration_does_not_allow(
    qtbot: QtBot, home: Path, make_shell: Callable[..., Shell]
) -> None:
    admin.set_pin(open_state(home), PIN)
    sh = make_shell()
    login(qtbot, sh)
    sh.navigate("admin_settings")
    screen = sh.current
    box = screen.inputs["text_size"]
    assert [box.itemData(i) for i in range(box.count())] == list(st.BY_NAME["text_size"].choices)
    screen.inputs["ward_name"].setText("Xã Minh Phú")
    screen.inputs["stats_min_count"].setText("1")  # would drop the reports' privacy floor
    screen.save()
    said = screen.message.text()
    assert "Không lưu được" in said and "stats_min_count" in said and "5 or more" in said
    values = st.load(home, open_state(home))
    assert (values.stats_min_count, values.ward_name) == (5, "")  # nothing of the form stored
    screen.inputs["stats_min_count"].setText("8")  # raising the floor is allowed
    screen.save()
    assert st.load(home, open_state(home)).stats_min_count == 8
