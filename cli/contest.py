"""`lawshelf contest rank|purge` and `lawshelf questions list|answer|export` (centre side)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kiosk import central
from offline_index.model import Citation, Contest

_DB = click.option(
    "--db",
    required=True,
    envvar="LAWSHELF_CENTRAL_DB",
    type=click.Path(dir_okay=False, exists=True),
    help="Central SQLite file.",
)
_CONTENT = click.option(
    "--content",
    type=click.Path(file_okay=False, exists=True),
    help="Content source folder holding the contest (to re-score entries).",
)


def _open(db: str):  # noqa: ANN202
    from sync.inbox import open_central  # noqa: PLC0415

    return open_central(Path(db))


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
@_DB
@_CONTENT
@click.argument("contest_id")
@click.option(
    "--actual", type=int, help="Participation figure for the prediction (default: entries)."
)
@click.option(
    "--csv", "csv_path", type=click.Path(dir_okay=False), help="Write the ranking as CSV."
)
@click.option(
    "--key",
    "key_path",
    type=click.Path(dir_okay=False, exists=True),
    help="Publisher's private sealing key: adds personal data to the CSV.",
)
@click.option("--json", "as_json", is_flag=True)
def rank_cmd(
    db: str,
    content: str | None,
    contest_id: str,
    actual: int | None,
    csv_path: str | None,
    key_path: str | None,
    as_json: bool,
) -> None:
    report = central.rank(
        _open(db), contest_id, contest=load_contest(content, contest_id), actual=actual
    )
    if csv_path:
        central.export_csv(report, Path(csv_path), Path(key_path) if key_path else None)
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
                }
            )
        )
        return
    for r in rows:
        click.echo(
            f"{r['rank']:>4}  {r['correct']}/{r['total']}  {r['time_used_s']:>7}s"
            f"  dự đoán {r['prediction']}  {r['entry']}  ({r['kiosk']})"
        )
    click.echo(f"{len(rows)} ranked, {report.duplicates} duplicates, {len(report.refused)} refused")
    for uuid, reason in report.refused:
        click.echo(f"refused {uuid}: {reason}", err=True)


@contest_group.command("purge")
@_DB
@_CONTENT
@click.argument("contest_id")
@click.option("--closes", help="Contest close time (ISO), if no --content.")
@click.option("--retention-days", type=int, help="Retention period, if no --content.")
@click.option("--force", is_flag=True, help="Purge even before the retention period ends.")
def purge_cmd(
    db: str,
    content: str | None,
    contest_id: str,
    closes: str | None,
    retention_days: int | None,
    force: bool,
) -> None:
    contest = load_contest(content, contest_id)
    closes = closes or (contest.closes if contest else None)
    days = (
        retention_days
        if retention_days is not None
        else (contest.retention_days if contest else None)
    )
    if not closes or days is None:
        raise click.UsageError("give --content, or --closes and --retention-days")
    n = central.purge(_open(db), contest_id, closes=closes, retention_days=days, force=force)
    click.echo(f"personal data removed from {n} entries of {contest_id}")


@click.group("questions")
def questions_group() -> None:
    """Answer residents' questions; answers go out in the next release."""


@questions_group.command("list")
@_DB
@click.option("--unanswered", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
def list_cmd(db: str, unanswered: bool, as_json: bool) -> None:
    rows = central.list_questions(_open(db), unanswered=unanswered)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    for q in rows:
        mark = "đã trả lời" if q["answered"] else "chưa trả lời"
        click.echo(
            f"{q['uuid'][:8]}  {q['asked_at']}  [{q['field'] or '-'}] {mark}\n    {q['text']}"
        )


def _citation(text: str) -> dict:
    """`52/2014/QH13:8:1:a` -> citation of Điểm a Khoản 1 Điều 8."""
    parts = (text.split(":") + ["", "", ""])[:4]
    return Citation(*parts).__dict__


@questions_group.command("answer")
@_DB
@click.argument("question_id")
@click.option("--text", "answer", required=True, help="The answer.")
@click.option("--cite", multiple=True, help="NUMBER[:ARTICLE[:CLAUSE[:POINT]]], repeatable.")
@click.option("--public", is_flag=True, help="Also publish as an ordinary, searchable Q&A entry.")
@click.option("--question", help="Rephrased question to publish (default: as asked).")
def answer_cmd(
    db: str,
    question_id: str,
    answer: str,
    cite: tuple[str, ...],
    public: bool,
    question: str | None,
) -> None:
    uuid = central.answer_question(
        _open(db),
        question_id,
        answer,
        citations=[_citation(c) for c in cite],
        public=public,
        question=question,
    )
    click.echo(f"answered {uuid}")


@questions_group.command("export")
@_DB
@click.option(
    "--source",
    required=True,
    type=click.Path(file_okay=False),
    help="Content source folder of the next release.",
)
def export_cmd(db: str, source: str) -> None:
    path = central.export_answers(_open(db), Path(source))
    click.echo(f"wrote {path}")


def register(cli: click.Group) -> None:
    cli.add_command(contest_group)
    cli.add_command(questions_group)
