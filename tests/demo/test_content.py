"""The committed demo bookshelf and media loop: valid, sourced, small, and reproducible."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pymupdf
import pytest

from offline_index.demo import media_data as media_data
from offline_index.demo import pubs_data as data
from offline_index.demo import pubs_make as make
from offline_index.model import Media, Publication


def _load(folder: Path, cls: type) -> list:
    return [
        cls.from_dict(json.loads(p.read_text("utf-8")), p.name)
        for p in sorted(folder.glob("*.json"))
    ]


def test_publications_validate_and_cover_the_categories(demo_src: Path) -> None:
    pubs = _load(demo_src / "publications", Publication)
    cats = {p.category for p in pubs}
    assert {
        "book",
        "handbook",
        "leaflet",
        "story",
        "outline",
        "video_skit",
        "video_lecture",
    } <= cats
    doc_fields = set()
    for path in (demo_src / "documents").glob("*.json"):
        doc_fields.update(json.loads(path.read_text("utf-8")).get("fields", []))
    for p in pubs:
        assert p.fields and set(p.fields) <= doc_fields, p.id  # same field names as the laws
        assert (demo_src / "files" / p.file).is_file(), p.file
        assert p.published and p.summary


def test_pdf_pages_match_the_json_pages(demo_src: Path) -> None:
    for p in _load(demo_src / "publications", Publication):
        if not p.file.endswith(".pdf"):
            continue
        with pymupdf.open(demo_src / "files" / p.file) as pdf:
            assert len(pdf) == len(p.pages) >= 2, p.id
            for page, text in zip(pdf, p.pages, strict=True):
                assert make._clean(page.get_text("text", clip=make.BODY)) == text
                assert page.rect.width < page.rect.height  # A5 portrait
            fonts = {f[3] for page in pdf for f in page.get_fonts()}
            assert any("+Noto Sans" in f for f in fonts)  # subset, embedded (Vietnamese glyphs)


def test_quotes_are_verbatim_law_text(demo_src: Path) -> None:
    """A quoted khoản in a PDF page is the document's own wording, with its source named."""
    laws = make.Laws(demo_src / "documents")
    handbook = json.loads((demo_src / "publications/so-tay-cu-tru.json").read_text("utf-8"))
    text = " ".join(" ".join(handbook["pages"]).split())
    k = laws.child(laws.article("68-2020-qh14", "27"), "khoan", "1")["text"]
    assert " ".join(k.split()) in text
    assert "(Trích khoản 1, 2 Điều 27 Luật Cư trú số 68/2020/QH14)" in text
    leaflet = " ".join(
        json.loads((demo_src / "publications/to-gap-muc-phat-giao-thong.json").read_text("utf-8"))[
            "pages"
        ]
    )
    assert re.search(r"4\.000\.000 – 6\.000\.000 đồng\s+Trừ 04 điểm GPLX", leaflet)
    assert "điểm c khoản 7 Điều 7 Nghị định 168/2024/NĐ-CP" in " ".join(leaflet.split())


def test_missing_article_stops_the_generator(demo_src: Path) -> None:
    laws = make.Laws(demo_src / "documents")
    with pytest.raises(KeyError):
        make.block_units(laws, [data.Q(data.CU_TRU, "999")])
    with pytest.raises(KeyError):
        make.block_units(laws, [data.FINE("Xe máy", "x", "7", "7", "z")])


def test_media_windows_and_files(demo_src: Path) -> None:
    media = _load(demo_src / "media", Media)
    infos = [m for m in media if m.type == "infographic"]
    assert 3 <= len(infos) <= 4 and any(m.type == "video" for m in media)
    active = [m for m in media if m.starts <= "2026-11-28" <= m.ends]
    next_year = [m for m in media if m.starts <= "2027-11-28" <= m.ends]
    expired = [m for m in media if m.ends < "2026-11-28"]
    assert len(expired) == 1 and len(active) == len(next_year) == len(media) - 1
    for m in infos:
        pix = pymupdf.Pixmap(str(demo_src / "files" / m.file))
        assert (pix.width, pix.height) == (1920, 1080)


