"""The Qt-free resident session: wipe forgets everything and always completes."""

from __future__ import annotations

from kiosk.session import Session


def test_wipe_forgets_everything_and_runs_every_hook() -> None:
    s = Session()
    assert s.touch() is True and s.touch() is False
    s.query = "thừa kế"
    s.note("search:thừa kế")
    s.open_doc("91-2015-qh13")
    s.form_fields["phone"] = "0912345678"
    s.printed_pages = 3
    calls = []

    def broken() -> None:
        raise RuntimeError("a hook that fails must not stop the wipe")

    s.register_wipe_hook(broken)
    s.register_wipe_hook(lambda: calls.append("contest entry dropped"))
    assert not s.is_clean()
    s.wipe()
    assert s.is_clean()
    assert calls == ["contest entry dropped"]
    assert s.wipes == 1
    assert s.touch() is True  # the next person starts a new session
