"""`lawshelf library build|info|verify|gc`, `lawshelf search` and `lawshelf show`.

Thin wrappers around offline_index: each command resolves paths, calls one library
function and prints. `--library` defaults to the home's live library (built from the
embedded demo content on first use).
"""

from __future__ import annotations

import html
import json
import re
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from cli.main import YEAR, home_of
from offline_index.dates import vn_date
from offline_index.document_view import where_line

if TYPE_CHECKING:
    from offline_index.document_view import TextNode
    from offline_index.library import Library
    from offline_index.search_types import Hit, SearchResult


def _library(ctx: click.Context, path: str | None) -> Library:
    from offline_index.build import ensure_library
    from offline_index.library import Library

    if path:
        return Library.open(Path(path))
    from offline_index.generations import live_generation
    from offline_index.home import library_root

    home = home_of(ctx, create=False)
    if live_generation(library_root(home)) is None:
        click.echo(f"No library in {home} yet: building the demo library…", err=True)
    return Library.open(ensure_library(home))


def _plain(snippet: str) -> str:
    """Snippet for a terminal: <mark> becomes bold (or [..] when not a tty)."""
    tty = sys.stdout.isatty()
    snippet = re.sub(r"</mark>(\s+)<mark>", r"\1", snippet)  # a marked phrase, one mark
    marked = re.sub(
        r"<mark>(.*?)</mark>",
        lambda m: click.style(m.group(1), bold=True) if tty else f"[{m.group(1)}]",
        snippet,
    )
    return html.unescape(marked)


# ---------------------------------------------------------------- library build


@click.group("library")
def library_group() -> None:
    """Build and inspect library generations."""


