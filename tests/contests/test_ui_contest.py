"""Contest screens on a real library (pytest-qt, offscreen): images, durable answers, idle wipe."""

from __future__ import annotations

from pathlib import Path


def _open_take(qtbot, shell, contest_id: str):  # noqa: ANN001, ANN202
    screen = shell.navigate("contest_take", contest_id=contest_id)
    qtbot.waitUntil(lambda: hasattr(screen, "form"), timeout=5000)
    return screen


def _fill(screen, name: str = "Nguyễn Thị An", year: str = "1970") -> None:  # noqa: ANN001
    form = screen.form
    form.name.setText(name)
    form.year.setText(year)
    form.ward.setText("Láng Hạ")
    form.consent.click()


def test_contest_list_shows_demo_contests(qtbot, shell) -> None:  # noqa: ANN001
    screen = shell.navigate("contest")
    qtbot.waitUntil(lambda: len(screen.cards) == 2, timeout=5000)
    assert "atgt-gplx-2026" in screen.cards


def test_form_requires_consent(qtbot, shell) -> None:  # noqa: ANN001
    screen = _open_take(qtbot, shell, "atgt-gplx-2026")
    screen.form.name.setText("Nguyễn Thị An")
    screen.form.year.setText("1970")
    screen.form.ward.setText("Láng Hạ")
    screen.form.findChild(type(screen.form.consent), "start").click()
    assert screen.attempt is None
    assert "đồng ý" in screen.form.error.text()


def test_attempt_with_images_and_durable_answers(qtbot, shell, home: Path) -> None:  # noqa: ANN001
    screen = _open_take(qtbot, shell, "atgt-gplx-2026")
    _fill(screen)
    screen.form.findChild(type(screen.form.consent), "start").click()
    attempt = screen.attempt
    assert attempt is not None and len(attempt.questions) == 25
    page = screen.question_page
    assert "Còn 19:" in page.countdown.text() or "Còn 18:59" in page.countdown.text()
    with_image = next(i for i in range(25) if attempt.questions[i].image)
    page.show_question(with_image)
    pix = page.image.pixmap()
    assert page.image.isVisibleTo(page) and max(pix.width(), pix.height()) >= 320  # shown large
    page.show_question(with_image)  # again: the previous buttons must not linger
    choices = attempt.questions[with_image].choices
    assert [b.text() for b in page.buttons] == [f"{k + 1}. {c.text}" for k, c in enumerate(choices)]
    assert page.answer_box.layout_.count() == len(choices)
    page.buttons[0].click()
    assert page.buttons[0].isChecked()
    assert page.buttons[0].height() >= shell.ctx.theme.target
    from kiosk.state import open_state

    rows = list(open_state(home).query("SELECT q_index FROM contest_answers"))
    assert rows == [{"q_index": with_image}]  # committed as given
    crit = next(i for i in range(25) if attempt.questions[i].critical)
    page.show_question(crit)
    assert page.critical.isVisibleTo(page)
    for i, q in enumerate(attempt.questions):
        page.show_question(i)
        right = next(k for k, c in enumerate(q.choices) if c.correct)
        page.buttons[right].click()
    page.finish.click()
    assert screen.prediction_page.unanswered.isHidden()  # every question answered: no warning
    screen.prediction_page.guess.setText("500")
    screen.prediction_page.findChild(type(page.finish), "submit").click()
    assert screen.result is not None and screen.result.correct == 25 and screen.result.passed
    db = open_state(home)
    assert db["contest_attempts"].count == 0 and db["outbox"].count == 1


def test_result_links_article_in_reader(qtbot, shell) -> None:  # noqa: ANN001
    screen = _open_take(qtbot, shell, "phap-luat-doi-song-2026")
    _fill(screen)
    screen.form.findChild(type(screen.form.consent), "start").click()
    screen.question_page.finish.click()
    unanswered = screen.prediction_page.unanswered  # a single attempt: said before submitting
    n = len(screen.attempt.questions)
    assert not unanswered.isHidden() and unanswered.text().startswith(f"Còn {n} câu chưa trả lời")
    screen.prediction_page.findChild(type(screen.question_page.finish), "submit").click()
    assert screen.result is not None
    cites = [
        b
        for b in screen.findChildren(type(screen.question_page.finish))
        if b.objectName().startswith("cite_")
    ]
    assert len(cites) == 15
    from ui.qt import QLabel

    right = screen.findChild(QLabel, "right_0")
    assert right.property("role") != "small" and right.text().startswith("<b>Đáp án đúng: ")
    # Why, labelled as such (it read like another answer); not when it only repeats the answer.
    for r in screen.result.rows:
        right = "; ".join(c.text for c in r.question.choices if c.id in r.correct_ids)
        why = screen.findChild(QLabel, f"why_{r.index}")
        same = r.question.explanation.strip(" .").casefold() == right.strip(" .").casefold()
        if same or not r.question.explanation:
            assert why is None, why.text()
        else:
            assert why.text() == f"Giải thích: {r.question.explanation}"
    # The draw is random: 3 of the bank's 30 questions cite a whole article. Open the first
    # that cites a clause: the reader opens there, the clause or point marked.
    row = next(r for r in screen.result.rows if r.question.citation.clause)
    first = row.question.citation
    next(b for b in cites if b.objectName() == f"cite_{row.index}").click()
    from offline_index.model import doc_id_for

    assert shell.current_name == "reader"  # one tap from the result to the article
    assert shell.current.doc_id == doc_id_for(first.doc_number)
    assert shell.current.start_key == first.article
    assert shell.current.start_cited == (first.clause, first.point or "")


