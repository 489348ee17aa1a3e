"""A librarian's local PDF: in the overlay, searchable at once, and still there after a sync."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from kiosk import local_docs
from offline_index.library import Library
from sync.run import run_sync

from .helpers import Publisher, make_pdf

NOTICE = ["Thông báo lịch tiếp công dân tháng mười hai của phường Quỳnhmai", "Trang hai: lịch trực"]


def _search(home: Path, text: str) -> list:
    with Library.open(home) as lib:
        return lib.search(text, limit=10).hits


def test_local_pdf_searchable_and_survives_sync(home: Path, tmp_path: Path) -> None:
    pub = Publisher.at(tmp_path / "pub")
    pub.publish({101: "Luật Thử Nghiệm bản 1"})
    pub.trust(home)
    run_sync(home, str(pub.repo), upload=False)

    pdf = make_pdf(tmp_path / "tb.pdf", NOTICE)
    doc = local_docs.add_local(
        home, pdf, number="12/TB-UBND", title="Lịch tiếp công dân", fields=["Hành chính"]
    )
    assert doc.scope == "local" and len(doc.pages) == 2
    assert (home / "overlay" / "files" / "local" / f"{doc.id}.pdf").read_bytes() == pdf.read_bytes()
    local_docs.rebuild(home)
    hits = _search(home, "Quỳnhmai")
    assert [h.doc_id for h in hits] == [doc.id]
    with Library.open(home) as lib:
        assert lib.info["release_version"] == 1  # still the synced release, plus the overlay
        assert _search(home, "Thử Nghiệm")

    pub.publish({101: "Luật Thử Nghiệm bản 2"}, updated="2026-02-01")
    report = run_sync(home, str(pub.repo), upload=False)
    assert report.version == 2
    assert [h.doc_id for h in _search(home, "Quỳnhmai")] == [doc.id]
    assert any("bản 2" in h.doc_title for h in _search(home, "Thử Nghiệm"))

    local_docs.remove_local(home, "12/TB-UBND")
    local_docs.rebuild(home)
    assert not _search(home, "Quỳnhmai")


def test_broken_pdf_and_duplicates_refused(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(local_docs.LocalDocError):
        local_docs.add_local(home, bad, number="1/TB", title="x")
    good = make_pdf(tmp_path / "ok.pdf", ["nội dung"])
    local_docs.add_local(home, good, number="1/TB", title="Một")
    with pytest.raises(local_docs.LocalDocError, match="already exists; add it with --replace"):
        local_docs.add_local(home, good, number="1/TB", title="Hai")
    with pytest.raises(local_docs.LocalDocError, match="kind"):
        local_docs.add_local(home, good, number="2/TB", title="Hai", kind="Bài hát")
    assert [d.number for d in local_docs.list_local(home)] == ["1/TB"]


def test_cli_local_add_on_demo_library(home_with_demo: Path, tmp_path: Path) -> None:
    home = home_with_demo
    pdf = make_pdf(tmp_path / "kh.pdf", ["Kế hoạch tuyên truyền phápluậtxyz năm 2027"])
    runner = CliRunner()
    res = runner.invoke(
        cli,
        [
            "local",
            "add",
            str(pdf),
            "--number",
            "5/KH-UBND",
            "--title",
            "Kế hoạch tuyên truyền",
            "--kind",
            "Kế hoạch",
            "--field",
            "Phổ biến pháp luật",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "library rebuilt" in res.output
    assert [h.doc_id for h in _search(home, "phápluậtxyz")] == ["5-kh-ubnd"]
    res = runner.invoke(cli, ["local", "list"])
    assert "5/KH-UBND" in res.output
    # `show` finds it by its number as published and as typed loosely (issue 12).
    for typed in ("5/KH-UBND", "5 kh ubnd", "kế hoạch 5/kh-ubnd"):
        res = runner.invoke(cli, ["show", typed])
        assert res.exit_code == 0 and "Kế hoạch 5/KH-UBND: Kế hoạch tuyên truyền" in res.output


def test_a_local_document_cannot_take_a_published_number(
    home_with_demo: Path, tmp_path: Path
) -> None:
    """`local add … --number 100/2019/NĐ-CP` replaced the decree in every later build: `show`
    gave the librarian's notice under its number, marked in force. Refused, nothing changes."""
    home = home_with_demo
    pdf = make_pdf(tmp_path / "tb.pdf", ["Thông báo lịch tiếp dân"])
    before = CliRunner().invoke(cli, ["show", "100/2019/NĐ-CP"]).output
    assert "Nghị định 100/2019/NĐ-CP" in before
    for extra in ([], ["--no-rebuild"]):
        res = CliRunner().invoke(
            cli, ["local", "add", str(pdf), "--number", "100/2019/NĐ-CP", "--title", "x", *extra]
        )
        assert res.exit_code != 0 and "from the publisher" in res.output, res.output
    assert local_docs.list_local(home) == []
    assert CliRunner().invoke(cli, ["show", "100/2019/NĐ-CP"]).output == before
    with pytest.raises(local_docs.LocalDocError) as err:
        local_docs.add_local(home, pdf, number="100/2019/NĐ-CP", title="x")
    assert "100/2019/NĐ-CP do Sở Tư pháp gửi" in err.value.message_vi


