"""`lawshelf contest rank|purge` and `lawshelf questions list|contact|answer|export|purge`
(centre side). Opening personal data (`--key`) is written to the access log first."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.centre import AS, INBOX, central
from cli.main import home_of
from kiosk import central as contests
from kiosk import central_questions as qs
from offline_index.errors import LawShelfError
from offline_index.library import Library
from offline_index.model import Citation, Contest

DB = click.option(
    "--db",
    required=True,
    envvar="LAWSHELF_CENTRAL_DB",
    type=click.Path(dir_okay=False, exists=True),
    help="Central SQLite file (made by `lawshelf inbox collect`).",
)
_CONTENT = click.option(
    "--content",
    type=click.Path(file_okay=False, exists=True),
    help="Content source folder holding the contest (to re-score entries).",
)
_KEY = click.option(
    "--key",
    "key_path",
    type=click.Path(dir_okay=False, exists=True),
    help="Publisher's private sealing key: opens personal data (logged).",
)


def load_contest(content: str | None, contest_id: str) -> Contest | None:
    """The contest definition from a content source folder (contests/*.json), if given."""
    if not content:
        return None
    for path in sorted((Path(content) / "contests").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("id") == contest_id:
            return Contest.from_dict(data, str(path))
    raise click.UsageError(f"no contest {contest_id!r} in {content}/contests")


@click.group("contest")
def contest_group() -> None:
    """Rank and purge contest entries collected from kiosks."""


@contest_group.command("rank")
@DB
@_CONTENT
@click.argument("contest_id")
@click.option(
    "--actual", type=int, help="Participation figure for the prediction (default: entries)."
)
@click.option(
    "--csv", "csv_path", type=click.Path(dir_okay=False), help="Write the ranking as CSV."
)
@_KEY
@click.option(
    "--include-revoked",
    is_flag=True,
    help="Rank entries of kiosks revoked as compromised (marked).",
)
@AS
@click.option("--json", "as_json", is_flag=True)
def rank_cmd(
    db: str,
    content: str | None,
    contest_id: str,
    actual: int | None,
    csv_path: str | None,
    key_path: str | None,
    include_revoked: bool,
    who: str | None,
    as_json: bool,
) -> None:
    store = central(db)
    report = contests.rank(
        store,
        contest_id,
        contest=load_contest(content, contest_id),
        actual=actual,
        include_revoked=include_revoked,
    )
    if csv_path:
        key = Path(key_path) if key_path else None
        contests.export_csv(store, report, Path(csv_path), key, who=who)
    rows = [
        {
            "rank": r.rank,
            "entry": r.uuid,
            "kiosk": r.kiosk_id,
            "correct": r.payload["correct"],
            "total": r.payload["total"],
            "time_used_s": r.payload["time_used_s"],
            "prediction": r.payload.get("prediction"),
            "closeness": r.closeness,
            "flag": r.flag,
        }
        for r in report.ranked
    ]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "contest": contest_id,
                    "actual": report.actual,
                    "ranked": rows,
                    "duplicates": report.duplicates,
                    "refused": report.refused,
                    "excluded": report.excluded,
                }
            )
        )
        return
    for r in rows:
        click.echo(
            f"{r['rank']:>4}  {r['correct']}/{r['total']}  {r['time_used_s']:>7}s"
            f"  dự đoán {r['prediction']}  {r['entry']}  ({r['kiosk']})"
            + (f"  [{r['flag']}]" if r["flag"] else "")
        )
    click.echo(
        f"{len(rows)} ranked, {report.duplicates} duplicates, {len(report.refused)} refused,"
        f" {len(report.excluded)} excluded"
    )
    for uuid, reason in report.refused:
        click.echo(f"refused {uuid}: {reason}", err=True)
    for uuid, reason in report.excluded:
        click.echo(f"excluded {uuid}: {reason} (--include-revoked ranks it, marked)", err=True)


@contest_group.command("purge")
@DB
@_CONTENT
@click.argument("contest_id")
@click.option("--closes", help="Contest close time (ISO), if no --content.")
@click.option("--retention-days", type=int, help="Retention period, if no --content.")
@click.option("--force", is_flag=True, help="Purge even before the retention period ends.")
@INBOX
@AS
def purge_cmd(
    db: str,
    content: str | None,
    contest_id: str,
    closes: str | None,
    retention_days: int | None,
    force: bool,
    inbox_dir: Path | None,
    who: str | None,
) -> None:
    """Delete a contest's personal data: central database, archived batch files, inbox."""
    contest = load_contest(content, contest_id)
    closes = closes or (contest.closes if contest else None)
    days = (
        retention_days
        if retention_days is not None
        else (contest.retention_days if contest else None)
    )
    if not closes or days is None:
        raise click.UsageError("give --content, or --closes and --retention-days")
    n = contests.purge(
        central(db),
        contest_id,
        closes=closes,
        retention_days=days,
        force=force,
        who=who,
        inbox=inbox_dir,
    )
    click.echo(f"personal data removed from {n} entries of {contest_id} (database and batch files)")


# ---------------------------------------------------------------- questions


@click.group("questions")
def questions_group() -> None:
    """Answer residents' questions; answers go out in the next release."""


@questions_group.command("list")
@click.option(
    "--db",
    required=True,
    envvar="LAWSHELF_CENTRAL_DB",
    type=click.Path(dir_okay=False),
    help="Central SQLite file (made by `lawshelf inbox collect`; none yet: nothing collected).",
)
@click.option("--unanswered", is_flag=True)
@_KEY
@AS
@click.option("--json", "as_json", is_flag=True)
def list_cmd(
    db: str, unanswered: bool, key_path: str | None, who: str | None, as_json: bool
) -> None:
    """Questions collected from kiosks; with --key, the residents' contacts too (logged).

    Before the first collection there is no database: that is said, and none is created."""
    if not Path(db).exists():
        click.echo("[]" if as_json else "no questions collected yet")
        return
    store = central(db)
    rows = qs.list_questions(store, unanswered=unanswered)
    if key_path and rows:
        opened = qs.contacts(store, Path(key_path), [q["uuid"] for q in rows], who=who)
        for q in rows:
            q["contact"] = opened.get(q["uuid"])
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        total = len(qs.list_questions(store))
        click.echo(
            f"no unanswered questions ({total} answered)"
            if unanswered and total
            else "no questions collected yet"
        )
        return
    for q in rows:
        mark = "đã trả lời" if q["answered"] else "chưa trả lời"
        click.echo(
            f"{q['uuid'][:8]}  {q['asked_at']}  [{q['field'] or '-'}] {mark}\n    {q['text']}"
        )
        if q.get("contact"):
            click.echo(f"    liên hệ: {_contact_text(q['contact'])}")


def _contact_text(contact: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in contact.items() if v) or "-"


@questions_group.command("contact")
@DB
@click.argument("question_id")
@click.option(
    "--key",
    "key_path",
    required=True,
    type=click.Path(dir_okay=False, exists=True),
    help="Publisher's private sealing key.",
)
@AS
def contact_cmd(db: str, question_id: str, key_path: str, who: str | None) -> None:
    """Open one question's sealed contact to call the resident back (logged)."""
    store = central(db)
    q = qs.find_question(store, question_id)
    opened = qs.contacts(store, Path(key_path), [q["uuid"]], who=who)
    if q["uuid"] not in opened:
        raise click.ClickException(f"question {q['uuid'][:8]} left no contact (or it was purged)")
    click.echo(f"{q['uuid'][:8]}  {q['text']}")
    click.echo(f"liên hệ: {_contact_text(opened[q['uuid']])}")


def _citation(text: str) -> dict:
    """`52/2014/QH13:8:1:a` -> citation of Điểm a Khoản 1 Điều 8."""
    parts = (text.split(":") + ["", "", ""])[:4]
    return Citation(*parts).__dict__


def _library(ctx: click.Context, path: Path | None) -> Library:
    where = path or home_of(ctx)
    try:
        return Library.open(where)
    except LawShelfError as exc:
        raise click.UsageError(
            f"citations are checked against a library and none opens at {where} ({exc.message}); "
            "give --library DIR (`lawshelf library build SOURCE --out DIR` makes one)"
        ) from None


@questions_group.command("answer")
@DB
@click.argument("question_id")
@click.option("--text", "answer", required=True, help="The answer.")
@click.option("--cite", multiple=True, help="NUMBER[:ARTICLE[:CLAUSE[:POINT]]], repeatable.")
@click.option(
    "--library",
    "library_path",
    type=click.Path(path_type=Path),
    help="Library the citations must exist in (default: this home's).",
)
@click.option("--public", is_flag=True, help="Also publish as an ordinary, searchable Q&A entry.")
@click.option("--question", help="Rephrased question to publish (default: as asked).")
@click.option("--replace", is_flag=True, help="Replace an earlier answer to this question.")
@click.pass_context
def answer_cmd(
    ctx: click.Context,
    db: str,
    question_id: str,
    answer: str,
    cite: tuple[str, ...],
    library_path: Path | None,
    public: bool,
    question: str | None,
    replace: bool,
) -> None:
    lib = _library(ctx, library_path) if cite else None
    try:
        done = qs.answer_question(
            central(db),
            question_id,
            answer,
            citations=[_citation(c) for c in cite],
            public=public,
            question=question,
            library=lib,
            replace=replace,
        )
    finally:
        if lib is not None:
            lib.close()
    if done["replaced"]:
        click.echo(f"answered {done['uuid']} (replaced the answer of {done['replaced']})")
    else:
        click.echo(f"answered {done['uuid']}")


@questions_group.command("export")
@DB
@click.option(
    "--source",
    required=True,
    type=click.Path(file_okay=False),
    help="Content source folder of the next release.",
)
def export_cmd(db: str, source: str) -> None:
    path = qs.export_answers(central(db), Path(source))
    click.echo(f"wrote {path}")


@questions_group.command("purge")
@DB
@click.argument("question_ids", nargs=-1)
@click.option(
    "--older-than", "days", type=int, help="Contacts of questions collected more than DAYS ago."
)
@INBOX
@AS
def purge_questions_cmd(
    db: str,
    question_ids: tuple[str, ...],
    days: int | None,
    inbox_dir: Path | None,
    who: str | None,
) -> None:
    """Delete residents' sealed contacts (given questions, or older ones) everywhere."""
    n, files = qs.purge_contacts(
        central(db),
        "questions",
        older_than_days=days,
        ids=list(question_ids) or None,
        who=who,
        inbox=inbox_dir,
    )
    click.echo(f"contacts removed from {n} questions ({files} batch files rewritten)")


def register(cli: click.Group) -> None:
    cli.add_command(contest_group)
    cli.add_command(questions_group)
