"""Contests: the list of contests and the attempt screen (form -> questions -> submit -> result).

All rules live in kiosk.contests; this module only shows them. Every answer is committed by
the engine before the screen moves on. Leaving the screen, or the idle wipe, abandons an
unsubmitted attempt (it is never submitted on someone's behalf).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from kiosk import contests as C
from kiosk.questions import sealing_problem
from kiosk.state import open_state
from offline_index.errors import LawShelfError
from ui.i18n import N_, error_message, tr
from ui.qt import QStackedWidget, QTimer
from ui.screens.citations import cited_names, open_citation
from ui.screens.contest_pages import FormPage, PredictionPage, QuestionPage, ResultPage
from ui.screens.registry import register_screen
from ui.scrolling import scroller
from ui.widgets import Card, Screen, label

if TYPE_CHECKING:
    from offline_index.library import Library
    from offline_index.model import Citation, Contest
    from ui.shell import Shell

log = logging.getLogger(__name__)

CHECKPOINT_S = 15  # how often the countdown re-reads (and records) the honest time used
NOT_HERE = N_(
    "Máy này chưa nhận bài dự thi được: máy chưa được cài đặt để gửi bài về Ban tổ chức."
    " Bạn vẫn xem được tên và thời hạn các cuộc thi. Vui lòng báo cán bộ phường/xã."
)


def _when(iso: str) -> str:
    """A contest time (Vietnam time) in the UI language: `23:59 ngày 30/06/2027`,
    `23:59 on 30/06/2027`."""
    clock, day = C.vn_clock(iso)
    return tr("{time} ngày {date}").format(time=clock, date=day)


class ContestListScreen(Screen):
    """Contests from the library: open ones can be entered; others say when or that they ended."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Cuộc thi tìm hiểu pháp luật"))
        self.status = label(tr("Đang tải danh sách cuộc thi…"), "notice", name="contest_status")
        self.layout_.addWidget(self.status)
        self.inner = Screen(shell)
        self.layout_.addWidget(scroller(self.inner), 1)
        self.cards: dict[str, Card] = {}
        self.db = open_state(shell.ctx.home)
        try:
            C.sweep(self.db, shell.ctx.home)  # attempts whose time ran out are discarded, unseen
        except LawShelfError as exc:  # a full disk: they are swept on a later visit
            log.warning("expired attempts not swept: %s", exc)
        self.blocked = sealing_problem(shell.ctx.home) is not None
        shell.with_library(lambda lib: lib.contests(), self._show, owner=self)

    def _show(self, contests: list) -> None:
        now = C.trusted_now(self.db)  # never earlier than the sync time floor
        self.status.setText(tr("Chưa có cuộc thi nào.") if not contests else "")
        if contests and self.blocked:  # an entry made here could never be sent: say so first
            self.status.setText(tr(NOT_HERE))
        for contest in contests:
            state = C.contest_state(contest, now)
            if state == "open" and self.blocked:
                state = "not_here"
            when = {
                "open": tr("Đang mở đến {t}").format(t=_when(contest.closes)),
                "not_yet_open": tr("Chưa mở: bắt đầu từ {t}").format(t=_when(contest.opens)),
                "closed": tr("Đã kết thúc lúc {t}").format(t=_when(contest.closes)),
                "not_here": tr("Chưa dự thi được tại máy này (mở đến {t})").format(
                    t=_when(contest.closes)
                ),
            }[state]
            lines = [
                (contest.title, "title", False),
                (contest.organiser, "small", False),
                (when, "", False),
            ]
            if state == "open":  # say what a tap does: a bare card does not look tappable
                lines.append((tr("Dự thi") + " ▶", "cta", False))
            card = Card(lines, name=f"contest_{contest.id}")
            card.setEnabled(state == "open")
            card.clicked.connect(
                lambda cid=contest.id: self.shell.navigate("contest_take", contest_id=cid)
            )
            self.cards[contest.id] = card
            self.inner.layout_.addWidget(card)
        self.inner.layout_.addStretch(1)


