"""`ledger forecaster ...`: forecasters as people: other spellings of a name, two forecasters made one, and their kind."""

from typing import Optional

import typer
from typing_extensions import Annotated

from ledger.cli.common import FormatOption, output_format, settings

forecaster_app = typer.Typer(help="Forecasters as people: aliases, merges, and what kind each is.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(forecaster_app, name="forecaster")


@forecaster_app.command("alias")
def alias(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The forecaster, as the ledger names them.")],
    other: Annotated[str, typer.Argument(help="Another spelling that should find the same forecaster.")],
    fmt: FormatOption = "table",
) -> None:
    """Record another spelling of a forecaster's name.
    """
    from ledger import people
    from ledger.output import Document, render

    render(Document(record=people.add_alias(settings(ctx).ledger(), name, other)), output_format(fmt))


@forecaster_app.command("merge")
def merge(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The forecaster to merge away.")],
    into: Annotated[str, typer.Argument(help="The forecaster they are: their forecasts count as this one's from now on.")],
    note: Annotated[Optional[str], typer.Option("--note", help="Why the two are one.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Make two forecasters one: every forecast of NAME counts as INTO's in every report (recorded, and kept in the history).
    """
    from ledger import people
    from ledger.output import Document, render

    render(Document(record=people.merge(settings(ctx).ledger(), name, into, note=note)), output_format(fmt))


@forecaster_app.command("kind")
def kind(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The forecaster.")],
    what: Annotated[str, typer.Argument(metavar="KIND", help="person, organisation, group (such as 'observers') or newsroom (the outlet itself).")],
    fmt: FormatOption = "table",
) -> None:
    """Record what kind of forecaster this is; reports show the kind beside the name.
    """
    from ledger import people
    from ledger.output import Document, render

    render(Document(record=people.set_kind(settings(ctx).ledger(), name, what)), output_format(fmt))