def test_videos_are_small_h264_with_subtitles(demo_src: Path) -> None:
    for spec in media_data.VIDEOS:
        mp4 = demo_src / "files/media" / f"{spec['id']}.mp4"
        head = mp4.read_bytes()
        assert len(head) < 1_000_000 and head[4:8] == b"ftyp" and b"avc1" in head
        vtt = (demo_src / "files/media" / f"{spec['id']}.vtt").read_text("utf-8")
        assert vtt.startswith("WEBVTT") and vtt.count("-->") == len(spec["slides"])
        assert 10 <= len(spec["slides"]) * make.SLIDE_SECONDS <= 20


def test_total_size_under_budget(demo_src: Path) -> None:
    paths = [
        demo_src / "files/pubs",
        demo_src / "files/media",
        demo_src / "publications",
        demo_src / "media",
    ]
    total = sum(f.stat().st_size for p in paths for f in p.rglob("*") if f.is_file())
    assert total < 6_000_000


@pytest.mark.skipif(not make.FONT_DIR.is_dir(), reason="fonts-noto-core not installed")
def test_generator_reproduces_committed_files(demo_src: Path, tmp_path: Path) -> None:
    """Everything but the MP4s (ffmpeg, generation only) is byte-for-byte reproducible."""
    make.make_all(tmp_path, videos=False, documents=demo_src / "documents")
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = [
        p.relative_to(demo_src)
        for sub in ("publications", "media", "files/pubs", "files/media")
        for p in (demo_src / sub).rglob("*")
        if p.is_file() and p.suffix != ".mp4"
    ]
    assert made == sorted(committed)
    for rel in made:
        regen = "python -m offline_index.demo.pubs_make ../shared/data offline_index/demo/content"
        assert (tmp_path / rel).read_bytes() == (demo_src / rel).read_bytes(), f"{rel}: run {regen}"


def test_video_figures_match_the_decree(demo_src: Path) -> None:
    """Amounts typed on slides agree with the decree text they cite."""
    laws = make.Laws(demo_src / "documents")
    slides = {s[0]: " ".join(s[1]) for v in media_data.VIDEOS for s in v["slides"]}
    assert laws.fine("7", "7", "c")[0] in slides["Mức phạt xe máy vượt đèn đỏ"]
    amounts = {laws.fine(a, k, d)[0] for a, k, d in [("7", "6", "a"), ("7", "9", "d")]}
    assert amounts == {"2.000.000 – 3.000.000 đồng", "8.000.000 – 10.000.000 đồng"}
    assert "Phạt 2 – 10 triệu đồng" in slides["Xe máy có nồng độ cồn"]
    low, high = laws.fine("6", "6", "c")[0], laws.fine("6", "11", "a")[0]
    assert low.startswith("6.000.000") and high.endswith("40.000.000 đồng")
    assert "Phạt 6 – 40 triệu đồng" in slides["Ô tô có nồng độ cồn"]


# An official number as the texts write it: `52/2014/QH13`, `168/2024/NĐ-CP`, `43/2021/AL`.
_NUMBER = re.compile(r"\b\d{1,4}/\d{4}/[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*")


def test_every_number_the_content_names_is_a_document_of_the_library(demo_src: Path) -> None:
    """A number written by hand in a sentence (`Bộ luật Dân sự số 91/2015/QH14`, for QH13)
    sends a resident to a law that does not exist: every official number the bookshelf,
    media, contests, notices and Q&A name is one of the demo library's documents."""
    known = {
        json.loads(p.read_text("utf-8"))["number"] for p in (demo_src / "documents").glob("*.json")
    }
    named: dict[str, str] = {}
    for path in sorted(demo_src.rglob("*.json")):
        if "documents" not in path.relative_to(demo_src).parts:
            for m in _NUMBER.finditer(path.read_text("utf-8")):
                named.setdefault(m.group(0), path.name)
    assert len(named) >= 8  # the check reads the content's numbers at all
    assert {n: where for n, where in named.items() if n not in known} == {}
