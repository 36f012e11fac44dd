"""`ledger help TOPIC`: the project's guides (docs/*.md) at the prompt, for people who installed with pip."""

import os
from typing import Optional

import typer
from typing_extensions import Annotated

from ledger.errors import LedgerError

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Installed copies carry the guides as package data (ledger/docs); a source checkout has them beside the package.
GUIDE_FOLDERS = (os.path.join(PACKAGE, "docs"), os.path.join(os.path.dirname(PACKAGE), "docs"))


def register(app: typer.Typer) -> None:
    app.command("help")(help_topic)


def guides() -> dict[str, str]:
    """Topic name -> the guide's path, from the first folder that has any."""
    for folder in GUIDE_FOLDERS:
        if os.path.isdir(folder):
            found = {name[:-3]: os.path.join(folder, name) for name in sorted(os.listdir(folder)) if name.endswith(".md")}
            if found:
                return found
    return {}


def _title(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.readline().lstrip("# ").strip()


def help_topic(
    topic: Annotated[Optional[str], typer.Argument(help="A guide's name (reports, scoring, integrity, ...); leave out to list them.")] = None,
) -> None:
    """Read a guide at the prompt: how reports score, what verify detects, the file layouts, the likelihood words."""
    found = guides()
    if not found:
        raise LedgerError("the guides are not installed with this copy of ledger: 'ledger COMMAND --help' describes each command")
    if topic is None:
        width = max(len(name) for name in found)
        for name, path in found.items():
            typer.echo(f"{name.ljust(width)}  {_title(path)}")
        typer.echo("\nRead one with 'ledger help TOPIC'.")
        return
    name = topic.strip().lower().removesuffix(".md")
    if name not in found:
        raise LedgerError(f"no guide called {topic!r}: the guides are {', '.join(found)}")
    with open(found[name], encoding="utf-8") as handle:
        typer.echo(handle.read().rstrip("\n"))
