"""`ledger source add` and `ledger source list`: the articles, speeches and podcasts forecasts come from."""

from typing import Optional

import typer
from typing_extensions import Annotated

from ledger.cli.common import FormatOption, HelpGroup, output_format, settings

source_app = typer.Typer(cls=HelpGroup, help="Register and list sources: the articles forecasts come from.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(source_app, name="source")


@source_app.command("add")
def add(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(metavar="FILE_OR_URL", help="The article's text file, its web address (fetched once), or a saved .html page.")],
    title: Annotated[Optional[str], typer.Option("--title", help="The headline (a page's own is read from it).")] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="Publication date, e.g. 2019-04-13; forecasts from it default to this date.")] = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="Who published it (Yonhap, The Korea Times).")] = None,
    url: Annotated[Optional[str], typer.Option("--url", help="Where it can be read.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Register an article as a source: a text file, or a web page whose main text, title, outlet and date are read from it (the same text or address twice is refused)."""
    from ledger import records
    from ledger.output import print_record

    fmt = output_format(fmt)
    state = settings(ctx)
    source = records.add_source(state.ledger(), path, title=title, outlet=outlet, published=published, url=url, today=state.today)
    print_record(source, fmt)


@source_app.command("list")
def list_sources(ctx: typer.Context, fmt: FormatOption = "table") -> None:
    """List the sources with the number of forecasts from each."""
    from ledger import records
    from ledger.output import print_rows

    fmt = output_format(fmt)
    print_rows(records.list_sources(settings(ctx).ledger()), fmt, empty="(no sources)")
