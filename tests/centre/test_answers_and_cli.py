"""Answering questions safely, and the centre's commands saying plainly what happened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers_release import Publisher, demo_documents_library

from cli.main import cli
from kiosk import central_questions as qs
from kiosk.central import CentralError
from offline_index.library import Library
from sync import inbox


@pytest.fixture(scope="module")
def law_library(tmp_path_factory) -> Path:
    """A real library with the Law on Residence (68/2020/QH14, the demo's copy)."""
    return demo_documents_library(tmp_path_factory.mktemp("law"), "68-2020-qh14")


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _answer(store, qid: str, lib: Library, cite: str, **kw):
    number, article, clause = (cite.split(":") + ["", ""])[:3]
    citation = {"doc_number": number, "article": article, "clause": clause, "point": ""}
    return qs.answer_question(
        store,
        qid,
        "Cần tờ khai và giấy tờ chỗ ở hợp pháp.",
        citations=[citation],
        library=lib,
        **kw,
    )


def test_answer_is_not_overwritten_silently(centre, law_library):
    centre.kiosks["phuong-lang-ha"].ask()
    centre.collect()
    [q] = qs.list_questions(centre.store)
    with Library.open(law_library) as lib:
        assert _answer(centre.store, q["uuid"][:8], lib, "68/2020/QH14:28:1")["replaced"] is None
        with pytest.raises(CentralError, match="already answered .* --replace"):
            _answer(centre.store, q["uuid"][:8], lib, "68/2020/QH14:28")
        done = _answer(centre.store, q["uuid"][:8], lib, "68/2020/QH14:28", replace=True)
    assert done["replaced"]
    assert json.loads(centre.store.answer(q["uuid"])["citations"])[0]["clause"] == ""


def test_citations_must_exist_in_the_library(centre, law_library):
    centre.kiosks["phuong-lang-ha"].ask()
    centre.collect()
    [q] = qs.list_questions(centre.store)
    with Library.open(law_library) as lib:
        for cite, why in (
            ("99/9999/XX:1", "99/9999/XX is not in the library"),
            ("68/2020/QH14:999", "has no Điều 999"),
            ("68/2020/QH14:28:99", "has no Khoản 99"),
        ):
            with pytest.raises(CentralError, match=why):
                _answer(centre.store, q["uuid"], lib, cite)
        _answer(centre.store, q["uuid"], lib, "68/2020/qh14:28:1")  # loose case is fine
    db = str(centre.store.path)
    r = _run(
        "questions",
        "answer",
        "--db",
        db,
        q["uuid"][:8],
        "--text",
        "Một câu trả lời đủ dài.",
        "--cite",
        "99/9999/XX:1",
        "--library",
        str(law_library),
        "--replace",
    )
    assert r.exit_code == 2 and "99/9999/XX is not in the library" in r.output


def test_question_ids_that_match_nothing_or_many(centre):
    for _ in range(2):
        centre.kiosks["phuong-lang-ha"].ask()
    centre.collect()
    db = str(centre.store.path)
    r = _run("questions", "answer", "--db", db, "zzzz", "--text", "Một câu trả lời đủ dài.")
    assert r.exit_code == 2 and "no question with an id starting 'zzzz'" in r.output
    r = _run("questions", "answer", "--db", db, "", "--text", "Một câu trả lời đủ dài.")
    assert r.exit_code == 2 and "no question" in r.output


def test_contest_rank_of_an_unknown_contest_says_so(centre):
    centre.kiosks["phuong-lang-ha"].entry("thang-12", 5)
    centre.collect()
    r = _run("contest", "rank", "--db", str(centre.store.path), "thang-13")
    assert r.exit_code == 2 and "unknown contest 'thang-13'" in r.output and "thang-12" in r.output


def test_questions_list_before_any_collection_says_so(tmp_path):
    """The publisher may ask before the first collection: no database yet, and none made."""
    db = tmp_path / "central.sqlite"
    r = _run("questions", "list", "--db", str(db))
    assert (r.exit_code, r.output) == (0, "no questions collected yet\n")
    assert _run("questions", "list", "--db", str(db), "--json").output == "[]\n"
    assert not db.exists()


def test_questions_list_on_an_empty_database_says_so(tmp_path):
    db = str(tmp_path / "central.sqlite")
    inbox.open_central(Path(db))
    r = _run("questions", "list", "--db", db)
    assert r.exit_code == 0 and "no questions collected yet" in r.output
    assert "no opinions" in _run("opinions", "list", "--db", db).output
    assert "no heartbeats" in _run("kiosks", "heartbeats", "--db", db).output


def test_inbox_collect_creates_a_missing_inbox(tmp_path):
    r = _run(
        "inbox",
        "collect",
        "--inbox",
        str(tmp_path / "www" / "inbox"),
        "--db",
        str(tmp_path / "c.sqlite"),
    )
    assert r.exit_code == 0 and "nothing to collect" in r.output, r.output
    assert (tmp_path / "www" / "inbox").is_dir()


def test_inbox_collect_reads_only_the_inbox_of_a_storage_root(tmp_path):
    """A storage root holds the published release too: with no inbox/ yet, there is nothing to
    collect (its metadata is not read as kiosk batches, refused with an unknown key)."""
    pub = Publisher.at(tmp_path / "pub")
    pub.publish({1: "Luật thử"})
    assert list(pub.repo.glob("*/*.json")) and not (pub.repo / "inbox").exists()
    db = str(tmp_path / "c.sqlite")
    r = _run("inbox", "collect", "--inbox", str(pub.repo), "--db", db)
    assert r.exit_code == 0, r.output
    assert r.output.strip() == f"nothing to collect in {pub.repo / 'inbox'}"
    assert (pub.repo / "inbox").is_dir()
    assert not inbox.open_central(Path(db)).db.execute("SELECT * FROM refused").fetchall()
