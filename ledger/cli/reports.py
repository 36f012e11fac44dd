"""`ledger report` and `ledger calibration`: scores by group and period, calibration table and chart."""

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
PERIOD_HELP = "Also split by the week, month, quarter or year in which the questions resolved."

SCORE_COLUMNS = [
    "group", "n", "brier", "log_score", "skill_vs_even", "skill_vs_base_rate", "relative_brier", "peer_score",
    "compared", "time_averaged_brier", "coverage", "questions", "ambiguous", "annulled",
]
CUE_COLUMNS = ["cue", "n", "happened", "rate", "ci_low", "ci_high", "mean_probability", "ambiguous", "annulled"]
BIN_COLUMNS = ["lower", "upper", "n", "mean_probability", "observed", "ci_low", "ci_high"]


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
    fmt: FormatOption = "table",
) -> None:
    """Score forecasters on resolved questions, by group and period, best (lowest Brier) first.

    Each forecaster's last forecast before a question resolved is the one scored
    (brier, log_score, skills, relative_brier, peer_score); time_averaged_brier
    carries all their forecasts forward day by day, with its coverage of the
    question's life. Ambiguous and annulled questions are counted, never scored.
    --by cue instead shows how often claims made with each phrase came true.
    See docs/reports.md.
    """
    from ledger import reports
    from ledger.output import print_rows

    fmt = output_format(fmt)
    reports.check_grouping(by)
    reports.check_period(period)
    report_filter = _report_filter(ctx, resolved_from, resolved_to, as_of, who, tag)
    rows = reports.score_report(
        settings(ctx).ledger(), by=by, period=period, per_forecaster=per_forecaster, report_filter=report_filter
    )
    if by == "cue":
        columns = CUE_COLUMNS[:1] + (["forecaster"] if per_forecaster or who else []) + CUE_COLUMNS[1:]
    elif by == "question":
        columns = ["question_id"] + SCORE_COLUMNS
    elif by == "scenario":
        columns = ["group", "forecaster", "n", "brier", "log_score", "ordered_brier", "happened"]
    else:
        columns = list(SCORE_COLUMNS)
    if period:
        columns = ["period"] + columns
    print_rows(rows, fmt, columns=None if fmt == "json" else columns, empty="(no resolved forecasts match)")


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

    Scores each forecaster's last forecast before a question resolved. The table
    lists every bin; in table formats the decomposition (reliability, resolution,
    uncertainty, brier) follows it. --format json and csv print the bins alone,
    one object per bin; --decomposition prints the decomposition alone.
    """
    from ledger import reports
    from ledger.output import print_record, print_rows

    fmt = output_format(fmt)
    reports.check_bins(bins)
    settings(ctx).refuse_ledger_as_output(png, "chart")
    report_filter = _report_filter(ctx, resolved_from, resolved_to, as_of, who, tag)
    result = reports.calibration(settings(ctx).ledger(), bins=bins, report_filter=report_filter)
    if png:
        from ledger import charts

        charts.calibration_chart(result.bins, png, title=charts.calibration_title(who, report_filter.as_of, result.decomposition["n"]))
    if decomposition:
        if fmt == "json":
            print_record(result.decomposition, fmt)
        else:
            print_rows([result.decomposition], fmt, floatfmt=".4f")
        return
    print_rows(result.bins, fmt, columns=None if fmt == "json" else BIN_COLUMNS)
    if fmt not in ("json", "csv"):
        typer.echo("\nMurphy decomposition (brier = reliability - resolution + uncertainty, up to the spread within bins)")
        rows = [result.decomposition] if result.decomposition["n"] else []
        print_rows(rows, fmt, floatfmt=".4f", empty="(no scored forecasts)")