@library_group.command("build")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="New generation folder (default: build into the home library and switch to it).",
)
@click.option("--strict", is_flag=True, help="Fail on the first bad input; write nothing.")
@click.option("--cache", "cache", type=click.Path(path_type=Path), help="Parse cache folder.")
@click.option(
    "--base",
    type=click.Path(exists=True, path_type=Path),
    help="Previous generation to reuse unchanged index parts from.",
)
@click.option(
    "--max-skipped",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="Fail when more than this share of the inputs is skipped.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@click.pass_context
def build_cmd(
    ctx: click.Context,
    sources: tuple[Path, ...],
    out: Path | None,
    strict: bool,
    cache: Path | None,
    base: Path | None,
    max_skipped: float,
    as_json: bool,
) -> None:
    """Build a library from content folders or raw TXT/HTML/DOCX/PDF files or folders.

    Each skipped input is logged once as it is met. A build that yields no documents, or
    skips more than --max-skipped of its inputs, fails and leaves the live library as it was.
    """
    from offline_index.build import build_generation, build_home

    kw: dict[str, Any] = {"strict": strict, "max_skipped": max_skipped, "require_documents": True}
    if cache:
        kw["cache_dir"] = cache
    if base:
        kw["base"] = base
    if sys.stderr.isatty():
        kw["progress"] = _BuildProgress()
    if out:
        report = build_generation(list(sources), out, **kw)
    else:
        report = build_home(home_of(ctx), list(sources), **kw)
    if as_json:
        click.echo(json.dumps(report.summary(), ensure_ascii=False, indent=1))
        return
    c = report.counts
    click.echo(
        f"built {report.gen_dir} in {report.seconds:.1f}s: {c.get('documents', 0)} documents, "
        f"{c.get('articles', 0)} articles, {c.get('qa', 0)} Q&A, "
        f"{c.get('publications', 0)} publications; {len(report.skipped)} skipped; "
        f"parse cache {report.cache_hits} hits / {report.cache_misses} misses; "
        f"index units {report.units_reused} reused / {report.units_indexed} indexed"
    )


class _BuildProgress:
    """`loaded 120 documents`, `indexed 5000/52000 records` on stderr: a line every 2 s at
    most, and the last of each stage (lines, not a redrawn one, so log lines stay whole)."""

    WORDS = {"load": ("loaded", "documents"), "index": ("indexed", "records")}

    def __init__(self) -> None:
        self.last = 0.0
        self.stage = ""
        self.line = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage and self.line:  # the last line of the stage that ended
            click.echo(self.line, err=True)
        self.stage = stage
        verb, noun = self.WORDS.get(stage, ("", ""))
        if not verb:
            return
        self.line = f"  {verb} {done}/{total} {noun}" if total else f"  {verb} {done} {noun}"
        now = time.monotonic()
        if now - self.last >= 2:
            self.last = now
            click.echo(self.line, err=True)
            self.line = ""


@library_group.command("info")
@click.option("--library", "library_path", type=click.Path(exists=True))
@click.pass_context
def info_cmd(ctx: click.Context, library_path: str | None) -> None:
    """Show the generation, dates and counts of a library."""
    with _library(ctx, library_path) as lib:
        click.echo(json.dumps(lib.info, ensure_ascii=False, indent=1))


@library_group.command("verify")
@click.argument("generation", type=click.Path(exists=True, path_type=Path))
def verify_cmd(generation: Path) -> None:
    """Fully check a generation (manifest, checksums, SQLite, index); exit 2 if bad."""
    from offline_index.generations import verify_generation

    verify_generation(generation)
    click.echo(f"ok: {generation}")


@library_group.command("rollback")
@click.pass_context
def rollback_cmd(ctx: click.Context) -> None:
    """Go back to the previous library generation (current and previous swap)."""
    from offline_index.generations import rollback_generation
    from offline_index.home import library_root

    gen = rollback_generation(library_root(home_of(ctx, create=False)))
    click.echo(f"live library is now {gen.name}")


@library_group.command("gc")
@click.pass_context
def gc_cmd(ctx: click.Context) -> None:
    """Delete generations that neither `current` nor `previous` uses, and sync leftovers."""
    from sync.apply import collect_garbage
    from sync.lock import SyncLock

    home = home_of(ctx, create=False)
    with SyncLock(home):  # a running sync owns its stage and partial downloads
        removed = collect_garbage(home)
    for path in removed:
        click.echo(f"removed {path}")
    if not removed:
        click.echo("nothing to remove")


# ---------------------------------------------------------------- search and show


def _hits_json(query: str, result: SearchResult) -> str:
    return json.dumps(
        {
            "query": query,
            "total": result.total,
            "did_you_mean": result.did_you_mean,
            "missing": result.missing,
            "hits": [asdict(h) for h in result.hits],
        },
        ensure_ascii=False,
    )


@click.command("search")
@click.argument("query", required=False)
@click.option(
    "--library",
    "library_path",
    type=click.Path(exists=True),
    help="Generation folder or home (default: this home's live library).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object with the hits.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 200))
@click.option(
    "--queries",
    type=click.File("r", encoding="utf-8"),
    help="File with one query per line ('-' for stdin): prints one JSON line each.",
)
@click.option("--kind")
@click.option("--scope")
@click.option("--field")
@click.option("--validity")
@click.option("--year", type=YEAR)
@click.pass_context
def search_cmd(
    ctx: click.Context,
    query: str | None,
    library_path: str | None,
    as_json: bool,
    limit: int,
    queries: TextIO | None,
    **filters: Any,
) -> None:
    """Search the library (keywords, whole questions or official numbers)."""
    if not query and queries is None:
        raise click.UsageError("give a QUERY or --queries FILE")
    from offline_index.search_types import SearchFilters

    chosen = SearchFilters(**filters)
    with _library(ctx, library_path) as lib:
        if queries is not None:
            for line in queries:
                q = line.strip()
                if q:
                    click.echo(_hits_json(q, lib.search(q, limit, chosen)))
            return
        result = lib.search(query, limit, chosen)
    if as_json:
        click.echo(_hits_json(query, result))
        return
    if result.did_you_mean:
        click.echo(f"Có phải bạn muốn tìm: {result.did_you_mean}")
    if not result.hits:
        click.echo("Không tìm thấy kết quả. (no results)")
    if result.missing:
        click.echo("Kết quả đầu tiên không có từ: " + ", ".join(result.missing))
    for i, h in enumerate(result.hits, 1):
        where = where_line(h.doc_title, h.part)
        click.echo(f"{i:2}. {_hit_head(h)} ({h.score:.2f})\n    {where}\n    {_plain(h.snippet)}")


def _hit_head(h: Hit) -> str:
    """What the hit is and where, as the kiosk's list says it: a Q&A answer is named as
    one, and a text no longer in force says so first, with what replaced it."""
    where = f"Điều {h.article}" if h.article else (f"trang {h.page}" if h.page else "")
    head = " ".join(x for x in (h.doc_number, where, h.article_title) if x)
    head = head or {"qa": "Hỏi đáp"}.get(h.hit_type, h.kind)
    if h.validity != "not_in_force":
        return head
    by = f" · thay thế: {h.replaced_by}" if h.replaced_by else ""
    return f"[Hết hiệu lực{by}] {head}"


def _echo_tree(nodes: tuple[TextNode, ...], depth: int = 0) -> None:
    labels = {
        "phan": "Phần",
        "chuong": "Chương",
        "muc": "Mục",
        "tieu_muc": "Tiểu mục",
        "dieu": "Điều",
    }
    for n in nodes:
        pad = "  " * depth
        text = (n.text or "").strip()
        if n.level in ("khoan", "diem"):
            mark = ". " if n.level == "khoan" else ") "
            click.echo(f"{pad}{n.number}{mark}{text}")
        else:
            label = labels.get(n.level, n.level)
            click.echo(f"{pad}{label} {n.number}. {n.title}".rstrip(". "))
            if text:
                click.echo(f"{pad}  {text}")
        _echo_tree(n.children, depth + 1)


@click.command("show")
@click.argument("number")
@click.option("--library", "library_path", type=click.Path(exists=True))
@click.option("--article", help="Show only this Điều.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show_cmd(
    ctx: click.Context, number: str, library_path: str | None, article: str | None, as_json: bool
) -> None:
    """Show a document (by official number in any loose form, or id), or one article."""
    with _library(ctx, library_path) as lib:
        doc_id = lib.find_number(number) or number
        doc = lib.document(doc_id)
        art = lib.article(doc_id, article) if article else None
    if as_json:
        data = art.to_dict() if art else doc.to_dict()
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    click.echo(f"{doc.kind} {doc.number}: {doc.title}")
    click.echo(f"Ban hành: {vn_date(doc.issued) or '?'}  Hiệu lực: {doc.validity_vi}")
    if not doc.in_force:
        click.echo(click.style(f"!! {doc.status_notice_vi}", bold=True))
    for rel in doc.relations:
        click.echo(
            f"   {rel.label_vi}: {rel.target}"
            + (f" ({rel.target_title})" if rel.target_title else "")
        )
    click.echo("")
    if art:
        click.echo(f"Điều {art.number}. {art.title}\n{(art.text or '').strip()}")
        _echo_tree(art.children, 1)
    else:
        _echo_tree(doc.tree)
        if not doc.tree:
            for i, page in enumerate(doc.pages, 1):
                click.echo(f"--- trang {i} ---\n{page.strip()}")


def register(cli: click.Group) -> None:
    cli.add_command(library_group)
    cli.add_command(search_cmd)
    cli.add_command(show_cmd)
