"""Qt-free helpers: highlighting without diacritics, outlines, subtitles."""

from __future__ import annotations

from ui.render import fold, highlight, outline, terms_of
from ui.screens.video import parse_subtitles


def test_highlight_matches_without_diacritics_and_whole_words_only() -> None:
    assert fold("Đường đi") == "duong di"
    terms = terms_of("ly hon")
    out = highlight("Thuận tình ly hôn; lyhon <b>", terms)
    assert out == "Thuận tình <mark>ly</mark> <mark>hôn</mark>; lyhon &lt;b&gt;"


def test_outline_keeps_chapters_and_falls_back_to_pages() -> None:
    doc = {
        "tree": [
            {
                "level": "chuong",
                "number": "I",
                "title": "CHUNG",
                "children": [
                    {
                        "level": "dieu",
                        "number": "1",
                        "title": "Phạm vi",
                        "text": "x",
                        "children": [],
                    },
                    {"level": "dieu", "number": "2", "title": "", "text": "y", "children": []},
                ],
            }
        ]
    }
    secs = outline(doc).sections
    assert [s.key for s in secs] == ["1", "2"]
    assert secs[0].chapter == "Chương I. CHUNG" and secs[1].label == "Điều 2"
    pages = outline({"tree": [], "pages": ["một", "hai"]}).sections
    assert [s.key for s in pages] == ["p1", "p2"]


def test_srt_and_vtt_subtitles() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,500\nXin chào\n\n2\n00:00:03,000 --> 00:00:04,000\n<i>Hai</i>\n"
    assert parse_subtitles(srt) == [(1000, 2500, "Xin chào"), (3000, 4000, "Hai")]
    vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nMột\n"
    assert parse_subtitles(vtt) == [(1000, 2000, "Một")]