def test_result_buttons_name_the_laws_held_and_number_the_rest(qtbot, shell) -> None:  # noqa: ANN001
    """The contest library holds Luật Hôn nhân và gia đình and Bộ luật Dân sự, not the other
    laws the questions cite: a button names a law it holds, else says its number."""
    names = {
        "52/2014/QH13": "Luật Hôn nhân và gia đình 52/2014/QH13",
        "91/2015/QH13": "Bộ luật Dân sự 91/2015/QH13",
    }
    screen = _open_take(qtbot, shell, "phap-luat-doi-song-2026")
    _fill(screen)
    screen.form.findChild(type(screen.form.consent), "start").click()
    screen.question_page.finish.click()
    screen.prediction_page.findChild(type(screen.question_page.finish), "submit").click()
    finish = type(screen.question_page.finish)
    for r in screen.result.rows:
        c = r.question.citation
        where = " ".join(x for x in (c.clause and f"khoản {c.clause}", f"Điều {c.article}") if x)
        point = f"điểm {c.point} " if c.point else ""
        law = names.get(c.doc_number, c.doc_number)
        text = screen.findChild(finish, f"cite_{r.index}").text()
        assert text == f"Đọc văn bản: {point}{where} {law}", text


def test_idle_wipe_mid_attempt_abandons(qtbot, shell, home: Path) -> None:  # noqa: ANN001
    screen = _open_take(qtbot, shell, "atgt-gplx-2026")
    _fill(screen)
    screen.form.findChild(type(screen.form.consent), "start").click()
    screen.question_page.buttons[0].click()
    attempt_id = screen.attempt.id
    assert (home / "contest_media" / attempt_id).exists()
    shell.go_idle()
    from kiosk.state import open_state

    db = open_state(home)
    assert db["contest_attempts"].count == 0 and db["contest_answers"].count == 0
    assert db["outbox"].count == 0  # never submitted
    assert not (home / "contest_media" / attempt_id).exists()
    raw = b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
    for secret in ("Nguyễn Thị An", "Láng Hạ"):
        assert secret.encode() not in raw


def test_home_button_mid_attempt_abandons(qtbot, shell, home: Path) -> None:  # noqa: ANN001
    screen = _open_take(qtbot, shell, "atgt-gplx-2026")
    _fill(screen)
    screen.form.findChild(type(screen.form.consent), "start").click()
    assert screen.attempt is not None
    shell.go_home()
    from kiosk.state import open_state

    assert open_state(home)["contest_attempts"].count == 0


def test_back_or_home_mid_attempt_asks_first(qtbot, shell, home: Path) -> None:  # noqa: ANN001
    """`◀ Quay lại` sits above `◀ Câu trước`: a tap on it threw the answers away unasked."""
    from kiosk.state import open_state
    from ui.qt import QPushButton

    ask = shell.confirm_leave
    _open_take(qtbot, shell, "atgt-gplx-2026")
    shell.back_button.click()  # the form, nothing begun: nothing to lose, no question
    assert not ask.isVisible() and shell.current_name == "home"
    screen = _open_take(qtbot, shell, "atgt-gplx-2026")
    _fill(screen)
    screen.form.findChild(type(screen.form.consent), "start").click()
    screen.question_page.buttons[0].click()
    for tap in (shell.back_button, shell.home_button):
        tap.click()
        assert ask.isVisible() and ask.title.text() == "Bỏ bài thi?"
        assert shell.current is screen and screen.attempt is not None
        ask.findChild(QPushButton, "leave_stay").click()  # stays: everything as it was
        assert not ask.isVisible() and shell.current is screen
    assert open_state(home)["contest_answers"].count == 1
    shell.back_button.click()
    ask.findChild(QPushButton, "leave_go").click()
    assert not ask.isVisible() and shell.current_name == "home"
    assert open_state(home)["contest_attempts"].count == 0


