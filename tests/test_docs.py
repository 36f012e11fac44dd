"""The docs cannot drift: every command has help text and is named in the README."""

import re

import pytest
import typer

from conftest import REPO
from ledger.cli import app


def command_paths(command=None, prefix=("ledger",)):
    command = command or typer.main.get_command(app)
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        path = prefix + (name,)
        if getattr(sub, "commands", None):
            yield from command_paths(sub, path)
        else:
            yield " ".join(path), sub


COMMANDS = dict(command_paths())


def test_there_are_commands_to_check():
    assert {"ledger add", "ledger report", "ledger scenario resolve", "ledger verify"} <= set(COMMANDS)


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_has_help_and_is_in_the_readme(path):
    command = COMMANDS[path]
    assert (command.help or "").strip(), f"{path} has no help text"
    for parameter in command.params:
        if parameter.name not in ("ctx",) and getattr(parameter, "help", None) is not None:
            assert parameter.help.strip()
    import re

    group, leaf = path.rsplit(" ", 1)
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    # "ledger add ..." or, for a group, a line such as "ledger scenario add|forecast|resolve".
    named = re.compile(rf"{re.escape(group)} (\S*[|,])?{re.escape(leaf)}\b")
    assert any(named.search(line) for line in lines), f"{path} is not in the README"


def help_text(*path: str) -> str:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_has_an_example_and_plain_placeholders(path):
    text = help_text(*path.split()[1:])
    assert "Example: ledger " in text, f"{path} has no example"
    assert not re.search(r"<(str|int|float|list\[.*?\])>|\{[a-z_]+\}", text), f"{path} shows a Python type as a placeholder"


def test_the_command_list_is_never_cut_off():
    text = help_text()
    commands = text.split("Commands:")[1]
    assert "..." not in commands
    for name in ("add", "report", "forecasters", "tags", "help"):
        assert re.search(rf"^  {name} ", commands, re.M)


def test_version_short_help_and_completion():
    from typer.testing import CliRunner

    from ledger import __version__

    runner = CliRunner()
    assert runner.invoke(app, ["--version"]).output.strip() == f"ledger {__version__}"
    assert runner.invoke(app, ["-h"]).output == runner.invoke(app, ["--help"]).output
    assert "Usage:" in runner.invoke(app, ["report", "-h"]).output
    assert "--install-completion" in runner.invoke(app, ["--help"]).output


def test_the_guides_are_at_the_prompt():
    from typer.testing import CliRunner

    runner = CliRunner()
    topics = runner.invoke(app, ["help"])
    assert topics.exit_code == 0 and "reports" in topics.output and "integrity" in topics.output
    guide = runner.invoke(app, ["help", "reports"])
    assert guide.output.startswith((REPO / "docs" / "reports.md").read_text(encoding="utf-8").splitlines()[0])
    unknown = runner.invoke(app, ["help", "astrology"])
    assert unknown.exit_code == 2 and "reports" in unknown.stderr
