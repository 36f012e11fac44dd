"""`ledger import`: load forecasts from a file into the ledger."""

import typer
from typing_extensions import Annotated

from ledger.cli.common import FormatOption, output_format, settings


def register(app: typer.Typer) -> None:
    app.command("import")(import_file)


def import_file(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="The file: a seed file (.toml, as seeds/forecasts.toml).")],
    fmt: FormatOption = "table",
) -> None:
    """Load sources, questions, forecasts and resolutions from a file; loading the same file twice adds nothing."""
    from ledger import seedfile
    from ledger.output import print_record

    fmt = output_format(fmt)
    counts = seedfile.load_seed_file(settings(ctx).ledger(), path, today=settings(ctx).today)
    print_record(counts, fmt)