def test_resume_after_crash_same_person_only(qtbot, shell, home: Path) -> None:  # noqa: ANN001
    """A crashed session left an attempt: only the same person, re-identified, gets it back."""
    from kiosk import contests as C
    from kiosk.state import open_state

    db = open_state(home)
    contest = shell.ctx.library.contest("phap-luat-doi-song-2026")
    before = C.begin(
        db, home, contest, C.Participant("Nguyễn Thị An", 1970, "Láng Hạ"), consent_accepted=True
    )
    C.answer(db, before, 0, before.questions[0].choices[0].id)
    other = _open_take(qtbot, shell, "phap-luat-doi-song-2026")
    _fill(other, name="Trần Văn Bình", year="1985")
    other.form.findChild(type(other.form.consent), "start").click()
    assert other.attempt.id != before.id and other.attempt.answers == {}
    shell.go_home()
    again = _open_take(qtbot, shell, "phap-luat-doi-song-2026")
    _fill(again, name="nguyen thi an")
    again.form.findChild(type(again.form.consent), "start").click()
    assert again.attempt.id == before.id and again.attempt.answers == {0: before.answers[0]}
    assert again.question_page.findChild(type(again.form.error), "resumed") is not None
    assert again.question_page.index == 1  # opens at the first unanswered question


def test_submit_without_sealing_key_is_a_message(qtbot, shell, home: Path) -> None:  # noqa: ANN001
    """The publisher key vanished mid-attempt: the resident reads why; nothing crashes."""
    screen = _open_take(qtbot, shell, "phap-luat-doi-song-2026")
    _fill(screen)
    screen.form.findChild(type(screen.form.consent), "start").click()
    (home / "keys" / "publisher_seal.pub").unlink()
    screen.question_page.finish.click()
    screen.prediction_page.findChild(type(screen.question_page.finish), "submit").click()
    assert screen.result is None and screen.prediction_page.error.text()
    assert shell.current_name == "contest_take"


def test_list_states_not_yet_open_and_closed(qtbot, shell) -> None:  # noqa: ANN001
    from contest_helpers import make_contest

    screen = shell.navigate("contest")
    qtbot.waitUntil(lambda: len(screen.cards) == 2, timeout=5000)
    later = make_contest(
        id="later", opens="2099-09-01T08:00:00+07:00", closes="2099-10-01T00:00:00+07:00"
    )
    over = make_contest(
        id="over", opens="2020-01-01T00:00:00+07:00", closes="2020-02-01T00:00:00+07:00"
    )
    screen._show([later, over])
    from ui.qt import QLabel

    texts = " ".join(w.text() for w in screen.cards["later"].findChildren(QLabel))
    assert "08:00 ngày 01/09/2099" in texts and not screen.cards["later"].isEnabled()
    assert not screen.cards["over"].isEnabled()
    assert screen.cards["atgt-gplx-2026"].isEnabled()


def _whole_in_view(area, widget) -> bool:  # noqa: ANN001
    top = widget.mapTo(area.viewport(), widget.rect().topLeft()).y()
    return top >= 0 and top + widget.height() <= area.viewport().height()


def test_entry_form_is_reachable_at_1920x1080(qtbot, shell) -> None:  # noqa: ANN001
    """The whole form (consent and start button too) is on a 1080-line screen at the normal
    text size; at the largest, a visible bar says there is more below and scrolls to it."""
    from ui.qt import QPushButton, QScrollArea

    shell.resize(1920, 1080)
    shell.show()
    form = _open_take(qtbot, shell, "atgt-gplx-2026").form
    qtbot.wait(50)
    area = form.findChild(QScrollArea)
    more = area.findChild(QPushButton, "more_below")
    for name in ("consent", "start"):
        assert _whole_in_view(area, form.findChild(QPushButton, name)), name
    assert more is not None and not more.isVisible()  # nothing hidden: no bar
    shell.ctx.theme = shell.ctx.theme.with_(text_size="xlarge")
    shell.apply_theme()
    qtbot.wait(50)
    start = form.findChild(QPushButton, "start")
    assert not _whole_in_view(area, start) and more.isVisible()
    assert more.height() >= shell.ctx.theme.target
    for _ in range(10):
        if not more.isVisible():
            break
        more.click()
        qtbot.wait(20)
    assert not more.isVisible() and _whole_in_view(area, start)  # reached; the bar is gone


