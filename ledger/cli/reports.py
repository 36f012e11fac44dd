"""`ledger report` and `ledger calibration`: parse the options, call the report, render its document."""

from typing import Optional

import typer
from typing_extensions import Annotated

from ledger.cli.common import FormatOption, output_format, settings

# The report options, defined once and shared by every report command.
FromOption = Annotated[Optional[str], typer.Option("--from", metavar="DATE", help="Only questions resolved on or after this date.")]
ToOption = Annotated[Optional[str], typer.Option("--to", metavar="DATE", help="Only questions resolved on or before this date (inclusive).")]
AsOfOption = Annotated[
    Optional[str],
    typer.Option(
        "--as-of", metavar="DATE",
        help="The ledger as it stood that day: only forecasts stated and resolutions dated on or before it. Default: today.",
    ),
]
WhoOption = Annotated[Optional[str], typer.Option("--who", help="Only this forecaster's forecasts (still compared with everyone's).")]
TagOption = Annotated[Optional[str], typer.Option("--tag", help="Only questions with this tag.")]

BY_HELP = "One row per forecaster (default), source, tag, question, cue (the words used), scenario (vector forecasts, multi-category scores), or none (everything together)."
PERIOD_HELP = "Also split by the week, month, quarter or year in which the questions resolved (the event's date)."


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("calibration")(calibration)


def _report_filter(ctx: typer.Context, resolved_from, resolved_to, as_of, who, tag):
    from ledger.dates import parse_date
    from ledger.reports import ReportFilter, check_filter

    return check_filter(
        ReportFilter(
            resolved_from=parse_date(resolved_from) if resolved_from else None,
            resolved_to=parse_date(resolved_to) if resolved_to else None,
            as_of=parse_date(as_of) if as_of else settings(ctx).today,
            who=who,
            tag=tag,
        )
    )


def report(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help=BY_HELP)] = "forecaster",
    period: Annotated[Optional[str], typer.Option("--period", help=PERIOD_HELP)] = None,
    per_forecaster: Annotated[bool, typer.Option("--per-forecaster", help="With --by cue: one row per cue and forecaster.")] = False,
    resolved_from: FromOption = None,
    resolved_to: ToOption = None,
    as_of: AsOfOption = None,
    who: WhoOption = None,
    tag: TagOption = None,
    with_consensus: Annotated[bool, typer.Option("--consensus", help="With --by forecaster: score the consensus of the standing forecasts as a forecaster of its own, and each forecaster's beat_consensus (did they beat what was already being said when they spoke?).")] = False,
    columns: Annotated[Optional[str], typer.Option("--columns", metavar="A,B,C", help="Show these columns, in this order (see --all-columns for the names).")] = None,
    all_columns: Annotated[bool, typer.Option("--all-columns", help="Show every score, not only the headline ones (group, n, peer_score, baseline_score, time_averaged_brier, coverage). CSV and JSON always have every column.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Score forecasters on resolved questions, by group and period, best first.

    Every score is time-averaged over each question's window, from its first forecast to its
    resolve-by date, each forecast standing until the forecaster's next one: peer_score
    (Metaculus's, against the others standing that day), baseline_score (against even odds) and
    time_averaged_brier. Rows are ranked by peer_score where forecasters share questions, else by
    time_averaged_brier; the last_* columns score each forecaster's last forecast alone. A
    forecast stated on or after the event's date never counts. Ambiguous and annulled questions
    are counted, never scored. --by cue instead shows how often claims made with each phrase
    came true. See 'ledger help reports'.
    """
    from ledger import reports
    from ledger.output import render

    fmt = output_format(fmt)
    reports.check_grouping(by)
    reports.check_period(period)
    report_filter = _report_filter(ctx, resolved_from, resolved_to, as_of, who, tag)
    rows = reports.score_report(
        settings(ctx).ledger(), by=by, period=period, per_forecaster=per_forecaster, report_filter=report_filter,
        consensus=with_consensus,
    )
    document = reports.report_document(
        rows, by=by, period=period, split_by_forecaster=per_forecaster or who is not None,
        chosen=columns, all_columns=all_columns, compact=fmt not in ("csv", "json"),
    )
    render(document, fmt)


def calibration(
    ctx: typer.Context,
    bins: Annotated[int, typer.Option("--bins", help="How many equal bins of whole percentages (1 to 100).")] = 10,
    resolved_from: FromOption = None,
    resolved_to: ToOption = None,
    as_of: AsOfOption = None,
    who: WhoOption = None,
    tag: TagOption = None,
    decomposition: Annotated[bool, typer.Option("--decomposition", help="Print only the Murphy decomposition, as one record (one JSON object).")] = False,
    png: Annotated[Optional[str], typer.Option("--png", metavar="FILE", help="Also draw the calibration chart to this PNG file (needs matplotlib).")] = None,
    fmt: FormatOption = "table",
) -> None:
    """How often forecasts of each probability came true, with 95 % Wilson intervals, and the Murphy decomposition.

    Bins each forecaster's last counting forecast on each question, on the decimal
    typed. The table lists every bin; in table formats the decomposition
    (reliability, resolution, uncertainty, brier) follows it. --format json and csv
    print the bins alone, one object per bin; --decomposition prints the
    decomposition alone.
    """
    from ledger import calibration as calibration_report
    from ledger.output import render
    from ledger.reports import check_bins

    fmt = output_format(fmt)
    check_bins(bins)
    settings(ctx).refuse_bad_chart(png)
    report_filter = _report_filter(ctx, resolved_from, resolved_to, as_of, who, tag)
    result = calibration_report.calibration(settings(ctx).ledger(), bins=bins, report_filter=report_filter)
    if png:
        from ledger import charts

        charts.calibration_chart(result.bins, png, title=charts.calibration_title(who, report_filter.as_of, result.decomposition["n"]))
    render(calibration_report.calibration_document(result, decomposition_only=decomposition), fmt)
