"""`lawshelf scans ocr|prepare|lexicon`: OCR of scanned PDFs (offline_index.ocr).

`ocr` reads one PDF and keeps the result beside it; `prepare` does that for every scanned
raw PDF of a content source (the publisher runs it, and `publish` runs it first, so a release
ships the text and kiosks never OCR); `lexicon` builds the syllable statistics that correct
OCR text from any content sources.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from offline_index.ocr import OcrOptions, Scan, recognise_pdf, sidecar_path, write_sidecar

PathArg = click.Path(exists=True, path_type=Path)


def progress_line(name: str) -> Callable[[int, int], None]:
    """A progress callback printing `name: 3/12 pages read` on one terminal line (stderr)."""

    def show(done: int, total: int) -> None:
        redraw(f"{name}: {done}/{total} pages read", final=done >= total)

    return show


def redraw(line: str, *, final: bool) -> None:
    """Redraw one progress line on a terminal; elsewhere (logs, pipes) print only the last."""
    if sys.stderr.isatty():
        click.echo(f"\r{line}", err=True, nl=final)
    elif final:
        click.echo(line, err=True)


def describe(scan: Scan) -> list[str]:
    lines = [scan.message()]
    for p in scan.recognised:
        extra = f" ({p.message})" if p.message else ""
        turn = f", turned {p.rotation}°" if p.rotation else ""
        lines.append(
            f"  page {p.page}: {p.status}, confidence {p.confidence:.0%}, "
            f"{p.words} words, {p.corrections} corrected{turn}{extra}"
        )
    return lines


@click.group("scans")
def scans_group() -> None:
    """Read scanned PDFs (OCR, Vietnamese) and keep the text beside them."""


@scans_group.command("ocr")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Sidecar (default: beside the PDF).")
@click.option("--workers", type=int, default=2, show_default=True, help="Pages read at once.")
@click.option("--timeout", type=float, default=90.0, show_default=True, help="Seconds per page.")
@click.option("--json", "as_json", is_flag=True, help="Print the sidecar JSON.")
def ocr_cmd(pdf: Path, out: Path | None, workers: int, timeout: float, as_json: bool) -> None:
    """OCR the image-only pages of PDF and write PDF.ocr.json; says what the parser makes of it."""
    from offline_index.errors import ContentError
    from offline_index.parsers import parse_file
    from offline_index.parsers.scanned import structure_note

    options = OcrOptions(workers=workers, page_timeout_s=timeout)
    scan = recognise_pdf(pdf, options=options, on_progress=progress_line(pdf.name))
    target = write_sidecar(out or sidecar_path(pdf), scan)
    if as_json:
        click.echo(json.dumps(scan.to_dict(), ensure_ascii=False, indent=1))
        return
    for line in describe(scan):
        click.echo(line)
    try:
        click.echo(structure_note(parse_file(pdf, scan=scan), scan))
    except ContentError as exc:
        click.echo(f"as a legal document: {exc.reason}", err=True)
    click.echo(f"written {target}")


@scans_group.command("prepare")
@click.argument("source", type=PathArg)
def prepare_cmd(source: Path) -> None:
    """OCR every scanned raw PDF of a content source that has no sidecar yet."""
    done = prepare(source)
    click.echo(f"{len(done)} scanned PDF(s) read")


def prepare(source: Path) -> list[tuple[Path, Scan]]:
    """Used by `scans prepare` and `publish`: OCR with one progress line per PDF."""
    from offline_index.ocr.cache import prepare_source

    def on_file(pdf: Path, done: int, total: int) -> None:
        redraw(f"OCR {pdf.name}: {done}/{total} pages", final=done >= total)

    done = prepare_source(source, on_file)
    for pdf, scan in done:
        click.echo(f"{pdf.name}: {scan.message()}")
    return done


@scans_group.command("lexicon")
@click.argument("sources", nargs=-1, required=True, type=PathArg)
@click.option("--out", type=click.Path(path_type=Path), required=True)
def lexicon_cmd(sources: tuple[Path, ...], out: Path) -> None:
    """Build the OCR correction lexicon (syllables and bigrams) from content sources."""
    from offline_index.ocr.lexicon_build import build_lexicon

    lex = build_lexicon(list(sources), out)
    click.echo(f"{out}: {len(lex.syllables)} syllables, {len(lex.bigrams)} bigrams")


def register(cli: click.Group) -> None:
    cli.add_command(scans_group)