def test_no_contest_is_offered_without_the_sealing_key(qtbot, shell, home: Path) -> None:  # noqa: ANN001
    """Without the publisher's sealing key an entry could be typed but never sent: the list
    says so in plain words and offers no contest; a contest opened anyway shows no form."""
    from ui.qt import QLabel

    (home / "keys" / "publisher_seal.pub").unlink()
    screen = shell.navigate("contest")
    qtbot.waitUntil(lambda: len(screen.cards) == 2, timeout=5000)
    assert "chưa nhận bài dự thi" in screen.status.text() and screen.status.isVisibleTo(screen)
    for card in screen.cards.values():
        assert not card.isEnabled()
        assert "Chưa dự thi được tại máy này" in " ".join(
            w.text() for w in card.findChildren(QLabel)
        )
    card = next(iter(screen.cards.values()))  # it must also look untappable: dashed and muted
    shell.show()
    qtbot.waitUntil(card.isVisible, timeout=5000)
    unavailable = card.grab().toImage()
    card.setEnabled(True)
    assert card.grab().toImage() != unavailable
    take = shell.navigate("contest_take", contest_id="atgt-gplx-2026")
    qtbot.waitUntil(lambda: take.findChild(QLabel, "contest_not_here") is not None, timeout=5000)
    assert not hasattr(take, "form") and take.attempt is None


def test_prediction_field_stays_whole_above_the_keyboard(qtbot, shell) -> None:  # noqa: ANN001
    """Largest text, keyboard up: the prediction and its label are shown whole (they scroll),
    not squeezed into each other, and Nộp bài ✔ stays in view."""
    from ui.qt import QLabel, QPushButton, QScrollArea

    shell.resize(1920, 1080)
    shell.show()
    shell.ctx.theme = shell.ctx.theme.with_(text_size="xlarge")
    shell.apply_theme()
    screen = _open_take(qtbot, shell, "phap-luat-doi-song-2026")
    _fill(screen)
    screen.form.findChild(type(screen.form.consent), "start").click()
    screen.question_page.finish.click()
    page = screen.prediction_page
    shell.keyboard_covers(600)
    page.guess.setFocus()
    name = next(w for w in page.findChildren(QLabel) if w.buddy() is page.guess)
    area = page.findChild(QScrollArea)
    assert area is not None
    submit = page.findChild(QPushButton, "submit")

    def above_the_keyboard() -> bool:
        return submit.mapTo(shell, submit.rect().bottomLeft()).y() <= shell.height() - 600

    # The page is laid out above the keyboard and the field revealed by the event loop (a
    # loaded machine takes longer than a fixed wait): both, within three seconds.
    qtbot.waitUntil(
        lambda: (
            above_the_keyboard() and _whole_in_view(area, name) and _whole_in_view(area, page.guess)
        ),
        timeout=3000,
    )
    for w in (name, page.guess):
        need = w.heightForWidth(w.width()) if w.hasHeightForWidth() else w.sizeHint().height()
        assert w.height() >= need, f"{w.objectName()} squeezed: {w.height()} < {need}"
    shell.keyboard_covers(0)


def test_an_open_contest_reads_white_on_blue_and_a_closed_one_is_greyed(qtbot, shell) -> None:  # noqa: ANN001
    from ui.qt import QPalette
    from ui.widgets import Card

    colors = shell.ctx.theme.colors
    card = Card([("Cuộc thi", "title", False), ("Dự thi ▶", "cta", False)])
    qtbot.addWidget(card)
    card.show()

    def shown(i: int) -> str:
        return card.labels[i].palette().color(QPalette.ColorRole.WindowText).name()

    assert (shown(0), shown(1)) == (colors.fg, colors.accent_fg)  # a `:disabled` rule greyed both
    card.setEnabled(False)
    assert shown(0) == colors.off
    card.setEnabled(True)
    assert shown(0) == colors.fg


def test_english_mode_shows_the_consent_in_english_under_the_vietnamese(qtbot, shell) -> None:  # noqa: ANN001
    """Consent to data processing must be understood: in English the form adds what it says,
    while the Vietnamese text (the one stored with the entry) stays above it."""
    from ui.i18n import set_language
    from ui.qt import QLabel

    vi = _open_take(qtbot, shell, "atgt-gplx-2026")
    assert vi.form.findChild(QLabel, "consent_text_en") is None
    try:
        set_language("en")
        screen = _open_take(qtbot, shell, "atgt-gplx-2026")
        english = screen.form.findChild(QLabel, "consent_text_en").text()
    finally:
        set_language("vi")
    vietnamese = screen.form.findChild(QLabel, "consent_text").text()
    assert vietnamese == vi.form.findChild(QLabel, "consent_text").text()
    assert "Decree 13/2023/NĐ-CP" in english and "deleted" in english
    assert screen.contest.organiser in english and "xử lý dữ liệu" not in english


def test_an_explanation_that_only_repeats_the_answer_is_not_shown_twice() -> None:
    from ui.screens.contest_pages import _explains

    assert not _explains("Nam đủ 20 tuổi, nữ đủ 18 tuổi.", "nam đủ 20 tuổi,  nữ đủ 18 tuổi")
    assert not _explains("  ", "Nam đủ 20 tuổi")
    assert _explains("Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên", "Nam đủ 20 tuổi")