def test_cli_local_add_dates_as_vietnamese_write_them(home: Path, tmp_path: Path) -> None:
    """`--issued 07/12/2026` is 7 December; a wrong date is named by its option and format,
    not by the overlay file it would have gone into."""
    pdf = make_pdf(tmp_path / "tb.pdf", ["Thông báo lịch tiếp dân"])
    add = ["local", "add", str(pdf), "--number", "15/TB-UBND", "--title", "Lịch", "--no-rebuild"]
    res = CliRunner().invoke(cli, [*add, "--issued", "07/13/2026"])
    assert res.exit_code == 2 and "--issued" in res.output and "dd/mm/yyyy" in res.output
    assert "overlay" not in res.output and not local_docs.list_local(home)
    res = CliRunner().invoke(cli, [*add, "--issued", "07/12/2026", "--effective", "2026-12-15"])
    assert res.exit_code == 0, res.output
    [doc] = local_docs.list_local(home)
    assert (doc.issued, doc.effective) == ("2026-12-07", "2026-12-15")
    with pytest.raises(local_docs.LocalDocError, match="^issued date: expected a date"):
        local_docs.add_local(home, pdf, number="16/TB", title="x", issued="07.12.2026")


def test_cli_local_remove_asks_first(home: Path, tmp_path: Path) -> None:
    """Nothing brings a removed PDF or its OCR text back: the console asks, naming the
    document; `--yes` is for scripts; an unknown number is refused before anything is asked."""
    pdf = make_pdf(tmp_path / "tb.pdf", ["Thông báo lịch tiếp dân"])
    local_docs.add_local(home, pdf, number="15/TB-UBND", title="Lịch tiếp dân")
    remove = ["local", "remove", "15/TB-UBND", "--no-rebuild"]
    res = CliRunner().invoke(cli, remove, input="n\n")
    assert res.exit_code == 1 and "Remove 15/TB-UBND (Lịch tiếp dân)" in res.output
    assert [d.number for d in local_docs.list_local(home)] == ["15/TB-UBND"]  # kept
    res = CliRunner().invoke(cli, ["local", "remove", "99/TB", "--no-rebuild"])
    assert res.exit_code != 0 and "no local document '99/TB'" in res.output
    assert "Remove" not in res.output
    res = CliRunner().invoke(cli, remove, input="y\n")
    assert res.exit_code == 0 and "removed 15-tb-ubnd" in res.output, res.output
    assert not local_docs.list_local(home)
    local_docs.add_local(home, pdf, number="15/TB-UBND", title="Lịch tiếp dân")
    res = CliRunner().invoke(cli, [*remove, "--yes"])
    assert res.exit_code == 0 and "Remove" not in res.output and not local_docs.list_local(home)
