"""`ledger indicator ...`: observable events tied to a scenario, their sightings, and the vector they imply."""

from typing import List, Optional

import typer
from typing_extensions import Annotated

from ledger.cli.common import FormatOption, output_format, settings

indicator_app = typer.Typer(help="Indicators: observable events that tell a scenario's outcomes apart, and their sightings.", no_args_is_help=True)

LIKELIHOOD_HELP = (
    "OUTCOME=LIKELIHOOD, once per outcome (its number or text): how likely the indicator is to be seen if that "
    "outcome is the true future: a probability (0.7, 70%) or a rating: very consistent (0.9), consistent (0.7), "
    "neutral (0.5), inconsistent (0.3), very inconsistent (0.1)."
)


def register(app: typer.Typer) -> None:
    app.add_typer(indicator_app, name="indicator")


@indicator_app.command("add")
def add(
    ctx: typer.Context,
    scenario: Annotated[str, typer.Argument(help="The scenario's name.")],
    text: Annotated[str, typer.Argument(help="The observable event: 'North Korea resumes long-range missile tests'.")],
    likelihood: Annotated[List[str], typer.Option("--likelihood", "-l", help=LIKELIHOOD_HELP)],
    fmt: FormatOption = "table",
) -> None:
    """Tie an indicator to a scenario, with how likely it is to be seen under each outcome.
    """
    from ledger import signposts
    from ledger.output import Document, render

    added = signposts.add_indicator(settings(ctx).ledger(), scenario, text, likelihood)
    notes = [] if added["diagnostic"] else [
        f"Not diagnostic: its likelihoods differ by a ratio of {added['diagnosticity']:.2f} at most, so a sighting "
        "hardly tells the outcomes apart (Heuer: evidence consistent with every hypothesis has no diagnostic value)."
    ]
    render(Document(record=added, notes=notes), output_format(fmt))


@indicator_app.command("seen")
def seen(
    ctx: typer.Context,
    indicator_id: Annotated[int, typer.Argument(help="The indicator's id (see 'ledger indicator list SCENARIO').")],
    on: Annotated[Optional[str], typer.Option("--on", help="When it was observed (or, with --not-seen, the day by which it had not appeared); default today.")] = None,
    not_seen: Annotated[bool, typer.Option("--not-seen", help="The indicator had NOT been seen by --on (for one that should have appeared).")] = False,
    source: Annotated[Optional[str], typer.Option("--source", help="Where it was reported: a source id, file, URL or title.")] = None,
    quote: Annotated[Optional[str], typer.Option("--quote", help="The sentence that reports it.")] = None,
    amend: Annotated[Optional[int], typer.Option("--amend", metavar="SIGHTING_ID", help="Correct an earlier sighting (needs --note); the earlier one stays in the history and stops counting.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="A note; for --amend, why the earlier sighting was wrong.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Record a dated sighting of an indicator, quoted from a source.
    """
    from ledger import signposts
    from ledger.output import Document, render

    state = settings(ctx)
    recorded = signposts.record_sighting(state.ledger(), indicator_id, today=state.today, on=on, seen=not not_seen,
                                         source=source, quote=quote, note=note, amend=amend)
    render(Document(record=recorded), output_format(fmt))


@indicator_app.command("list")
def list_indicators(
    ctx: typer.Context,
    scenario: Annotated[str, typer.Argument(help="The scenario's name.")],
    prior: Annotated[str, typer.Option("--prior", help="consensus (the forecasters' consensus on the day of the first sighting; default) or uniform.")] = "consensus",
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="Only sightings and resolutions dated on or before this day.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """The scenario's indicators × outcomes matrix, the sightings, and the vector they imply."""
    from ledger import rules, scenarios
    from ledger.output import render

    state = settings(ctx)
    shown = scenarios.show_scenario(state.ledger(), scenario, today=state.today, prior=prior,
                                    as_of=rules.read_date(as_of, None, "as_of"))
    render(scenarios.indicator_document(shown), output_format(fmt))
