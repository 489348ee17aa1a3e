"""Pages of the contest attempt screen: participant form, question, prediction, result.

Large touch targets everywhere: answers are full-width buttons, images are shown as large
as the page allows. Pages call back into the ContestTakeScreen that owns the attempt.
"""

from __future__ import annotations

import html
from typing import Any

from kiosk import contests as C
from ui.i18n import N_, language, tr
from ui.qt import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPixmap,
    QPushButton,
    Qt,
    QtCore,
    QtGui,
    QWidget,
)
from ui.screens.citations import citation_text
from ui.scrolling import scroller
from ui.widgets import Screen, button, label, labelled

TITLE_BAR_CHARS = 70  # ui.shell shortens longer titles in the title bar


def _field(placeholder: str, name: str, digits: int = 0) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setObjectName(name)
    if digits:
        edit.setValidator(
            QtGui.QRegularExpressionValidator(QtCore.QRegularExpression(rf"\d{{0,{digits}}}"))
        )
        edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    return edit


def _explains(explanation: str, answer: str) -> bool:
    """Whether an explanation says more than the answer it follows (a bank that repeats the
    answer as its explanation would show the same words twice)."""

    def bare(text: str) -> str:
        return " ".join(text.casefold().split()).strip(" .;:")

    return bool(explanation.strip()) and bare(explanation) != bare(answer)


