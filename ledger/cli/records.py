"""Commands that record and inspect forecasts: add, forecast, resolve, list, show, scale."""

from typing import List, Optional

import typer
from typing_extensions import Annotated

from ledger.cli.common import FormatOption, output_format, settings

WHO_HELP = "Who made the forecast: a name ('Hong Min'), an organisation, or a group ('observers')."
PROB_HELP = "The probability as a number: 0.3, 30%, '30 percent'."
SAYS_HELP = "The words the forecaster used ('is expected to', 'may', 'likely'), read through the likelihood scale (see 'ledger scale')."
STATED_HELP = "When the forecast was made (a date); default: the source's publication date, else today."
SOURCE_HELP = "Where it was said: a source id, an article text file (registered on the way), a URL, or a title."
QUOTE_HELP = "The sentence quoted from the source."
SCALE_HELP = "The likelihood scale for --says: icd203 (default) or kent."
ROLE_HELP = "The forecaster's affiliation or role when they said it, as the source gives it ('senior researcher at the Korea Institute for National Unification')."

FORECAST_COLUMNS = ["question_id", "forecast_id", "forecaster", "probability", "cue", "stated_on", "resolve_by", "statement"]


def register(app: typer.Typer) -> None:
    app.command("add")(add)
    app.command("forecast")(forecast)
    app.command("resolve")(resolve)
    app.command("list")(list_questions)
    app.command("show")(show)
    app.command("forecasters")(forecasters)
    app.command("tags")(tags)
    app.command("scale")(scale)


def add(
    ctx: typer.Context,
    statement: Annotated[str, typer.Argument(help="The claim, phrased so that it resolves yes or no.")],
    by: Annotated[str, typer.Option("--by", help="Resolve-by date: 2019-12-31, 'Dec 31 2019', or a phrase read against the stated date: 'end of this year', 'Q3 2026', 'first half of next year', 'mid-2026', 'within six months', 'next month'.")],
    who: Annotated[str, typer.Option("--who", help=WHO_HELP)],
    prob: Annotated[Optional[str], typer.Option("--prob", help=PROB_HELP)] = None,
    says: Annotated[Optional[str], typer.Option("--says", help=SAYS_HELP)] = None,
    stated: Annotated[Optional[str], typer.Option("--stated", help=STATED_HELP)] = None,
    source: Annotated[Optional[str], typer.Option("--source", help=SOURCE_HELP)] = None,
    quote: Annotated[Optional[str], typer.Option("--quote", help=QUOTE_HELP)] = None,
    tag: Annotated[Optional[List[str]], typer.Option("--tag", help="A tag; repeat for several.")] = None,
    criteria: Annotated[Optional[str], typer.Option("--criteria", help="How the question will be judged, where the statement is not enough.")] = None,
    scale_name: Annotated[str, typer.Option("--scale", help=SCALE_HELP)] = "icd203",
    condition: Annotated[Optional[str], typer.Option("--if", metavar="QUESTION_ID[=yes|no]", help="A conditional claim: it counts only if that question resolves yes (or no); otherwise it is annulled automatically.")] = None,
    new: Annotated[bool, typer.Option("--new", help="Record a second question even when one with the same statement and resolve-by date exists.")] = False,
    role: Annotated[Optional[str], typer.Option("--role", metavar="TEXT", help=ROLE_HELP)] = None,
    fmt: FormatOption = "table",
) -> None:
    """Create a question and record its first forecast.

    The same statement with the same resolve-by date again is refused with the existing
    question's id: add the new forecast to it with 'ledger forecast ID'.
    """
    from ledger import records
    from ledger.output import print_record

    fmt = output_format(fmt)
    state = settings(ctx)
    record = records.add_question(
        state.ledger(), statement, by=by, who=who, today=state.today, probability=prob, says=says,
        stated=stated, source=source, quote=quote, tags=tag or (), criteria=criteria, scale=scale_name, condition=condition, new=new,
        role=role,
    )
    print_record(record, fmt)


def forecast(
    ctx: typer.Context,
    question_id: Annotated[int, typer.Argument(help="The question's id (see 'ledger list').")],
    who: Annotated[str, typer.Option("--who", help=WHO_HELP)],
    prob: Annotated[Optional[str], typer.Option("--prob", help=PROB_HELP)] = None,
    says: Annotated[Optional[str], typer.Option("--says", help=SAYS_HELP)] = None,
    stated: Annotated[Optional[str], typer.Option("--stated", help=STATED_HELP)] = None,
    source: Annotated[Optional[str], typer.Option("--source", help=SOURCE_HELP)] = None,
    quote: Annotated[Optional[str], typer.Option("--quote", help=QUOTE_HELP)] = None,
    scale_name: Annotated[str, typer.Option("--scale", help=SCALE_HELP)] = "icd203",
    role: Annotated[Optional[str], typer.Option("--role", metavar="TEXT", help=ROLE_HELP)] = None,
    fmt: FormatOption = "table",
) -> None:
    """Add a dated forecast to a question: another forecaster's view, or an updated one."""
    from ledger import records
    from ledger.output import print_record

    fmt = output_format(fmt)
    state = settings(ctx)
    record = records.add_forecast(
        state.ledger(), question_id, who=who, today=state.today, probability=prob, says=says,
        stated=stated, source=source, quote=quote, scale=scale_name, role=role,
    )
    print_record(record, fmt)


