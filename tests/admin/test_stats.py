"""Usage counters, k-anonymous topics, CSV and one-page PDF read back, outbox upload."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pymupdf
import pytest

from kiosk import stats
from kiosk.state import open_state


@pytest.fixture
def db(home: Path):
    return open_state(home)


def _fill(db, today: date) -> None:
    yday = today - timedelta(days=1)
    for _ in range(6):
        stats.record(db, "session", day=yday)
        stats.record(db, "search", "Ly  Hôn", day=yday)
    stats.record(db, "search", "ly hôn", day=today)
    stats.record(db, "search", "Nguyễn Văn A 0912345678", day=today)  # rare: must not leak
    stats.record(db, "document_open", day=today)
    stats.record(db, "contest_attempt", day=today)
    stats.record(db, "question", day=today)


def test_record_and_report_with_k_anonymity(db) -> None:
    today = date(2026, 11, 27)
    _fill(db, today)
    rep = stats.usage_report(
        db, today - timedelta(days=6), today, min_count=5, ward_name="Phường Láng"
    )
    assert len(rep.days) == 7
    assert rep.totals == {
        "session": 6,
        "search": 8,
        "document_open": 1,
        "contest_attempt": 1,
        "question": 1,
        "media_play": 0,  # plays on a public screen (kiosk/signage.py)
    }
    assert rep.topics == [("ly hôn", 7)]
    assert rep.hidden_topics == 1
    assert "Nguyễn" not in stats.report_csv(rep)


def test_unknown_event_refused(db) -> None:
    with pytest.raises(stats.StatsError):
        stats.record(db, "clicked_ad")


def test_csv_export(db, tmp_path: Path) -> None:
    today = date(2026, 11, 27)
    _fill(db, today)
    rep = stats.usage_report(db, today - timedelta(days=1), today, min_count=5)
    path = stats.export_csv(rep, tmp_path / "usage.csv")
    rows = list(csv.reader(path.read_text("utf-8-sig").splitlines()))
    assert rows[0] == ["date", *stats.EVENTS]
    assert rows[1] == ["2026-11-26", "6", "6", "0", "0", "0", "0"]
    assert rows[3][0] == "total" and rows[3][2] == "8"
    assert ["ly hôn", "7"] in rows
    assert not any("Nguyễn" in c for r in rows for c in r)


def test_pdf_is_one_page_and_reads_back(db, tmp_path: Path) -> None:
    today = date(2026, 11, 27)
    _fill(db, today)
    rep = stats.usage_report(db, date(2026, 1, 1), today, min_count=5, ward_name="Phường Láng")
    path = stats.export_pdf(rep, tmp_path / "report.pdf")
    with pymupdf.open(path) as doc:
        assert doc.page_count == 1
        text = doc[0].get_text()
        drawings = doc[0].get_drawings()
    assert "BÁO CÁO SỬ DỤNG" in text and "Phường Láng" in text
    assert "01/01/2026" in text and "27/11/2026" in text
    assert "ly hôn" in text and "Nguyễn" not in text
    assert "Lượt tìm kiếm" in text
    assert len(drawings) >= 3  # the bars of the chart (monthly for a long period)
    assert len(rep.buckets()) == 11


def test_daily_totals_queued_once_and_again_only_when_changed(db, home: Path) -> None:
    today = date(2026, 11, 27)
    _fill(db, today)
    assert stats.queue_daily_totals(db, home, today=today, min_count=5) == 1
    assert stats.queue_daily_totals(db, home, today=today, min_count=5) == 0
    rows = db.execute("SELECT payload FROM outbox WHERE kind = 'usage_daily'").fetchall()
    payload = json.loads(rows[0][0])
    assert payload["day"] == "2026-11-26"
    assert payload["counts"]["session"] == 6
    assert payload["topics"] == [["ly hôn", 6]]
    assert payload["upsert_key"] == "usage_daily/2026-11-26"
    stats.record(db, "question", day=today - timedelta(days=1))  # a late count for that day
    assert stats.queue_daily_totals(db, home, today=today, min_count=5) == 1
    # Today is not finished: it is never uploaded before midnight.
    assert not db.execute("SELECT 1 FROM outbox WHERE payload LIKE '%2026-11-27%'").fetchone()


@pytest.mark.parametrize("config", ["", 'ward_name = "Phường/Xã"\n'])
def test_report_without_a_ward_shows_no_placeholder(db, home: Path, config: str) -> None:
    (home / "config.toml").write_text(config)
    today = date.today()
    _fill(db, today)
    rep = stats.report_from_settings(db, home, today - timedelta(days=30), today)
    path = stats.export_pdf(rep, home / "report.pdf")
    with pymupdf.open(path) as doc:
        text = doc[0].get_text()
    assert "BÁO CÁO SỬ DỤNG" in text and "Phường/Xã" not in text and "Xã/Phường" not in text