class ContestTakeScreen(Screen):
    """One resident's attempt. Pages: form, questions, prediction, result."""

    def __init__(self, shell: Shell, contest_id: str) -> None:
        super().__init__(shell, tr("Dự thi"))
        self.home = shell.ctx.home
        self.db = open_state(self.home)
        self.contest: Contest | None = None
        self.attempt: C.Attempt | None = None
        self.participant: C.Participant | None = None
        self.result: C.Result | None = None
        self.images: dict[str, Any] = {}
        self.cite_names: dict[str, str] = {}  # the laws the questions cite, by number
        self.pages = QStackedWidget()
        self.layout_.addWidget(self.pages, 1)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self._deadline = 0.0
        self._last_checkpoint = 0.0
        shell.session.register_wipe_hook(self.wipe)
        shell.with_library(lambda lib: self._load(lib, contest_id), self._loaded, owner=self)

    # ------------------------------------------------------------ loading
    @staticmethod
    def _load(lib: Library, contest_id: str) -> tuple[Contest, dict, dict[str, str]]:
        """On the library thread: the contest, its images' paths and the names of the laws
        its questions cite (the result page's buttons say which law they open)."""
        contest = lib.contest(contest_id)
        images = {}
        for q in contest.questions:
            if q.image:
                try:
                    images[q.image] = lib.file_path(q.image)
                except Exception:  # noqa: BLE001 - a missing image must not block the contest
                    log.warning("contest image %s missing", q.image)
        names = cited_names(lib, (q.citation for q in contest.questions if q.citation))
        return contest, images, names

    def _loaded(self, loaded: tuple[Contest, dict, dict[str, str]]) -> None:
        self.contest, self.images, self.cite_names = loaded
        self.shell.set_title(self, self.contest.title)
        if sealing_problem(self.home) is not None:  # no form that could never be sent
            page = Screen(self.shell)
            page.layout_.addWidget(label(tr(NOT_HERE), "notice", name="contest_not_here"))
            page.layout_.addStretch(1)
            self.pages.addWidget(page)
            return
        self.form = FormPage(self, self.contest, C.consent_text(self.contest))
        self.pages.addWidget(self.form)

    # ------------------------------------------------------------ flow
    def start(self, participant: C.Participant, consent: bool) -> None:
        try:
            attempt = C.begin(
                self.db,
                self.home,
                self.contest,
                participant,
                consent_accepted=consent,
                files=self._file,
            )
        except LawShelfError as exc:
            self.form.show_error(error_message(exc, exc.message))
            return
        self.attempt, self.participant = attempt, participant
        self.form.clear()
        self.question_page = QuestionPage(self, attempt)
        self.pages.addWidget(self.question_page)
        self.pages.setCurrentWidget(self.question_page)
        self.shell.record("contest_attempt", self.contest.id)
        self._deadline = time.monotonic() + C.remaining(self.db, attempt)
        self._last_checkpoint = time.monotonic()
        self.timer.start(1000)
        self._tick()

    def _file(self, name: str) -> Any:
        return self.images[name]

    def seconds_left(self) -> float:
        return self._deadline - time.monotonic()

    def _tick(self) -> None:
        if self.attempt is None:
            return
        if time.monotonic() - self._last_checkpoint >= CHECKPOINT_S:
            try:
                self._deadline = time.monotonic() + C.remaining(self.db, self.attempt)
            except C.AttemptGone:
                self.wipe()
                return
            except LawShelfError as exc:  # a full disk: the countdown goes on from memory
                log.warning("contest checkpoint not written: %s", exc)
            self._last_checkpoint = time.monotonic()
        self.question_page.show_countdown(self.seconds_left())
        if self.seconds_left() <= 0:
            self.time_up()

    def time_up(self) -> None:
        self.timer.stop()
        self.to_prediction(time_up=True)

    def choose(self, index: int, choice_id: str) -> bool:
        """Save the answer durably; False when time is up (answers frozen), or when it could
        not be saved (a full disk: said on the page, the answers before it kept)."""
        try:
            C.answer(self.db, self.attempt, index, choice_id)
        except C.TimeUp:
            self.time_up()
            return False
        except LawShelfError as exc:
            self.question_page.show_error(error_message(exc, exc.message))
            return False
        return True

    def to_prediction(self, time_up: bool = False) -> None:
        if not hasattr(self, "prediction_page"):
            self.prediction_page = PredictionPage(self, self.attempt)
            self.pages.addWidget(self.prediction_page)
        self.prediction_page.set_time_up(time_up)
        self.pages.setCurrentWidget(self.prediction_page)

    def back_to_questions(self) -> None:
        if self.seconds_left() > 0:
            self.pages.setCurrentWidget(self.question_page)

    def submit(self, prediction: int | None) -> None:
        try:
            if prediction is not None:
                C.set_prediction(self.db, self.attempt, prediction)
            self.result = C.submit(self.db, self.home, self.attempt, self.participant)
        except LawShelfError as exc:  # contest rules, or no sealing key installed
            self.prediction_page.show_error(error_message(exc, exc.message))
            return
        self.timer.stop()
        self.attempt, self.participant = None, None  # submitted: nothing left to abandon
        page = ResultPage(self, self.result)
        self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)

    def open_citation(self, citation: Citation) -> None:
        open_citation(self.shell, citation)

    # ------------------------------------------------------------ wiping
    def leaving_loses(self) -> tuple[str, str] | None:
        """An attempt begun and not submitted: Back or Home asks before it is abandoned."""
        if self.attempt is None:
            return None
        return tr("Bỏ bài thi?"), tr("Bài chưa nộp. Nếu thoát, các câu bạn đã trả lời sẽ mất.")

    def wipe(self) -> None:
        """Abandon an unsubmitted attempt and forget the form: nothing personal stays."""
        self.timer.stop()
        if self.attempt is not None:
            C.abandon(self.db, self.home, self.attempt.id)
            log.info("contest attempt abandoned by wipe")
        self.attempt, self.participant, self.result = None, None, None
        while self.pages.count() > 1:
            page = self.pages.widget(self.pages.count() - 1)
            self.pages.removeWidget(page)
            page.deleteLater()
        if hasattr(self, "form"):
            self.form.clear()
            self.pages.setCurrentWidget(self.form)
        for name in ("question_page", "prediction_page"):
            self.__dict__.pop(name, None)

    def hideEvent(self, ev: Any) -> None:  # noqa: N802 - Qt override
        """Dropped from the stack (Home/Back): the attempt goes with the screen."""
        if self.shell.stack.indexOf(self) == -1:
            self.wipe()
            self.shell.session.unregister_wipe_hook(self.wipe)
        super().hideEvent(ev)


register_screen("contest", lambda shell, **kw: ContestListScreen(shell, **kw))
register_screen("contest_take", lambda shell, **kw: ContestTakeScreen(shell, **kw))
