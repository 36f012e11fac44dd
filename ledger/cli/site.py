"""`ledger who` (one forecaster's page), `ledger site` (the shareable HTML report) and `ledger digest`."""

from typing import Optional

import typer
from typing_extensions import Annotated

from ledger.cli.common import FormatOption, output_format, settings
from ledger.cli.reports import AsOfOption, FromOption, TagOption, ToOption, WhoOption, _report_filter


def register(app: typer.Typer) -> None:
    app.command("who")(who)


def who(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The forecaster's name, any case: 'Hong Min', 'observers'.")],
    resolved_from: FromOption = None,
    resolved_to: ToOption = None,
    as_of: AsOfOption = None,
    tag: TagOption = None,
    fmt: FormatOption = "table",
) -> None:
    """One forecaster's page: every forecast with its quote, source, outcome and scores, their calibration and their record by cue word.

    The scores are those of 'ledger report --who NAME' for the same options. Example:
    ledger who "Hong Min" --as-of 2020-12-31
    """
    from ledger.forecasters import forecaster_document, forecaster_page
    from ledger.output import render

    fmt = output_format(fmt)
    report_filter = _report_filter(ctx, resolved_from, resolved_to, as_of, None, tag)
    render(forecaster_document(forecaster_page(settings(ctx).ledger(), name, report_filter)), fmt)
