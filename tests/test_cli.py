"""The CLI loads every command plug-in and reports its version."""

import typer
from casereview import __version__
from casereview.cli import app
from typer.testing import CliRunner

runner = CliRunner()

CONTRACT_COMMANDS = {"extract", "redact", "classify", "process", "train", "evaluate", "report", "serve"}


def test_version_command_prints_package_version():
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == __version__


def test_every_contract_command_is_registered():
    # the registered commands themselves, not words in --help (which appear in other commands' descriptions)
    registered = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert registered >= CONTRACT_COMMANDS, CONTRACT_COMMANDS - registered


def test_each_contract_command_answers_its_own_help():
    for command in sorted(CONTRACT_COMMANDS):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert f"casereview {command}" in result.output, command
