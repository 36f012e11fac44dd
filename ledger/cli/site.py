"""`ledger who` (one forecaster's page), `ledger site` (the shareable HTML report) and `ledger digest`."""

from typing import Optional

import typer
from typing_extensions import Annotated

from ledger.cli.common import FormatOption, output_format, settings
from ledger.cli.reports import AsOfOption, FromOption, TagOption, ToOption, WhoOption, _report_filter


def register(app: typer.Typer) -> None:
    app.command("who")(who)
    app.command("site")(site)
    app.command("digest")(digest)


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


def site(
    ctx: typer.Context,
    folder: Annotated[str, typer.Argument(metavar="DIR", help="The folder to write index.html and who/*.html into (created if missing).")],
    period: Annotated[Optional[str], typer.Option("--period", help="Also split the scoreboard and cue report by the week, month, quarter or year the questions resolved.")] = None,
    resolved_from: FromOption = None,
    resolved_to: ToOption = None,
    as_of: AsOfOption = None,
    who: WhoOption = None,
    tag: TagOption = None,
) -> None:
    """Write the report as self-contained HTML pages to share: open DIR/index.html from disk, or publish the folder.

    The scoreboard (sortable), each forecaster's page, the calibration chart, each scenario's
    timeline, the cue report and the questions now due; every number is the one 'ledger report
    --format json' gives for the same options. No network is needed to view the pages (charts
    are inline SVG; needs matplotlib to draw them). Example: ledger site public/ --as-of 2025-12-31
    """
    from ledger.reports import check_period
    from ledger.site import SiteOptions, write_site

    check_period(period)
    state = settings(ctx)
    report_filter = _report_filter(ctx, resolved_from, resolved_to, as_of, who, tag)
    options = SiteOptions(report_filter=report_filter, period=period, today=report_filter.as_of)
    written = write_site(state.ledger(), folder, options, refuse_output=lambda path: state.refuse_ledger_as_output(path, "site"))
    typer.echo(f"wrote {len(written)} pages to {folder} (open {written[0]})", err=True)


def digest(
    ctx: typer.Context,
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", help="Cover the days from DATE to today instead of from the last digest; this run is then not remembered.")] = None,
    within: Annotated[str, typer.Option("--within", help="Also list the questions due in this many days from today: 30d, 45, 2w.")] = "30d",
    threshold: Annotated[float, typer.Option("--threshold", help="The smallest move of a question's consensus (the median of standing forecasts) to report, in probability.")] = 0.10,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text (default), markdown, html or json.")] = "text",
) -> None:
    """What came due, what is due soon, what was resolved and forecast, and which consensus moved, since the last digest.

    Cron-friendly: the first digest looks back a week; each one without --since is remembered in the
    ledger (a chained record) and the next starts on the day it ran for (--today, else today).
    Example (weekly, by mail): ledger digest --within 30d --format markdown | mail -s "Ledger digest" me@example.org
    """
    from ledger import digest as digest_report
    from ledger.dates import parse_date
    from ledger.output import render

    output = digest_report.read_format(fmt)
    within_days = digest_report.read_within(within)
    state = settings(ctx)
    result = digest_report.run_digest(
        state.ledger(), today=state.today, since=parse_date(since) if since else None, within_days=within_days, threshold=threshold
    )
    render(digest_report.digest_document(result, output), output)
