"""Law currency across the library: derived at build time, read at query time, publisher first.

Real raw texts from the shared corpus are built into real generations and read through the
Library API, as the kiosk's reader reads them.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from offline_index import currency_view as cv
from offline_index.build import build_generation
from offline_index.library import Library
from offline_index.search_types import SearchFilters

UTS = "laws/uts_vlc"
OLD_DN = "Luat-Doanh-nghiep-2014-259730.txt"
NEW_DN = "Luat-Doanh-nghiep-so-59-2020-QH14-427301.txt"


def _raw(tmp: Path, shared: Path, *names: str, meta: dict[str, dict] | None = None) -> Path:
    """A content folder (manifest + raw/) holding some raw texts of the shared corpus."""
    src = tmp / "src"
    (src / "raw").mkdir(parents=True)
    updated = (meta or {}).pop("updated", {}).get("date", "2026-11-28")
    (src / "lawshelf-content.json").write_text(
        json.dumps({"format": 1, "name": "t", "updated": updated})
    )
    for name in names:
        path = shared / UTS / name if (shared / UTS / name).is_file() else shared / "laws" / name
        shutil.copy(path, src / "raw" / path.name)
        if meta and path.name in meta:
            (src / "raw" / f"{path.name}.meta.json").write_text(json.dumps(meta[path.name]))
    return src


def _build(tmp: Path, src: Path):  # noqa: ANN202
    out = tmp / "gen"
    return out, build_generation([src], out)


@pytest.fixture(scope="module")
def dn(tmp_path_factory: pytest.TempPathFactory, shared_data: Path):  # noqa: ANN201
    tmp = tmp_path_factory.mktemp("dn")
    gen, report = _build(tmp, _raw(tmp, shared_data, OLD_DN, NEW_DN))
    with Library.open(gen) as lib:
        yield lib, report


def test_a_law_repealed_by_a_newer_one_in_the_library_says_so(dn) -> None:  # noqa: ANN001
    lib, report = dn
    old = lib.document("68-2014-qh13")
    assert (old.validity, old.validity_source, old.publisher_validity) == (
        "not_in_force",
        "text",
        "unknown",
    )
    assert old.status_notice_vi == (
        "Hết hiệu lực từ 01/01/2021, theo Khoản 2 Điều 217 Luật Doanh nghiệp 59/2020/QH14."
    )
    source = old.currency.source
    assert (source.doc_id, source.article) == ("59-2020-qh14", "217")
    assert source.sentence == (
        "Luật Doanh nghiệp số 68/2014/QH13 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành."
    )
    rel = [r for r in old.relations if r.type == "replaced_by"]
    assert [(r.target, r.target_doc_id, r.from_text) for r in rel] == [
        ("59/2020/QH14", "59-2020-qh14", True)
    ]
    new = lib.document("59-2020-qh14")
    assert new.in_force and new.validity == "unknown"  # the texts say nothing about it
    assert ("replaces", "68-2014-qh13") in {(r.type, r.target_doc_id) for r in new.relations}
    assert report.currency["applied"] >= 1 and report.currency["statuses"] == {"not_in_force": 1}


def test_browsing_and_numbers_see_the_status_in_force(dn) -> None:  # noqa: ANN001
    lib, _ = dn
    listed = {d.id: d.validity for d in lib.documents()}
    assert listed["68-2014-qh13"] == "not_in_force"
    assert lib.find_number("luật doanh nghiệp 68/2014") == "68-2014-qh13"  # asked by number


def test_the_status_table_search_reads_at_query_time(dn) -> None:  # noqa: ANN001
    lib, _ = dn
    status = cv.load_status(lib.db)
    old = status["68-2014-qh13"]
    assert (old.validity, old.source, old.replaced_by) == (
        "not_in_force",
        "text",
        ("59-2020-qh14",),
    )
    assert old.article_in_force("1") is False
    assert status["59-2020-qh14"].article_in_force("1") is None  # unknown, not "in force"


def test_the_publisher_wins_and_the_build_reports_the_conflict(
    tmp_path: Path, shared_data: Path
) -> None:
    meta = {OLD_DN: {"validity": "in_force"}}
    gen, report = _build(tmp_path, _raw(tmp_path, shared_data, OLD_DN, NEW_DN, meta=meta))
    assert report.currency["conflicts"] == [
        "68/2014/QH13: the publisher says in_force, the texts say not_in_force"
    ]
    with Library.open(gen) as lib:
        old = lib.document("68-2014-qh13")
        assert (old.validity, old.validity_source, old.in_force) == (
            "in_force",
            "publisher",
            True,
        )
        assert old.currency is None and old.status_notice_vi == ""
        # the relation read from the texts is still listed, for the librarian to see
        assert any(r.type == "replaced_by" for r in old.relations)
        # and search does not take it as replaced either (currency_view.doc_attributes)
        attrs = cv.doc_attributes(lib.db)["68-2014-qh13"]
        assert (attrs.validity, attrs.replaced_by, attrs.repealed_articles) == (
            "in_force",
            (),
            frozenset(),
        )


def test_a_repeal_that_takes_effect_later_is_recorded_not_applied(
    tmp_path: Path, shared_data: Path
) -> None:
    meta = {"updated": {"date": "2020-12-31"}}  # content dated the day before 59/2020 applies
    gen, report = _build(tmp_path, _raw(tmp_path, shared_data, OLD_DN, NEW_DN, meta=meta))
    assert report.currency["pending"] >= 1 and report.currency["applied"] == 0
    assert report.currency["statuses"] == {"not_yet_in_force": 1}  # 59/2020 itself
    with Library.open(gen) as lib:
        old = lib.document("68-2014-qh13")
        assert old.validity == "unknown" and old.in_force
        rel = next(r for r in old.relations if r.type == "replaced_by")
        assert (rel.applied, rel.effective) == (False, "2021-01-01")
        new = lib.document("59-2020-qh14")
        assert new.validity == "not_yet_in_force"
        assert new.status_notice_vi == "Chưa có hiệu lực: có hiệu lực từ 01/01/2021."


def test_a_decree_partly_replaced_marks_the_repealed_articles(
    tmp_path: Path, shared_data: Path
) -> None:
    gen, _ = _build(tmp_path, _raw(tmp_path, shared_data, "nd100_2019.html", "nd168_2024.html"))
    with Library.open(gen) as lib:
        old = lib.document("100-2019-nd-cp")
        assert old.validity == "partly_in_force"
        assert old.status_notice_vi.startswith("Hết hiệu lực một phần từ 01/01/2025 (Điều 5, 6, 7,")
        assert (
            old.status_notice_vi.endswith(
                ", theo Điều 52 Nghị định quy định xử phạt vi phạm hành chính về trật tự, an toàn giao thông"
                " trong lĩnh vực giao thông đường bộ; trừ điểm, trừ điểm giấy phép lái xe; quản lý, vận hành"
                " cơ sở đăng kiểm 168/2024/NĐ-CP."
            )
            or "168/2024/NĐ-CP" in old.status_notice_vi
        )
        six = old.article_status["6"]  # fines for motorbike riders
        assert (six.state, six.since, six.applied) == ("repealed", "2025-01-01", True)
        assert six.source.where == "Điểm d Khoản 8 Điều 52"
        assert old.article_status["3"].state == "partly_repealed"  # only khoản 1 of Điều 3
        assert old.article_status["74"].state == "partly_repealed"
        status = cv.load_status(lib.db)["100-2019-nd-cp"]
        assert status.article_in_force("6") is False and status.article_in_force("3") is True
        attrs = cv.doc_attributes(lib.db)["100-2019-nd-cp"]
        assert attrs.replaced_by == ("168-2024-nd-cp",) and "6" in attrs.repealed_articles
        assert attrs.record_validity("6") == "not_in_force"
        assert attrs.record_validity("3") == "partly_in_force"
        # Điều 52 names what it repeals; the railway articles it does not name still apply.
        assert "3" in attrs.partly_articles and "63" not in attrs.partly_articles
        assert attrs.record_validity("63") == "in_force"


def test_an_article_a_partial_repeal_does_not_name_is_shown_in_force(
    tmp_path: Path, shared_data: Path
) -> None:
    gen, _ = _build(tmp_path, _raw(tmp_path, shared_data, "nd100_2019.html", "nd168_2024.html"))
    with Library.open(gen) as lib:
        validity = {
            h.key: h.validity
            for h in lib.search("nhân viên đường sắt nồng độ cồn", limit=50).hits
            if h.doc_id == "100-2019-nd-cp"
        }
        assert validity["100-2019-nd-cp#a63"] == "in_force"  # railway staff: not named
        # The reader is told the same (its note under Điều 63), by the same rule.
        assert lib.document("100-2019-nd-cp").unnamed_in_force
        assert not lib.document("168-2024-nd-cp").unnamed_in_force
        assert validity.get("100-2019-nd-cp#a6", "not_in_force") == "not_in_force"
        only = SearchFilters(validity="in_force")
        for query, key in (
            ("nhân viên đường sắt nồng độ cồn", "100-2019-nd-cp#a63"),
            ("phân định thẩm quyền xử phạt đường sắt", "100-2019-nd-cp#a74"),
        ):
            assert key in {h.key for h in lib.search(query, limit=50).hits}
            kept = {h.key for h in lib.search(query, 50, only).hits}
            # Điều 74 loses some of its points (partly in force), Điều 63 nothing.
            assert (key in kept) is (key.endswith("a63"))


def test_generations_without_law_currency_still_open() -> None:
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE documents (id TEXT, validity TEXT)")
    conn.execute("INSERT INTO documents VALUES ('a', 'in_force')")
    assert cv.doc_select(conn) == cv.PLAIN_SELECT
    row = conn.execute(cv.doc_select(conn)).fetchone()
    assert cv.validity_of(row) == ("in_force", "publisher")
    assert cv.load_status(conn)["a"].validity == "in_force"
    assert cv.article_notices(conn, "a") == {} and cv.derived_relations(conn, "a") == []


def test_librarians_can_list_what_the_texts_say(dn) -> None:  # noqa: ANN001
    from click.testing import CliRunner

    from cli.main import cli

    lib, _ = dn
    result = CliRunner().invoke(
        cli, ["currency", "--library", str(lib.path)], catch_exceptions=False
    )
    assert result.output.splitlines()[:2] == [
        "68/2014/QH13 Luật doanh nghiệp: Hết hiệu lực from 2021-01-01",
        "    Khoản 2 Điều 217 Luật Doanh nghiệp 59/2020/QH14: Luật Doanh nghiệp số 68/2014/QH13 hết"
        " hiệu lực kể từ ngày Luật này có hiệu lực thi hành.",
    ]


def test_currency_says_in_words_where_a_status_without_a_sentence_comes_from(
    demo_library: Path,
) -> None:
    """A law ended in several provisions has no one sentence: the line says so, and that the
    status shown is the publisher's, instead of ending at a bare colon."""
    from click.testing import CliRunner

    from cli.main import cli

    out = CliRunner().invoke(cli, ["currency", "--library", str(demo_library)]).output
    lines = out.splitlines()
    at = lines.index("02/2011/QH13 Luật Khiếu nại: Hết hiệu lực một phần from 2014-07-01")
    assert lines[at + 1] == (
        "    Điều 35 Luật Tiếp công dân 42/2013/QH13: (several of its provisions say so;"
        " status shown as given by the publisher)"
    )
    assert "_in_force" not in out and not any(line.endswith(": ") for line in lines)
