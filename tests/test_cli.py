"""The CLI loads every command plug-in and reports its version."""

from casereview import __version__
from casereview.cli import app
from typer.testing import CliRunner

runner = CliRunner()


def test_version_command_prints_package_version():
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == __version__


def test_help_lists_the_contract_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("extract", "redact", "classify", "process", "train", "evaluate", "report", "serve"):
        assert command in result.stdout, command
