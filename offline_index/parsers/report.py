"""Corpus report: how well the parser does on a folder of raw laws (docs/parsing.md quotes it).

    python -m offline_index.parsers.report ../shared/data/laws/uts_vlc

For each file: did it parse, the number of line-initial article headings in the raw
text, the number of articles parsed, and which metadata came out and from where.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from offline_index.errors import ContentError
from offline_index.parsers.document import SUFFIXES, clean_lines, parse_file, parse_metadata
from offline_index.parsers.readers import read_txt

META_FIELDS = ("number", "kind", "title", "issuer", "issued")
HEADING_RE = re.compile(r"^Điều\s+\d+[a-zđ]?\s*[.:]")


@dataclass
class FileReport:
    name: str
    error: str = ""
    headings: int = 0  # line-initial "Điều N." / "Điều N:" in the raw text
    articles: int = 0
    meta: dict[str, str] = field(default_factory=dict)  # field -> value ("" if missing)
    sources: dict[str, str] = field(default_factory=dict)


def report_file(path: Path) -> FileReport:
    rep = FileReport(path.name)
    try:
        text = read_txt(path) if path.suffix == ".txt" else ""
        doc = parse_file(path)
    except ContentError as exc:
        rep.error = exc.reason
        if text:
            header, _ = parse_metadata(text, str(path))
            rep.meta = {k: str(getattr(header, k) or "") for k in META_FIELDS}
        return rep
    header, _ = parse_metadata(text, str(path)) if text else (None, None)
    rep.headings = sum(1 for line in clean_lines(text) if HEADING_RE.match(line))
    rep.articles = len(doc.articles())
    rep.meta = {k: str(getattr(doc, k) or "") for k in META_FIELDS}
    rep.sources = dict(header.sources) if header else {}
    if rep.sources.get("title") == "" and rep.meta["title"] == f"{doc.kind} {doc.number}":
        rep.meta["title"] = ""  # the "<kind> <number>" stand-in is not a parsed title
    return rep


def corpus_report(folder: Path) -> list[FileReport]:
    files = sorted(
        p for p in Path(folder).iterdir() if p.suffix in SUFFIXES and p.name[0] not in "_."
    )
    return [report_file(p) for p in files]


def render(reports: list[FileReport]) -> str:
    """Markdown summary: rates per field, files that failed, and fallbacks used."""
    total = len(reports)
    lines = [
        f"Files: {total}; parsed: {sum(1 for r in reports if not r.error)}; "
        f"articles: {sum(r.articles for r in reports)}",
        "",
    ]
    lines += ["| field | present | rate |", "|---|---|---|"]
    for key in META_FIELDS:
        present = sum(1 for r in reports if r.meta.get(key))
        lines.append(f"| {key} | {present}/{total} | {present / total:.1%} |")
    lines += ["", "Not parsed or incomplete:"]
    for r in reports:
        missing = [k for k in META_FIELDS if not r.meta.get(k)]
        if r.error or missing:
            why = r.error or f"missing {', '.join(missing)}"
            lines.append(f"- `{r.name}`: {why}")
    fallbacks = [
        (r.name, k, v)
        for r in reports
        for k, v in r.sources.items()
        if v in ("filename", "inferred", "closing")
    ]
    lines += ["", "Fields taken from a fallback (file name, implied issuer, closing formula):"]
    lines += [f"- `{name}`: {key} from {how}" for name, key, how in fallbacks]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(corpus_report(Path(sys.argv[1]))))
