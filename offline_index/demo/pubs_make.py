"""Generate the demo bookshelf (publications/) and idle media loop (media/) from the demo laws.

    python -m offline_index.demo.pubs_make ../shared/data offline_index/demo/content [--no-video]

Every rule quoted in a PDF, slide or infographic is copied from the demo documents themselves
(documents/*.json, made by make from ../shared/data), so the bookshelf can never drift from
the texts the kiosk shows; a reference to a missing Điều/Khoản/Điểm stops the build. PDFs,
PNGs and JSON are deterministic; the MP4s need ffmpeg (generation only, never at run time).
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pymupdf

from offline_index.demo import media_data as media_data
from offline_index.demo import pubs_data as data
from offline_index.demo.make import write_json
from offline_index.fsutil import atomic_write_text
from offline_index.model import Media, Publication, nfc

log = logging.getLogger(__name__)

FONT_DIR = Path("/usr/share/fonts/truetype/noto")  # fonts-noto-core (installer/dev.sh)
FONT_CSS = (
    "@font-face {font-family: nsans; src: url(NotoSans-Regular.ttf);}"
    "@font-face {font-family: nsans; src: url(NotoSans-Bold.ttf); font-weight: bold;}"
)
PDF_CSS = (
    FONT_CSS
    + """
* {font-family: nsans; font-size: 10.5pt; line-height: 1.3;}
h2 {font-size: 13pt; color: #0b3d91; margin: 6pt 0 3pt 0;}
p {margin: 0 0 4pt 0;}
.q {background-color: #eef3fb; margin: 2pt 0 5pt 0; padding: 4pt 6pt;}
.q p {font-size: 9.5pt; margin: 0 0 2pt 0;}
.qh {font-weight: bold;}
.pt {margin-left: 12pt;}
.src {font-size: 8.5pt; color: #444444; text-align: right;}
.fine {margin: 2pt 0 5pt 0; padding: 3pt 6pt; background-color: #fff4d6;}
.fine p {margin: 0;}
.amt {font-weight: bold; color: #a00000;}
li {margin-bottom: 2pt;}
"""
)
A5 = pymupdf.paper_rect("a5")
BODY = pymupdf.Rect(36, 52, A5.width - 36, A5.height - 40)
FIXED_DATE = "D:20261128000000Z"
SLIDE_SECONDS = 4
# One keyframe per slide at 5 fps keeps a 20 s slideshow near 100 KB; bitexact = reproducible.
ENCODE = (
    "-vf fps=5,format=yuv420p -c:v libx264 -profile:v baseline -level 3.1 -preset slow "
    "-crf 30 -g 20 -threads 1 -movflags +faststart -map_metadata -1 "
    "-fflags +bitexact -flags:v +bitexact -an"
)
AMOUNT = re.compile(r"Phạt tiền từ ([\d.]+) đồng đến ([\d.]+) đồng")


class Laws:
    """The demo documents, for quoting articles by Điều/Khoản/Điểm."""

    def __init__(self, documents_dir: Path) -> None:
        self.docs = {p.stem: json.loads(p.read_text("utf-8")) for p in documents_dir.glob("*.json")}

    def name(self, doc_id: str) -> str:
        d = self.docs[doc_id]
        if d["kind"] in ("Luật", "Bộ luật"):
            return f"{d['title']} số {d['number']}"
        return f"{d['kind']} số {d['number']}"

    def article(self, doc_id: str, number: str) -> dict:
        stack = list(self.docs[doc_id]["body"])
        while stack:
            node = stack.pop()
            if node["level"] == "dieu" and node["number"] == number:
                return node
            stack.extend(node.get("children", []))
        raise KeyError(f"{doc_id}: no Điều {number}")

    @staticmethod
    def child(node: dict, level: str, number: str) -> dict:
        for c in node.get("children", []):
            if c["level"] == level and c["number"] == number:
                return c
        raise KeyError(f"no {level} {number} under {node['level']} {node['number']}")

    def fine(self, art: str, clause: str, point: str) -> tuple[str, str]:
        """(amount, citation) of a Decree 168/2024 point, read from the text."""
        k = self.child(self.article(data.ND168, art), "khoan", clause)
        self.child(k, "diem", point)  # must exist
        m = AMOUNT.search(k["text"])
        if not m:
            raise KeyError(f"Điều {art} khoản {clause}: no fine amount")
        amount = f"{m.group(1)} – {m.group(2)} đồng"
        return amount, f"điểm {point} khoản {clause} Điều {art} Nghị định 168/2024/NĐ-CP"


def _e(text: str) -> str:
    return html.escape(nfc(text).strip(), quote=False)


def quote_units(laws: Laws, doc: str, art: str, clauses: tuple, points: dict) -> list[str]:
    """An article as HTML quote boxes, one per khoản, so long articles can break between pages."""
    node = laws.article(doc, art)
    head = f"<p class='qh'>Điều {_e(art)}. {_e(node.get('title', ''))}</p>"
    if node.get("text"):
        head += f"<p>{_e(node['text'])}</p>"
    units: list[str] = []
    kids = [c for c in node.get("children", []) if not clauses or c["number"] in clauses]
    if clauses and len(kids) != len(clauses):
        raise KeyError(f"{doc} Điều {art}: missing khoản among {clauses}")
    for k in kids:
        body = f"<p>{_e(k['number'])}. {_e(k.get('text', ''))}</p>"
        wanted = points.get(k["number"])
        pts = [c for c in k.get("children", []) if not wanted or c["number"] in wanted]
        if wanted and len(pts) != len(wanted):
            raise KeyError(f"{doc} Điều {art} khoản {k['number']}: missing điểm among {wanted}")
        body += "".join(
            f"<p class='pt'>{_e(p['number'])}) {_e(p.get('text', ''))}</p>" for p in pts
        )
        units.append(body)
    units = units or [""]
    units[0] = head + units[0]
    where = _where(art, clauses, points)
    units[-1] += f"<p class='src'>(Trích {where} {_e(laws.name(doc))})</p>"
    return [f"<div class='q'>{u}</div>" for u in units]


def _where(art: str, clauses: tuple, points: dict) -> str:
    """'điểm a khoản 1 Điều 650', 'khoản 1, 2 Điều 27' or 'Điều 612' for a quote's source line."""
    if len(clauses) == 1 and points.get(clauses[0]):
        return f"điểm {', '.join(points[clauses[0]])} khoản {clauses[0]} Điều {art}"
    return (f"khoản {', '.join(clauses)} " if clauses else "") + f"Điều {art}"


def block_units(laws: Laws, blocks: list[tuple]) -> list[str | None]:
    """HTML units in reading order; None marks a forced page break; headings stick to the next."""
    units: list[str | None] = []
    pending = ""
    for b in blocks:
        kind = b[0]
        if kind == "break":
            units.append(None)
            continue
        if kind == "h":
            pending += f"<h2>{_e(b[1])}</h2>"
            continue
        if kind == "p":
            new = [f"<p>{_e(b[1])}</p>"]
        elif kind == "li":
            new = ["<ul>" + "".join(f"<li>{_e(i)}</li>" for i in b[1]) + "</ul>"]
        elif kind == "q":
            new = quote_units(laws, *b[1:])
        elif kind == "fine":
            _, who, what, art, clause, point, extra = b
            amount, cite = laws.fine(art, clause, point)
            more = f"<p>{_e(extra)}</p>" if extra else ""
            new = [
                f"<div class='fine'><p><b>{_e(who)}:</b> {_e(what)}</p>"
                f"<p class='amt'>{_e(amount)}</p>{more}<p class='src'>{_e(cite)}</p></div>"
            ]
        else:
            raise ValueError(f"unknown block {kind!r}")
        new[0] = pending + new[0]
        pending = ""
        units.extend(new)
    return units


def _fits(html_text: str) -> bool:
    doc = pymupdf.open()
    page = doc.new_page(width=A5.width, height=A5.height)
    spare, _ = page.insert_htmlbox(BODY, html_text, css=PDF_CSS, archive=_archive(), scale_low=1)
    doc.close()
    return spare >= 0


def paginate(units: list[str | None]) -> list[str]:
    pages: list[list[str]] = [[]]
    for u in units:
        if u is None:
            if pages[-1]:
                pages.append([])
            continue
        if _fits("".join([*pages[-1], u])):
            pages[-1].append(u)
        elif pages[-1] and _fits(u):
            pages.append([u])
        else:
            raise ValueError(f"block too long for one page: {u[:120]}")
    return ["".join(p) for p in pages if p]


_ARCHIVE: pymupdf.Archive | None = None


def _archive() -> pymupdf.Archive:
    global _ARCHIVE  # noqa: PLW0603 - one font archive per process
    if _ARCHIVE is None:
        _ARCHIVE = pymupdf.Archive(str(FONT_DIR))
    return _ARCHIVE


def render_pdf(title: str, pages_html: list[str], dest: Path) -> list[str]:
    """Write the PDF; returns each page's body text (what search indexes for that page)."""
    doc = pymupdf.open()
    n = len(pages_html)
    for i, body in enumerate(pages_html, 1):
        page = doc.new_page(width=A5.width, height=A5.height)
        page.draw_rect(pymupdf.Rect(0, 0, A5.width, 40), color=None, fill=(0.04, 0.24, 0.57))
        head = f"<p style='color:white;font-size:9pt;font-weight:bold'>{_e(title)}</p>"
        page.insert_htmlbox(
            pymupdf.Rect(36, 8, A5.width - 36, 38),
            head,
            css=FONT_CSS + "*{font-family:nsans}",
            archive=_archive(),
        )
        page.insert_htmlbox(BODY, body, css=PDF_CSS, archive=_archive(), scale_low=1)
        foot = f"<p style='font-size:8pt;color:#555555'>{_e(data.NOTE)} — Trang {i}/{n}</p>"
        page.insert_htmlbox(
            pymupdf.Rect(36, A5.height - 36, A5.width - 36, A5.height - 6),
            foot,
            css=FONT_CSS + "*{font-family:nsans}",
            archive=_archive(),
        )
    doc.subset_fonts()
    doc.set_metadata(
        {
            "title": title,
            "author": "LawShelf demo",
            "creator": "LawShelf",
            "producer": "LawShelf",
            "creationDate": FIXED_DATE,
            "modDate": FIXED_DATE,
        }
    )
    texts = [_clean(p.get_text("text", clip=BODY)) for p in doc]
    dest.parent.mkdir(parents=True, exist_ok=True)
    doc.save(dest, garbage=4, deflate=True, no_new_id=True)
    doc.close()
    return texts


def _clean(text: str) -> str:
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in nfc(text).splitlines()]
    return "\n".join(ln for ln in lines if ln)


# ------------------------------------------------------------------ slides and infographics

SLIDE_CSS = FONT_CSS + "* {font-family: nsans; text-align: center;}"


def render_png(width: int, height: int, bg: str, body_html: str, dest: Path) -> None:
    """One full-screen image: solid background, big centred text (readable from 2 m)."""
    doc = pymupdf.open()
    page = doc.new_page(width=width, height=height)
    page.draw_rect(page.rect, color=None, fill=_rgb(bg))
    box = pymupdf.Rect(width * 0.06, height * 0.06, width * 0.94, height * 0.94)
    scratch = pymupdf.open()
    spare, _ = scratch.new_page(width=width, height=height).insert_htmlbox(
        box, body_html, css=SLIDE_CSS, archive=_archive(), scale_low=1
    )
    scratch.close()
    if spare < 0:
        raise ValueError(f"{dest.name}: text does not fit")
    box.y0 += spare / 2  # centre vertically
    page.insert_htmlbox(box, body_html, css=SLIDE_CSS, archive=_archive(), scale_low=1)
    dest.parent.mkdir(parents=True, exist_ok=True)
    page.get_pixmap(alpha=False).save(dest)
    doc.close()


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def slide_html(heading: str, lines: list[str], accent: str, scale: float) -> str:
    big, small = int(64 * scale), int(46 * scale)
    out = f"<p style='font-size:{big}px;font-weight:bold;color:{accent};margin-bottom:{small}px'>{_e(heading)}</p>"
    out += "".join(
        f"<p style='font-size:{small}px;color:#ffffff;margin:0'>{_e(ln)}</p>" for ln in lines
    )
    return out


def infographic_html(laws: Laws, info: dict) -> str:
    """Title, then one big line per fact with its legal source, in high contrast."""
    acc = info["accent"]
    out = f"<p style='font-size:84px;font-weight:bold;color:{acc};margin-bottom:40px'>{_e(info['title'])}</p>"
    facts: list[tuple[str, str, str]] = []
    for who, art, clause, point, extra in info.get("rows", []):
        amount, cite = laws.fine(art, clause, point)
        facts.append((f"{who}: {amount}", extra, cite))
    for big, small in info.get("lines", []):
        facts.append((big, small, ""))
    for big, small, cite in facts:
        out += f"<p style='font-size:60px;font-weight:bold;color:#ffffff;margin:24px 0 0 0'>{_e(big)}</p>"
        if small:
            out += f"<p style='font-size:44px;color:{acc};margin:0'>{_e(small)}</p>"
        if cite:
            out += f"<p style='font-size:30px;color:#dddddd;margin:0'>{_e(cite)}</p>"
    if info.get("source"):
        out += f"<p style='font-size:34px;color:#dddddd;margin-top:40px'>Căn cứ: {_e(info['source'])}</p>"
    return out


# ------------------------------------------------------------------ videos


def vtt_text(slides: list[tuple[str, list[str], str]]) -> str:
    def ts(s: int) -> str:
        return f"00:{s // 60:02d}:{s % 60:02d}.000"

    cues = [
        f"{i}\n{ts((i - 1) * SLIDE_SECONDS)} --> {ts(i * SLIDE_SECONDS)}\n{nfc(sub)}\n"
        for i, (_, _, sub) in enumerate(slides, 1)
    ]
    return "WEBVTT\n\n" + "\n".join(cues)


def make_video(slides: list[tuple[str, list[str], str]], dest: Path) -> None:
    """H.264 baseline, yuv420p, 1280x720 slideshow; SLIDE_SECONDS per slide, no audio."""
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        raise RuntimeError("ffmpeg is needed to make the demo videos (apt-get install ffmpeg)")
    with tempfile.TemporaryDirectory() as tmp:
        for i, (head, lines, _) in enumerate(slides):
            render_png(
                1280,
                720,
                "#10243e",
                slide_html(head, lines, "#ffd400", 0.75),
                Path(tmp) / f"s{i:02d}.png",
            )
        seconds = str(len(slides) * SLIDE_SECONDS)
        src = str(Path(tmp) / "s%02d.png")
        cmd = [ffmpeg, "-y", "-loglevel", "error", "-framerate", f"1/{SLIDE_SECONDS}", "-i", src]
        cmd += [*ENCODE.split(), "-t", seconds, str(dest)]
        dest.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(cmd, check=True)


# ------------------------------------------------------------------ JSON and main


def make_publications(laws: Laws, out: Path) -> list[str]:
    made = []
    for spec in data.PUBLICATIONS:
        name = f"pubs/{spec['id']}.pdf"
        pages = render_pdf(
            spec["title"], paginate(block_units(laws, spec["blocks"])), out / "files" / name
        )
        meta = {k: spec[k] for k in ("id", "title", "category", "fields", "summary", "published")}
        obj = {**meta, "file": name, "pages": pages}
        Publication.from_dict(obj, f"publications/{spec['id']}.json")  # validate
        write_json(out / "publications" / f"{spec['id']}.json", obj)
        made.append(spec["id"])
    return made


def make_videos(out: Path, *, videos: bool) -> None:
    for spec in media_data.VIDEOS:
        name, subs = f"media/{spec['id']}.mp4", f"media/{spec['id']}.vtt"
        (out / "files" / "media").mkdir(parents=True, exist_ok=True)
        atomic_write_text(out / "files" / subs, vtt_text(spec["slides"]))
        if videos:
            make_video(spec["slides"], out / "files" / name)
        transcript = "\n".join(nfc(s[2]) for s in spec["slides"])
        if not spec.get("media_only"):
            meta = {
                k: spec[k] for k in ("id", "title", "category", "fields", "summary", "published")
            }
            obj = {**meta, "file": name, "subtitles": subs, "transcript": transcript}
            Publication.from_dict(obj, f"publications/{spec['id']}.json")
            write_json(out / "publications" / f"{spec['id']}.json", obj)
        duration = len(spec["slides"]) * SLIDE_SECONDS
        media = {
            "id": spec["id"],
            "type": "video",
            "title": spec["title"],
            "file": name,
            "starts": "2026-01-01",
            "ends": "2027-12-31",
            "duration_s": duration,
        }
        Media.from_dict(media, f"media/{spec['id']}.json")
        write_json(out / "media" / f"{spec['id']}.json", media)


def make_infographics(laws: Laws, out: Path) -> None:
    for info in media_data.INFOGRAPHICS:
        name = f"media/{info['id']}.png"
        render_png(1920, 1080, info["bg"], infographic_html(laws, info), out / "files" / name)
        media = {
            "id": info["id"],
            "type": "infographic",
            "title": info["title"],
            "file": name,
            "starts": info["starts"],
            "ends": info["ends"],
            "duration_s": 15,
        }
        Media.from_dict(media, f"media/{info['id']}.json")
        write_json(out / "media" / f"{info['id']}.json", media)


def make_all(out: Path, *, videos: bool = True, documents: Path | None = None) -> None:
    """Regenerate publications/, media/, files/pubs/ and files/media/ under `out`."""
    laws = Laws(documents or out / "documents")
    for sub in ("publications", "media", "files/pubs"):
        shutil.rmtree(out / sub, ignore_errors=True)
    if videos:
        shutil.rmtree(out / "files/media", ignore_errors=True)
    make_publications(laws, out)
    make_infographics(laws, out)
    make_videos(out, videos=videos)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="shared data folder (kept for symmetry with make)")
    ap.add_argument("out", type=Path, help="demo content source folder")
    ap.add_argument("--no-video", action="store_true", help="keep existing MP4s (no ffmpeg)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    make_all(args.out, videos=not args.no_video)
    log.info("demo publications and media written to %s", args.out)


if __name__ == "__main__":
    main()
