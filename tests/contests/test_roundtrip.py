"""End to end against a real nginx: kiosk takes a contest and asks a question -> sync uploads
-> centre collects, ranks, answers -> publishes -> kiosk syncs and reads the answer.

Also: personal data is never in clear on the kiosk disk, in the inbox or on a USB export.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from contest_helpers import contest_dict, right_choice
from nginx_server import nginx_factory  # noqa: F401 - fixture

from kiosk import central, central_questions
from kiosk import contests as C
from kiosk import questions as Q
from kiosk.state import open_state
from offline_index.library import Library
from offline_index.model import Contest
from offline_index.search_types import SearchFilters
from sync import enroll, inbox, release, sealing
from sync import keys as keymod
from sync.run import run_sync
from sync.transfer import TransferPolicy
from sync.usb import export_usb
from sync.verify import install_trusted_root

pytestmark = pytest.mark.nginx
DEMO = Path(__file__).resolve().parents[2] / "offline_index" / "demo" / "content"
FAST = TransferPolicy(attempts=4, backoff_s=0.01, backoff_max_s=0.05, read_timeout=5.0)
PERSON = C.Participant("Phạm Thị Hồng Nhung", 1958, "Phường Ô Chợ Dừa", "0912876543")
CONTACT = "nhung.pham@example.vn"


def _source(tmp: Path) -> tuple[Path, Contest]:
    """A content source with a contest open now, the demo notices, Q&A and two laws."""
    src = tmp / "content"
    src.mkdir()
    shutil.copy(DEMO / "lawshelf-content.json", src)
    for sub in ("notices", "qa"):
        shutil.copytree(DEMO / sub, src / sub)
    (src / "documents").mkdir()
    for doc in ("52-2014-qh13", "68-2020-qh14"):
        shutil.copy(DEMO / "documents" / f"{doc}.json", src / "documents")
    now = datetime.now(UTC)
    data = contest_dict(
        n=12,
        critical=1,
        draw=6,
        id="thang-12",
        opens=(now - timedelta(days=1)).isoformat(timespec="seconds"),
        closes=(now + timedelta(days=30)).isoformat(timespec="seconds"),
    )
    (src / "files" / "quiz").mkdir(parents=True)
    image = sorted((DEMO / "files" / "quiz").glob("*.png"))[0]
    shutil.copy(image, src / "files" / "quiz" / "q1.png")  # the helper contest's one image
    (src / "contests").mkdir()
    (src / "contests" / "thang-12.json").write_text(json.dumps(data, ensure_ascii=False))
    return src, Contest.from_dict(data, "thang-12.json")


def _scan(folder: Path, secrets: list[str]) -> list[str]:
    """Secrets found in clear in any file under folder (UTF-8 and as typed)."""
    found = []
    for p in folder.rglob("*"):
        if p.is_file():
            raw = p.read_bytes()
            found += [f"{s!r} in {p}" for s in secrets if s.encode() in raw]
    return found


def test_contest_and_question_round_trip(tmp_path: Path, home: Path, nginx_factory) -> None:  # noqa: ANN001, F811
    # publisher: release keys, sealing keys, first release
    keys, repo, seal_dir = tmp_path / "keys", tmp_path / "repo", tmp_path / "seal"
    keymod.init_keys(keys)
    sealing.generate_keypair(seal_dir)
    src, contest = _source(tmp_path)
    release.publish(src, repo, keys)
    # kiosk: trusted root, publisher sealing key, enrolment; centre registers it
    install_trusted_root(home, repo / "metadata" / "1.root.json")
    sealing.install_public(home, seal_dir / sealing.PUBLIC_NAME)
    ident = enroll.enroll(home, kiosk_id="kiosk-o-cho-dua")
    central_db = inbox.open_central(tmp_path / "central.sqlite")
    inbox.add_kiosk(central_db, ident.kiosk_id, ident.public_key)
    srv = nginx_factory(root=repo, users={ident.kiosk_id: ident.upload_password})
    assert run_sync(home, srv.url, policy=FAST).outcome == "applied"

    # a resident takes the contest from the synced library and asks a question
    db = open_state(home)
    with Library.open(home) as lib:
        synced = lib.contest("thang-12")
        attempt = C.begin(db, home, synced, PERSON, consent_accepted=True)
    for i, q in enumerate(attempt.questions):
        C.answer(db, attempt, i, right_choice(q))
    C.set_prediction(db, attempt, 7)
    result = C.submit(db, home, attempt, PERSON)
    assert result.correct == 6 and result.passed
    ticket = Q.ask(
        db,
        "Cho thuê nhà thì người thuê có phải đăng ký tạm trú không?",
        "Cư trú",
        CONTACT,
        home=home,
    )
    secrets = [PERSON.name, PERSON.phone, PERSON.ward, CONTACT, ticket, ticket.replace("-", "")]
    assert _scan(home, secrets) == []  # sealed before it touches the disk

    # the nightly sync uploads the outbox to the inbox on nginx
    rep = run_sync(home, srv.url, policy=FAST)
    assert rep.exit_code == 0 and rep.upload["records_sent"] >= 2
    assert _scan(repo / "inbox", secrets) == []
    sealed_left = list(db.query("SELECT count(*) AS n FROM outbox WHERE sealed IS NOT NULL"))
    assert sealed_left[0]["n"] == 0  # the kiosk drops its sealed copy once the upload is confirmed
    usb = tmp_path / "usb"
    usb.mkdir()  # plugged in
    export_usb(home, usb)
    assert _scan(usb, secrets) == []

    # centre: collect (twice: a retried collection adds nothing), rank, export, answer
    inbox.collect(repo, central_db)
    inbox.collect(repo, central_db)
    ranked = central.rank(central_db, "thang-12", contest=contest)
    assert [r.payload["correct"] for r in ranked.ranked] == [6] and not ranked.refused
    out = tmp_path / "rank.csv"
    central.export_csv(central_db, ranked, out, seal_dir / "publisher_seal.key", who="tester")
    assert next(csv.DictReader(out.open()))["name"] == PERSON.name
    assert [a["action"] for a in central_db.access_log()] == ["export_csv"]  # who opened what
    [question] = central_questions.list_questions(central_db)
    with Library.open(home) as lib:  # citations must exist in the library residents read
        central_questions.answer_question(
            central_db,
            question["uuid"],
            "Có. Người thuê nhà ở từ 30 ngày trở lên phải đăng ký tạm trú.",
            citations=[{"doc_number": "68/2020/QH14", "article": "27", "clause": "1", "point": ""}],
            library=lib,
        )
    central_questions.export_answers(central_db, src)
    assert release.publish(src, repo, keys).version == 2

    # the kiosk syncs the new release and shows the answer for its ticket
    with Library.open(home) as lib:
        assert Q.lookup_answer(lib, ticket) is None  # "chưa có câu trả lời"
    assert run_sync(home, srv.url, policy=FAST).outcome == "applied"
    with Library.open(home) as lib:
        answer = Q.lookup_answer(lib, ticket.lower().replace("-", " "))
        assert answer is not None and "30 ngày" in answer.answer
        assert answer.citations[0].article == "27"
        assert Q.lookup_answer(lib, Q.new_ticket()) is None
        hits = lib.search(
            "người thuê nhà đăng ký tạm trú", filters=SearchFilters(kind="Hỏi đáp")
        ).hits
        assert all(not h.doc_id.startswith("qa:ticket-") for h in hits)  # private unless public
    assert _scan(repo, [ticket, ticket.replace("-", "")]) == []  # only its hash was published