def resolve(
    ctx: typer.Context,
    question_id: Annotated[int, typer.Argument(help="The question's id.")],
    outcome: Annotated[str, typer.Argument(help="yes (the event happened), no (it did not), ambiguous, or annulled.")],
    on: Annotated[Optional[str], typer.Option("--on", help="When the outcome was settled in the world; default today.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What settled it; for --amend, why the earlier resolution was wrong.")] = None,
    evidence: Annotated[Optional[str], typer.Option("--evidence", help="A URL or citation for the evidence.")] = None,
    amend: Annotated[bool, typer.Option("--amend", help="Correct an earlier resolution (needs --note); the earlier one stays in the history.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Resolve a question: did the EVENT happen?

    yes and no say whether the event in the statement happened, never whether a
    forecaster was right: "Summit held by 2019-12-31" is resolved no when no summit
    was held, whatever anyone predicted. ambiguous and annulled questions are not
    scored. A question is resolved once; a correction is recorded with --amend
    --note REASON and the earlier resolution is kept.
    """
    from ledger import records, reports
    from ledger.output import render

    fmt = output_format(fmt)
    state = settings(ctx)
    record = records.resolve_question(
        state.ledger(), question_id, outcome, today=state.today, on=on, note=note, evidence=evidence, amend=amend
    )
    render(reports.resolution_document(record, reports.question_scores(state.ledger(), question_id)), fmt)


DEFAULT_LIST_LIMIT = 50  # in table formats; CSV and JSON list every question unless --limit is given


def list_questions(
    ctx: typer.Context,
    status: Annotated[str, typer.Option("--status", help="open (unresolved, deadline ahead), due (past its resolve-by date and unresolved), resolved, or all.")] = "all",
    who: Annotated[Optional[str], typer.Option("--who", metavar="NAME", help="Only questions this forecaster forecast; part of a name will do ('Hong' finds Hong Min).")] = None,
    tag: Annotated[Optional[str], typer.Option("--tag", metavar="TAG", help="Only questions with this tag.")] = None,
    source: Annotated[Optional[int], typer.Option("--source", metavar="ID", help="Only questions with a forecast from this source id.")] = None,
    search: Annotated[Optional[str], typer.Option("--search", metavar="TEXT", help="Only questions whose statement or criteria contain TEXT (any case).")] = None,
    sort: Annotated[str, typer.Option("--sort", metavar="ORDER", help="id (default), resolve_by, newest, or statement.")] = "id",
    limit: Annotated[Optional[int], typer.Option("--limit", metavar="N", help=f"List at most N questions; 0 for all. Default: {DEFAULT_LIST_LIMIT} in tables, all in CSV and JSON.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """List questions with their resolve-by date, status and forecasters."""
    from ledger import records
    from ledger.output import render

    fmt = output_format(fmt)
    state = settings(ctx)
    if limit is None and fmt not in ("csv", "json"):
        limit = DEFAULT_LIST_LIMIT
    chosen = dict(today=state.today, status=status, who=who, tag=tag, source=source, search=search)
    rows = records.list_questions(state.ledger(), sort=sort, limit=limit or None, **chosen)
    if not limit:
        render(records.list_document(rows), fmt)  # every question, streamed
        return
    rows = list(rows)
    total = records.count_questions(state.ledger(), **chosen) if len(rows) == limit else len(rows)
    render(records.list_document(rows, total), fmt)


def forecasters(ctx: typer.Context, fmt: FormatOption = "table") -> None:
    """List the forecasters, with how many forecasts and questions each has and when they forecast."""
    from ledger import records
    from ledger.output import print_rows

    print_rows(records.forecaster_counts(settings(ctx).ledger()), output_format(fmt), empty="(no forecasters)")


def tags(ctx: typer.Context, fmt: FormatOption = "table") -> None:
    """List the tags, with how many questions carry each."""
    from ledger import records
    from ledger.output import print_rows

    print_rows(records.tag_counts(settings(ctx).ledger()), output_format(fmt), empty="(no tags)")


def show(
    ctx: typer.Context,
    question_id: Annotated[int, typer.Argument(help="The question's id.")],
    fmt: FormatOption = "table",
) -> None:
    """Show a question, every forecast on it (who, when, words, number, source, quote) and its resolution history."""
    from ledger import records
    from ledger.output import render

    fmt = output_format(fmt)
    state = settings(ctx)
    render(records.question_document(records.show_question(state.ledger(), question_id, today=state.today)), fmt)


def scale(
    name: Annotated[str, typer.Argument(help="icd203 (default) or kent.")] = "icd203",
    fmt: FormatOption = "table",
) -> None:
    """Print a likelihood scale: the words --says understands and the probability each stands for."""
    from ledger import likelihood
    from ledger.output import print_rows

    print_rows(likelihood.scale_rows(name), output_format(fmt))
