"""The one `lawshelf` command: every subcommand resolves, none is hidden by the lazy table."""

from __future__ import annotations

import importlib

import click
from click.testing import CliRunner

from cli.main import COMMANDS, cli


def test_every_listed_command_resolves() -> None:
    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None, name
        assert command.name == name


def test_no_module_registers_a_command_missing_from_the_table() -> None:
    for module in set(COMMANDS.values()):
        scratch = click.Group()
        importlib.import_module(module).register(scratch)
        unlisted = set(scratch.commands) - set(COMMANDS)
        assert not unlisted, f"{module} registers {unlisted}: add them to cli.main.COMMANDS"


def test_help_lists_commands_and_unknown_command_fails() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0 and "sync" in result.output and "kiosk" in result.output
    assert runner.invoke(cli, ["no-such-command"]).exit_code == 2
