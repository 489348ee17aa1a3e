"""Wrong option values are named by their option (exit 2), never a traceback, and never
reach a command that would act on them: `export --days -1` wrote an already expired
timestamp into the live repository, and every kiosk's sync then failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli

WRONG = [
    (["stats", "show", "--year", "99999"], "--year"),
    (["stats", "show", "--year", "-1"], "--year"),
    (["stats", "show", "--year", "0"], "--year"),
    (["stats", "export", "--year", "0", "--csv", "x.csv"], "--year"),
    (["search", "ly hon", "--year", "20245"], "--year"),
    (["signage", "schedule", "--at", "yesterday"], "--at"),
    (["signage", "plays", "--days", "0"], "--days"),
    (["export", "--to", "s", "--repo", "r", "--keys", "k", "--days", "-1"], "--days"),
    (["export", "--to", "s", "--repo", "r", "--keys", "k", "--days", "0"], "--days"),
    (["publish", "--refresh", "--repo", "r", "--keys", "k", "--online-days", "0"], "--online-days"),
]


@pytest.mark.parametrize(("args", "option"), WRONG, ids=[" ".join(a) for a, _ in WRONG])
def test_a_wrong_value_is_named_by_its_option(
    args: list[str], option: str, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 2, res.output
    assert f"Invalid value for '{option}'" in res.output, res.output
    assert "Traceback" not in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]  # nothing written


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["outbox", "status"],
        ["admin", "unlock"],
        ["settings", "set", "idle_timeout_s", "120"],
        ["settings", "reset", "idle_timeout_s"],
        ["signage", "plays"],
        ["export", "--to", "stick"],
    ],
    ids=" ".join,
)
def test_a_mistyped_home_is_refused_not_made(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`status` with LAWSHELF_HOME mistyped said `This kiosk has not synced yet.` and made an
    empty home there; `admin set-pin` set a PIN in it. Commands for an existing kiosk refuse."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LAWSHELF_HOME", str(tmp_path / "typo"))
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 2 and "no LawShelf home at" in res.output, res.output
    assert not (tmp_path / "typo").exists()


def test_a_reserved_kiosk_id_says_it_is_reserved(home: Path) -> None:
    """`enroll --id inbox` said the id must be 3-63 characters of a-z…, which it is."""
    res = CliRunner().invoke(cli, ["enroll", "--id", "inbox"])
    assert res.exit_code != 0 and "reserved" in res.output and "3-63" not in res.output
    res = CliRunner().invoke(cli, ["enroll", "--id", "X"])
    assert res.exit_code != 0 and "3-63 characters" in res.output
