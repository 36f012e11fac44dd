"""The docs cannot drift: every command has help text and is named in the README."""

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
