"""Centre side over a real collect: kiosk outbox -> folder inbox -> central DB -> rank/answer."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from contest_helpers import FakeClock, contest_dict, make_contest, right_choice, wrong_choice
from helpers_release import demo_documents_library

from cli.main import cli
from kiosk import central
from kiosk import contests as C
from kiosk import questions as Q
from kiosk.state import open_state
from sync import enroll, inbox, sealing
from sync.upload import upload_pending

PEOPLE = [
    C.Participant("Nguyễn Văn An", 1960, "Láng Hạ", "0901111111"),
    C.Participant("Trần Thị Bình", 1975, "Láng Hạ"),
    C.Participant("Lê Văn Cường", 1990, "Ô Chợ Dừa"),
]


@pytest.fixture
def world(home: Path, tmp_path: Path):  # noqa: ANN201
    pub = tmp_path / "publisher"
    sealing.generate_keypair(pub)
    sealing.install_public(home, pub / sealing.PUBLIC_NAME)
    ident = enroll.enroll(home, kiosk_id="kiosk-lang-ha")
    db = open_state(home)
    central_db = inbox.open_central(tmp_path / "central.sqlite")
    inbox.add_kiosk(central_db, ident.kiosk_id, ident.public_key)
    (tmp_path / "inbox").mkdir()  # the stick the kiosk writes to
    return {
        "home": home,
        "db": db,
        "central": central_db,
        "key": pub / "publisher_seal.key",
        "inbox": tmp_path / "inbox",
        "tmp": tmp_path,
    }


def _play(w, clock: FakeClock, who: C.Participant, wrong: int, secs: int, guess: int):  # noqa: ANN001, ANN202
    contest = make_contest()
    attempt = C.begin(w["db"], w["home"], contest, who, consent_accepted=True, clock=clock)
    normal = [i for i, q in enumerate(attempt.questions) if not q.critical]
    for i, q in enumerate(attempt.questions):
        C.answer(
            w["db"], attempt, i, wrong_choice(q) if i in normal[:wrong] else right_choice(q), clock
        )
    clock.advance(secs)
    C.set_prediction(w["db"], attempt, guess)
    return C.submit(w["db"], w["home"], attempt, who, clock)


def _sync_and_collect(w) -> inbox.CollectReport:  # noqa: ANN001
    report = upload_pending(w["home"], w["db"], base_url=str(w["inbox"]))
    assert report.error is None
    return inbox.collect(w["inbox"], w["central"])


def test_rank_order_and_duplicates(world, clock: FakeClock) -> None:
    _play(world, clock, PEOPLE[0], wrong=1, secs=100, guess=10)  # 4/5
    _play(world, clock, PEOPLE[1], wrong=0, secs=200, guess=3)  # 5/5 slower
    _play(world, clock, PEOPLE[2], wrong=0, secs=100, guess=50)  # 5/5 faster
    _sync_and_collect(world)
    # a retried upload: the same batch lands again under another name -> dropped by uuid
    for f in list(inbox.default_archive(world["central"]).rglob("*.json")):
        dest = world["inbox"] / "inbox" / f.parent.name
        shutil.copy(f, dest / "00000000-0000-4000-8000-000000000000.json")
    again = inbox.collect(world["inbox"], world["central"])
    assert again.records_loaded == 0
    # the same attempt arriving as a second record (replayed submit) ranks once too
    row = next(world["central"].db.query("SELECT * FROM contest_entries LIMIT 1"))
    world["central"].db["contest_entries"].insert({**row, "uuid": "replayed-record"})
    report = central.rank(world["central"], "test-contest", contest=make_contest())
    assert [r.payload["correct"] for r in report.ranked] == [5, 5, 4]
    assert [r.payload["time_used_s"] for r in report.ranked][:2] == [100, 200]
    assert report.duplicates == 1 and report.actual == 3 and not report.refused


def test_prediction_breaks_ties(world, clock: FakeClock) -> None:
    _play(world, clock, PEOPLE[0], wrong=0, secs=100, guess=10)
    _play(world, clock, PEOPLE[1], wrong=0, secs=100, guess=3)
    _sync_and_collect(world)
    report = central.rank(world["central"], "test-contest", actual=4)
    assert [r.closeness for r in report.ranked] == [1, 6]


def test_tampered_batch_refused_and_inconsistent_entry_refused(world, clock: FakeClock) -> None:
    _play(world, clock, PEOPLE[0], wrong=2, secs=100, guess=10)
    upload_pending(world["home"], world["db"], base_url=str(world["inbox"]))
    batch = next(world["inbox"].rglob("*.json"))
    raw = batch.read_text()
    batch.write_text(raw.replace('"correct":3', '"correct":5'))
    report = inbox.collect(world["inbox"], world["central"])
    assert report.refused and world["central"].db["contest_entries"].count == 0
    # a validly signed but inconsistent entry (a compromised kiosk) is refused by re-scoring
    batch.write_text(raw)
    inbox.collect(world["inbox"], world["central"])
    row = next(world["central"].db.query("SELECT * FROM contest_entries"))
    payload = json.loads(row["payload"])
    world["central"].db.execute(
        "UPDATE contest_entries SET payload = ?",
        [json.dumps({**payload, "correct": 5, "passed": True})],
    )
    ranked = central.rank(world["central"], "test-contest", contest=make_contest())
    assert not ranked.ranked and "score does not match" in ranked.refused[0][1]


def test_csv_personal_only_with_key(world, clock: FakeClock) -> None:
    _play(world, clock, PEOPLE[0], wrong=0, secs=100, guess=10)
    _sync_and_collect(world)
    report = central.rank(world["central"], "test-contest")
    plain, full = world["tmp"] / "plain.csv", world["tmp"] / "full.csv"
    central.export_csv(world["central"], report, plain)
    central.export_csv(world["central"], report, full, world["key"])
    assert "Nguyễn" not in plain.read_text() and "name" not in plain.read_text().splitlines()[0]
    rows = list(csv.DictReader(full.open()))
    assert rows[0]["name"] == "Nguyễn Văn An" and rows[0]["phone"] == "0901111111"
    assert full.stat().st_mode & 0o077 == 0, "a CSV with personal data must be private"


def test_purge_after_retention(world, clock: FakeClock) -> None:
    _play(world, clock, PEOPLE[0], wrong=0, secs=100, guess=10)
    _sync_and_collect(world)
    sealed = next(world["central"].db.query("SELECT sealed FROM contest_entries"))["sealed"]
    contest = make_contest()
    with pytest.raises(central.CentralError):
        central.purge(
            world["central"],
            contest.id,
            closes=contest.closes,
            retention_days=365,
            now=datetime(2026, 8, 1, tzinfo=UTC),
        )
    n = central.purge(
        world["central"],
        contest.id,
        closes=contest.closes,
        retention_days=365,
        now=datetime(2027, 8, 1, tzinfo=UTC),
    )
    assert n == 1
    db_bytes = (world["tmp"] / "central.sqlite").read_bytes()
    assert sealed[:40].encode() not in db_bytes


def test_cli_rank_and_questions(world, clock: FakeClock, tmp_path: Path) -> None:
    _play(world, clock, PEOPLE[0], wrong=0, secs=100, guess=10)
    ticket = Q.ask(world["db"], "Đăng ký tạm trú cần giấy tờ gì?", "Cư trú", home=world["home"])
    _sync_and_collect(world)
    source = tmp_path / "content"
    (source / "contests").mkdir(parents=True)
    (source / "contests" / "c.json").write_text(json.dumps(contest_dict()))
    library = demo_documents_library(tmp_path, "68-2020-qh14")
    runner = CliRunner()
    db = str(world["tmp"] / "central.sqlite")
    out = runner.invoke(
        cli, ["contest", "rank", "--db", db, "--content", str(source), "--json", "test-contest"]
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["ranked"][0]["correct"] == 5
    listed = json.loads(runner.invoke(cli, ["questions", "list", "--db", db, "--json"]).output)
    assert listed[0]["ticket_hash"] == Q.ticket_hash(ticket) and not listed[0]["answered"]
    out = runner.invoke(
        cli,
        [
            "questions",
            "answer",
            "--db",
            db,
            listed[0]["uuid"][:8],
            "--text",
            "Tờ khai thay đổi thông tin cư trú và giấy tờ chứng minh chỗ ở hợp pháp.",
            "--cite",
            "68/2020/QH14:28:1",
            "--library",
            str(library),
            "--public",
        ],
    )
    assert out.exit_code == 0, out.output
    out = runner.invoke(cli, ["questions", "export", "--db", db, "--source", str(source)])
    entries = json.loads((source / "qa" / "ticket-answers.json").read_text())["entries"]
    assert entries[0]["ticket_hash"] == Q.ticket_hash(ticket)
    assert entries[0]["citations"][0] == {
        "doc_number": "68/2020/QH14",
        "article": "28",
        "clause": "1",
        "point": "",
    }
    assert "ticket_hash" not in entries[1]  # the public copy
    assert ticket.replace("-", "") not in json.dumps(entries)
    out = runner.invoke(
        cli,
        [
            "contest",
            "purge",
            "--db",
            db,
            "--closes",
            "2020-01-01T00:00:00",
            "--retention-days",
            "30",
            "test-contest",
        ],
    )
    assert out.exit_code == 0 and "1 entries" in out.output, out.output
    out = runner.invoke(
        cli,
        [
            "contest",
            "purge",
            "--db",
            db,
            "--closes",
            "2099-01-01T00:00:00+07:00",
            "--retention-days",
            "1",
            "test-contest",
        ],
    )
    assert out.exit_code == 2 and "keeps personal data until" in out.output  # not yet due
