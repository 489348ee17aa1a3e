"""Usage counters, k-anonymous labels per kind of count, CSV and one-page PDF read back,
outbox upload, and the migration that drops the raw search texts of old versions."""

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
        stats.record(db, "search", "Luật  Cư trú", day=yday)
    stats.record(db, "search", "Luật Cư trú", day=today)
    stats.record(db, "search", "Nguyễn Văn A 0912345678", day=today)  # rare: must not leak
    stats.record(db, "document_open", day=today)
    stats.record(db, "contest_attempt", "thang-11-2026", day=today)
    stats.record(db, "question", "Đất đai", day=today)


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
    assert rep.topics == [("Luật Cư trú", 7)]
    assert rep.hidden == {"search": 1, "document_open": 0, "contest_attempt": 1, "question": 1}
    assert "Nguyễn" not in stats.report_csv(rep)


def test_each_kind_of_count_has_its_own_label(db, tmp_path: Path) -> None:
    """Issue 13: with no searches at all the report said 'Chủ đề tìm kiếm dưới 5 lượt không
    được liệt kê (2 chủ đề)', counting a contest id and a question field as search topics;
    and the CSV called everything `topic,searches`."""
    today = date(2026, 11, 27)
    for _ in range(5):
        stats.record(db, "contest_attempt", "thang-11-2026", day=today)
    stats.record(db, "question", "Đất đai", day=today)
    stats.record(db, "document_open", "68/2020/QH14", day=today)
    rep = stats.usage_report(db, today, today, min_count=5)
    assert rep.topics == [] and rep.hidden_topics == 0
    assert rep.items["contest_attempt"] == [("thang-11-2026", 5)]
    assert rep.hidden["question"] == 1 and rep.hidden["document_open"] == 1
    note = rep.withheld_vi()
    assert "chủ đề" not in note and "1 lĩnh vực" in note and "1 văn bản" in note
    rows = list(csv.reader(stats.report_csv(rep).splitlines()))
    headers = [r[0] for r in rows if r and r[0] in {k.csv_item for k in stats.ITEM_KINDS}]
    assert headers == ["search_topic", "document", "contest", "question_field"]
    assert ["thang-11-2026", "5"] in rows
    assert not any(r[:1] == ["topic"] for r in rows)
    with pymupdf.open(stats.export_pdf(rep, tmp_path / "r.pdf")) as doc:
        text = doc[0].get_text()
    for kind in stats.ITEM_KINDS:
        assert kind.heading_vi.split(" (")[0] in text
    assert "thang-11-2026" in text and "(2 chủ đề)" not in text


def test_labels_never_keep_phone_or_id_numbers(db) -> None:
    today = date(2026, 11, 27)
    for text in ("Gọi 0912 000 111", "cccd 001234567890", "0912.000.111"):
        stats.record(db, "document_open", text, day=today)
    stats.record(db, "document_open", "100/2019/NĐ-CP", day=today)  # official numbers stay
    labels = [r[0] for r in db.execute("SELECT label FROM usage_items")]
    assert "100/2019/NĐ-CP" in labels
    assert not any(c.isdigit() for label in labels if "NĐ" not in label for c in label)


def test_search_topic_is_the_top_hit_never_the_query() -> None:
    from offline_index.search_engine import Hit

    def hit(**kw: str) -> Hit:
        base = dict(key="k", hit_type="article", doc_id="d", article="1", page=None, score=1.0)
        base.update(snippet="", doc_number="", doc_title="", kind="", validity="", article_title="")
        return Hit(**{**base, **kw})

    law = hit(doc_number="68/2020/QH14", doc_title="Luật Cư trú", kind="Luật")
    assert stats.search_topic([law]) == "Luật Cư trú (68/2020/QH14)"
    long = hit(doc_number="100/2019/NĐ-CP", kind="Nghị định", doc_title="Nghị định quy định " * 4)
    assert stats.search_topic([long]) == "Nghị định 100/2019/NĐ-CP"
    assert stats.search_topic([hit(hit_type="qa")], "Giao thông") == "Hỏi đáp: Giao thông"
    assert stats.search_topic([]) == stats.NO_RESULT_VI


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
    assert ["Luật Cư trú", "7"] in rows
    assert not any("Nguyễn" in c for r in rows for c in r)


