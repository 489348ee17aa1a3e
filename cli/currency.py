"""`lawshelf thesaurus`, `topics` and `currency`: what a librarian can check about the content.

`thesaurus` lists the everyday words the library also searches in the law's wording (release
content, offline_index/thesaurus.py); `topics` the search screen's topic chips (release
content, offline_index/search_topics.py); `currency` lists the documents whose status in force was
read from newer texts in the library, with the sentence that says so.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from cli.library import _library

if TYPE_CHECKING:
    from offline_index.document_view import StatusRow


@click.command("thesaurus")
@click.argument("word", required=False, default="")
@click.option("--library", "library_path", type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="One JSON list of entries.")
@click.pass_context
def thesaurus_cmd(ctx: click.Context, word: str, library_path: str | None, as_json: bool) -> None:
    """List the everyday words searched in the law's wording (those containing WORD)."""
    from offline_index.thesaurus import in_dictionary_order, matching

    with _library(ctx, library_path) as lib:
        entries = in_dictionary_order(matching(lib.thesaurus(), word))
    if as_json:
        _echo_json(entries)
        return
    for e in entries:
        click.echo(f"{e.everyday} → {e.legal}")
    click.echo(f"({len(entries)} {'entry' if len(entries) == 1 else 'entries'})", err=True)


@click.command("topics")
@click.option("--library", "library_path", type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="One JSON list of topics.")
@click.option(
    "--check", is_flag=True, help="Search each topic: what it opens first; exit 1 if any is amiss."
)
@click.pass_context
def topics_cmd(ctx: click.Context, library_path: str | None, as_json: bool, check: bool) -> None:
    """List the topics the search screen offers as chips, in their order."""
    with _library(ctx, library_path) as lib:
        rows = lib.topic_answers() if check else lib.popular_topics()
    if as_json:
        _echo_json(rows)
    elif check:
        for a in rows:
            mark = f"✗ {a.problem}" if a.problem else "✓"
            status = f" ({a.validity})" if a.key else ""
            click.echo(f"{mark}  {a.text} → {a.first or '—'}{status}")
    else:
        for t in rows:
            click.echo(f"{t.text}" + (f"  ({t.field})" if t.field else ""))
    if check and any(a.problem for a in rows):
        ctx.exit(1)


@click.command("currency")
@click.option("--library", "library_path", type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="One JSON list of documents.")
@click.pass_context
def currency_cmd(ctx: click.Context, library_path: str | None, as_json: bool) -> None:
    """List documents whose status newer texts in the library give, and the sentence."""
    with _library(ctx, library_path) as lib:
        rows = lib.currency()
    if as_json:
        _echo_json(rows)
        return
    for r in rows:
        say = _words(r.texts_say)
        flag = (
            "" if r.validity == r.texts_say else f" (shown: {_words(r.validity)}, by the publisher)"
        )
        click.echo(f"{r.number} {r.title}: {say} from {r.since or '?'}{flag}")
        if r.cite:
            click.echo(f"    {r.cite}: {r.sentence or _no_sentence(r)}")


def _words(validity: str) -> str:
    """`Hết hiệu lực một phần`, as the kiosk and `show` say it, not `partly_in_force`."""
    from offline_index.document_view import VALIDITY_VI

    return VALIDITY_VI.get(validity, validity)


def _no_sentence(row: StatusRow) -> str:
    """What stands for the sentence when none is given: the text ends the document in several
    provisions (partly in force), and the status shown may be the publisher's own."""
    given = "; status shown as given by the publisher" if row.source == "publisher" else ""
    return f"(several of its provisions say so{given})"


def _echo_json(rows: Sequence[object]) -> None:
    """A list of the library's dataclasses as one JSON list, as every `--json` here prints."""
    click.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1))


def register(cli: click.Group) -> None:
    cli.add_command(thesaurus_cmd)
    cli.add_command(topics_cmd)
    cli.add_command(currency_cmd)