class FormPage(Screen):
    """Rules, participant fields and the consent shown (and stored with the entry)."""

    def __init__(self, owner: Any, contest: Any, consent: str) -> None:
        super().__init__(owner.shell)
        self.owner = owner
        inner = Screen(owner.shell)
        lay = inner.layout_
        if len(contest.title) > TITLE_BAR_CHARS:  # the title bar shows shorter titles whole
            lay.addWidget(label(contest.title, "title"))
        lay.addWidget(label(contest.rules, name="contest_rules"))
        lay.addWidget(
            label(
                tr("Thời gian làm bài: {m} phút, {n} câu hỏi.").format(
                    m=contest.time_limit_s // 60, n=contest.draw
                ),
                "notice",
            )
        )
        need = set(contest.required_fields) | {"name", "birth_year"}
        self.name = _field(tr("VD: Nguyễn Thị An"), "f_name")
        self.year = _field(tr("VD: 1965"), "f_year", digits=4)
        self.ward = _field(tr("VD: Phường Ba Đình"), "f_ward")
        self.phone = _field(tr("VD: 0912345678"), "f_phone", digits=11)
        grid = QGridLayout()  # two fields a row: the whole form fits a 1080-line screen
        grid.setSpacing(self.theme.gap)
        for i, (text, edit, key) in enumerate(
            (
                (tr("Họ và tên"), self.name, "name"),
                (tr("Năm sinh"), self.year, "birth_year"),
                (tr("Xã/phường nơi ở"), self.ward, "ward"),
                (tr("Số điện thoại"), self.phone, "phone"),
            )
        ):
            group = labelled(text, edit, required=key in need, name=f"{edit.objectName()}_g")
            grid.addWidget(group, i // 2, i % 2, Qt.AlignmentFlag.AlignBottom)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        lay.addLayout(grid)
        lay.addWidget(label(consent, "small", name="consent_text"))
        if language() != "vi":  # the Vietnamese text is the one agreed to and kept
            english = tr("Bản dịch tiếng Anh (nội dung được đồng ý là bản tiếng Việt ở trên):")
            text = f"{english}\n{C.consent_text_en(contest)}"
            lay.addWidget(label(text, "small", name="consent_text_en"))
        self.consent = button(
            tr("☐ Tôi đồng ý với nội dung trên"), self._toggle, checkable=True, name="consent"
        )
        lay.addWidget(self.consent)
        self.error = label("", "banner", name="form_error")
        self.error.hide()
        lay.addWidget(self.error)
        lay.addWidget(button(tr("Bắt đầu làm bài ▶"), self._start, role="primary", name="start"))
        lay.addStretch(1)
        self.area = scroller(inner, more_below=True)
        self.layout_.addWidget(self.area, 1)

    def _toggle(self) -> None:
        mark = "☑" if self.consent.isChecked() else "☐"
        self.consent.setText(mark + tr(" Tôi đồng ý với nội dung trên"))

    def _start(self) -> None:
        year = int(self.year.text()) if self.year.text().isdigit() else 0
        person = C.Participant(
            self.name.text().strip(), year, self.ward.text().strip(), self.phone.text().strip()
        )
        self.owner.start(person, self.consent.isChecked())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear(self) -> None:
        for edit in (self.name, self.year, self.ward, self.phone):
            edit.clear()
        self.consent.setChecked(False)
        self._toggle()
        self.error.hide()


class QuestionPage(Screen):
    """One question at a time, a countdown, big answer buttons, previous/next."""

    def __init__(self, owner: Any, attempt: C.Attempt) -> None:
        super().__init__(owner.shell)
        self.owner, self.attempt, self.index = owner, attempt, 0
        top = QHBoxLayout()
        self.counter = label("", "title", name="q_counter")
        self.countdown = label("", "title", name="countdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignRight)
        top.addWidget(self.counter, 1)
        top.addWidget(self.countdown)
        self.layout_.addLayout(top)
        self.error = label("", "banner", name="answer_error")  # an answer not saved (disk full)
        self.error.hide()
        self.layout_.addWidget(self.error)
        if attempt.resumed:
            self.layout_.addWidget(
                label(
                    tr(
                        "Tiếp tục bài thi đang làm dở: các câu đã trả lời"
                        " vẫn được giữ, thời gian vẫn tính tiếp."
                    ),
                    "notice",
                    name="resumed",
                )
            )
        self.critical = label(
            tr("⚠ Câu điểm liệt: trả lời sai là không đạt"), "banner", name="critical"
        )
        self.text = label("", "title", name="q_text")
        self.image = QLabel(objectName="q_image")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.choices_box = QWidget()
        self.choices = Screen(owner.shell)
        self.choices.layout_.setContentsMargins(0, 0, 0, 0)
        for w in (self.critical, self.text, self.image):
            self.choices.layout_.addWidget(w)
        self.buttons: list[QPushButton] = []
        self.answer_box = Screen(owner.shell)
        self.answer_box.layout_.setContentsMargins(0, 0, 0, 0)
        self.choices.layout_.addWidget(self.answer_box)
        self.choices.layout_.addStretch(1)
        self.layout_.addWidget(scroller(self.choices), 1)
        nav = QHBoxLayout()
        self.prev = button(
            tr("◀ Câu trước"), lambda: self.show_question(self.index - 1), name="prev"
        )
        self.next = button(tr("Câu sau ▶"), lambda: self.show_question(self.index + 1), name="next")
        self.finish = button(tr("Nộp bài"), owner.to_prediction, role="primary", name="finish")
        for b in (self.prev, self.next, self.finish):
            nav.addWidget(b)
        self.layout_.addLayout(nav)
        first = min(
            (i for i in range(len(attempt.questions)) if i not in attempt.answers), default=0
        )
        self.show_question(first)

    def show_question(self, index: int) -> None:
        if not 0 <= index < len(self.attempt.questions):
            return
        self.index = index
        q = self.attempt.questions[index]
        done = len(self.attempt.answers)
        self.counter.setText(
            tr("Câu {i}/{n} · đã trả lời {d}").format(
                i=index + 1, n=len(self.attempt.questions), d=done
            )
        )
        self.critical.setVisible(q.critical)
        self.text.setText(q.text)
        self._show_image(index)
        for b in self.buttons:
            self.answer_box.layout_.removeWidget(b)
            b.hide()
            b.deleteLater()
        self.buttons = []
        for k, choice in enumerate(q.choices):
            b = button(
                f"{k + 1}. {choice.text}",
                lambda cid=choice.id: self._choose(cid),
                role="hit",
                name=f"choice_{k + 1}",
                checkable=True,
            )
            b.setChecked(self.attempt.answers.get(index) == choice.id)
            b.setMinimumHeight(self.theme.target)
            self.answer_box.layout_.addWidget(b)
            self.buttons.append(b)
        self.prev.setEnabled(index > 0)
        self.next.setEnabled(index < len(self.attempt.questions) - 1)

    def _show_image(self, index: int) -> None:
        path = self.attempt.image_path(index)
        if path is None:
            self.image.clear()
            self.image.hide()
            return
        pix = QPixmap(str(path))
        # Large, yet the answers stay on screen: up to the page width and ~45% of its height.
        width = max(self.width() - 4 * self.theme.gap, 600)
        height = max(int(self.height() * 0.45), 320)
        pix = pix.scaled(
            width,
            height,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.image.setPixmap(pix)
        self.image.show()

    def _choose(self, choice_id: str) -> None:
        q = self.attempt.questions[self.index]
        if self.owner.choose(self.index, choice_id):
            self.error.hide()
            for b, c in zip(self.buttons, q.choices, strict=True):
                b.setChecked(c.id == choice_id)
            self.counter.setText(
                tr("Câu {i}/{n} · đã trả lời {d}").format(
                    i=self.index + 1, n=len(self.attempt.questions), d=len(self.attempt.answers)
                )
            )

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def show_countdown(self, seconds: float) -> None:
        s = max(0, int(seconds))
        self.countdown.setText(tr("⏱ Còn {m:02d}:{s:02d}").format(m=s // 60, s=s % 60))


UNANSWERED = N_(
    "Còn {k} câu chưa trả lời: câu bỏ trống được tính là sai. Chạm «◀ Xem lại bài» để làm tiếp."
)


class PredictionPage(Screen):
    """The tie-break prediction, then submit (never automatic)."""

    def __init__(self, owner: Any, attempt: C.Attempt) -> None:
        super().__init__(owner.shell)
        self.owner = owner
        inner = Screen(owner.shell)  # scrolls: with the keyboard up at the largest text size
        inner.layout_.setContentsMargins(0, 0, 0, 0)  # the question and field do not fit
        lay = inner.layout_
        self.time_up = label(
            tr("Đã hết giờ làm bài. Các câu trả lời đã được lưu; hãy nộp bài."),
            "banner",
            name="time_up",
        )
        lay.addWidget(self.time_up)
        self.summary = label("", "title", name="summary")
        lay.addWidget(self.summary)
        self.unanswered = label("", "notice", name="unanswered")  # hidden while empty
        lay.addWidget(self.unanswered)
        self.guess = _field(tr("VD: 1250"), "prediction", digits=9)
        if attempt.prediction_question:
            lay.addWidget(label(attempt.prediction_question, "title"))
            lay.addWidget(labelled(tr("Số bạn dự đoán"), self.guess, required=False))
        self.error = label("", "banner", name="submit_error")
        self.error.hide()
        lay.addWidget(self.error)
        lay.addStretch(1)
        self.layout_.addWidget(scroller(inner), 1)  # Nộp bài ✔ stays below, always in view
        row = QHBoxLayout()
        self.back = button(tr("◀ Xem lại bài"), owner.back_to_questions, name="review")
        row.addWidget(self.back)
        row.addWidget(button(tr("Nộp bài ✔"), self._submit, role="primary", name="submit"))
        self.layout_.addLayout(row)
        self.attempt = attempt

    def set_time_up(self, up: bool) -> None:
        self.time_up.setVisible(up)
        self.back.setEnabled(not up)
        n, done = len(self.attempt.questions), len(self.attempt.answers)
        self.summary.setText(tr("Bạn đã trả lời {d}/{n} câu.").format(d=done, n=n))
        left = "" if up or done >= n else tr(UNANSWERED).format(k=n - done)
        self.unanswered.setText(left)  # a single attempt may be all the resident has

    def _submit(self) -> None:
        text = self.guess.text().strip()
        self.owner.submit(int(text) if text.isdigit() else None)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class ResultPage(Screen):
    """Score, pass/fail, each question's correct answer and the article behind it."""

    def __init__(self, owner: Any, result: C.Result) -> None:
        super().__init__(owner.shell)
        verdict = tr("ĐẠT") if result.passed else tr("CHƯA ĐẠT")
        if result.critical_failed:
            verdict += tr(" (sai câu điểm liệt)")
        inner = Screen(owner.shell)
        lay = inner.layout_
        lay.addWidget(
            label(
                tr("Bạn trả lời đúng {c}/{n} câu · {v}").format(
                    c=result.correct, n=result.total, v=verdict
                ),
                "title",
                name="score",
            )
        )
        lay.addWidget(label(tr("Bài dự thi đã được ghi nhận và sẽ gửi về Ban tổ chức."), "notice"))
        for r in result.rows:
            chosen = next(
                (c.text for c in r.question.choices if c.id == r.chosen), tr("(bỏ trống)")
            )
            right = "; ".join(c.text for c in r.question.choices if c.id in r.correct_ids)
            mark = "✔" if r.is_correct else "✘"
            lay.addWidget(label(f"{mark} {r.index + 1}. {r.question.text}", name=f"r_{r.index}"))
            lay.addWidget(label(tr("Bạn chọn: {a}").format(a=chosen), "small"))
            # The answer and why in the body's size: what a resident came to learn, not a footnote.
            answer = tr("Đáp án đúng: {a}").format(a=html.escape(right))
            lay.addWidget(label(f"<b>{answer}</b>", rich=True, name=f"right_{r.index}"))
            if _explains(r.question.explanation, right):
                why = tr("Giải thích: {t}").format(t=r.question.explanation)
                lay.addWidget(label(why, name=f"why_{r.index}"))
            cite = r.question.citation
            if cite is not None:
                lay.addWidget(
                    button(
                        tr("Đọc văn bản: {w}").format(w=citation_text(cite, owner.cite_names)),
                        lambda c=cite: owner.open_citation(c),
                        name=f"cite_{r.index}",
                        wrap=True,
                    )
                )
        lay.addStretch(1)
        self.layout_.addWidget(scroller(inner), 1)
        self.layout_.addWidget(
            button(tr("⌂ Về trang chủ"), owner.shell.go_home, role="primary", name="done")
        )