def test_an_export_never_replaces_what_is_not_a_file(db, tmp_path: Path) -> None:
    """`stats export --csv /dev/full` replaced the device node with a CSV file (as root); a
    `/dev/sdb1` typed for the stick's mount point would have gone the same way."""
    rep = stats.usage_report(db, date(2026, 11, 1), date(2026, 11, 27), min_count=5)
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()
    for target in (Path("/dev/null"), folder):
        with pytest.raises(stats.StatsError, match="is not a file"):
            stats.export_files(rep, target, None)
    assert folder.is_dir() and list(folder.iterdir()) == [] and Path("/dev/null").is_char_device()


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
    assert "Luật Cư trú" in text and "Nguyễn" not in text
    assert "Lượt tìm kiếm" in text
    assert len(drawings) >= 3  # the bars of the chart (monthly for a long period)
    assert len(rep.buckets()) == 11 and rep.buckets()[0][0] == "01/2026"
    month = stats.usage_report(db, date(2026, 11, 1), today, min_count=5, ward_name="Phường Láng")
    assert month.buckets()[-1][0] == "27/11"  # day/month, as dates are written here


def test_daily_totals_queued_once_and_again_only_when_changed(db, home: Path) -> None:
    today = date(2026, 11, 27)
    _fill(db, today)
    assert stats.queue_daily_totals(db, home, today=today, min_count=5) == 1
    assert stats.queue_daily_totals(db, home, today=today, min_count=5) == 0
    rows = db.execute("SELECT payload FROM outbox WHERE kind = 'usage_daily'").fetchall()
    payload = json.loads(rows[0][0])
    assert payload["day"] == "2026-11-26"
    assert payload["counts"]["session"] == 6
    assert payload["items"]["search"] == [["Luật Cư trú", 6]]
    assert "topics" not in payload
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


def test_migration_drops_the_raw_search_texts_of_old_versions(home: Path) -> None:
    """An old kiosk kept every search word for word in usage_topics (and so on disk)."""
    from kiosk import admin_schema
    from kiosk.state import all_migrations, connect
    from offline_index.home import state_db_path
    from offline_index.migrations import migrate

    db = connect(state_db_path(home))
    db.execute("PRAGMA secure_delete=OFF")  # as an old version wrote it
    migrate(db, [m for m in all_migrations() if m.name != "0003_usage_items"])
    with db.atomic():
        for i in range(50):
            db.execute(
                "INSERT INTO usage_topics VALUES (?, ?, 1)",
                [f"2026-{1 + i // 28:02d}-{1 + i % 28:02d}", _PII],
            )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    assert _PII.encode() in state_db_path(home).read_bytes()  # the test is not vacuous
    db = open_state(home)
    assert "usage_topics" not in db.table_names() and "usage_items" in db.table_names()
    assert admin_schema.MIGRATIONS[-1].name == "0003_usage_items"
    db.conn.close()
    for path in home.rglob("*"):
        assert not path.is_file() or _PII.encode() not in path.read_bytes(), path


_PII = "le thi pii 0912000111"


def test_reports_across_kiosks_reuse_the_kiosk_report() -> None:
    """The centre sums uploaded days with build_report: each kind keeps its own label, and
    the mixed `topics` of older kiosks are not read."""
    day = "2026-11-26"
    a = {"day": day, "counts": {"search": 4}, "items": {"search": [["Luật Cư trú", 3]]}}
    b = {
        "day": day,
        "counts": {"search": 3, "contest_attempt": 2},
        "items": {"search": [["Luật Cư trú", 2]], "contest_attempt": [["c1", 2]]},
        "topics": [["what an old kiosk let through", 9]],
    }
    rows = [stats.payload_rows(p) for p in (a, b)]
    rep = stats.build_report(
        date(2026, 11, 26),
        date(2026, 11, 26),
        [r for daily, _ in rows for r in daily],
        [r for _, items in rows for r in items],
        min_count=5,
    )
    assert rep.totals["search"] == 7 and rep.topics == [("Luật Cư trú", 5)]
    assert rep.hidden["contest_attempt"] == 1
    assert "what an old kiosk" not in stats.report_csv(rep)
