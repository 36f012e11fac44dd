"""`ledger scenario ...` (exclusive futures forecast as probability vectors) and `ledger timeline`."""

from typing import List, Optional

import typer
from typing_extensions import Annotated

from ledger.cli.common import FormatOption, HelpGroup, output_format, settings
from ledger.cli.records import PROB_HELP, QUOTE_HELP, SAYS_HELP, SOURCE_HELP, STATED_HELP, WHO_HELP

scenario_app = typer.Typer(cls=HelpGroup, help="Scenarios: mutually exclusive, exhaustive outcomes, forecast as probability vectors.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(scenario_app, name="scenario")
    app.command("timeline")(timeline)


@scenario_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The scenario's name: 'Next Trump-Kim summit'.")],
    outcome: Annotated[List[str], typer.Option("--outcome", help="One outcome; repeat for each, in order. Together they must cover every case.")],
    by: Annotated[str, typer.Option("--by", help="When the scenario is settled at the latest (a date or a phrase, as for 'ledger add').")],
    ordered: Annotated[bool, typer.Option("--ordered", help="The outcomes lie on a scale (time bins, ranges): also score with the ordered Brier.")] = False,
    stated: Annotated[Optional[str], typer.Option("--stated", help="The date --by is read against; default today.")] = None,
    criteria: Annotated[Optional[str], typer.Option("--criteria", help="How the outcomes will be judged.")] = None,
    tag: Annotated[Optional[List[str]], typer.Option("--tag", help="A tag for every outcome; repeat for several.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Create a scenario: one question per outcome, exactly one of which will happen."""
    from ledger import scenarios

    fmt = output_format(fmt)
    state = settings(ctx)
    shown = scenarios.add_scenario(state.ledger(), name, outcome, by=by, today=state.today, stated=stated,
                                   ordered=ordered, criteria=criteria, tags=tag or ())
    _print_scenario(shown, fmt)


@scenario_app.command("forecast")
def forecast(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The scenario's name.")],
    who: Annotated[str, typer.Option("--who", help=WHO_HELP)],
    probs: Annotated[Optional[str], typer.Option("--probs", help="A probability per outcome, in order, summing to 1: 0.5,0.3,0.2.")] = None,
    normalize: Annotated[bool, typer.Option("--normalize", help="Scale --probs to sum to 1 instead of refusing them.")] = False,
    outcome: Annotated[Optional[str], typer.Option("--outcome", help="Forecast one outcome only (its number or text), with --prob or --says: scored as a yes/no forecast on it.")] = None,
    prob: Annotated[Optional[str], typer.Option("--prob", help=PROB_HELP)] = None,
    says: Annotated[Optional[str], typer.Option("--says", help=SAYS_HELP)] = None,
    stated: Annotated[Optional[str], typer.Option("--stated", help=STATED_HELP)] = None,
    source: Annotated[Optional[str], typer.Option("--source", help=SOURCE_HELP)] = None,
    quote: Annotated[Optional[str], typer.Option("--quote", help=QUOTE_HELP)] = None,
    fmt: FormatOption = "table",
) -> None:
    """Record a forecaster's probabilities over the outcomes (or for one outcome)."""
    from ledger import scenarios
    from ledger.output import print_record

    fmt = output_format(fmt)
    state = settings(ctx)
    record = scenarios.forecast_scenario(
        state.ledger(), name, who=who, today=state.today, probs=probs, outcome=outcome, probability=prob,
        says=says, stated=stated, source=source, quote=quote, normalize=normalize,
    )
    print_record(record, fmt)


@scenario_app.command("resolve")
def resolve(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The scenario's name.")],
    happened: Annotated[str, typer.Argument(help="The outcome that happened: its number or its text.")],
    on: Annotated[Optional[str], typer.Option("--on", help="When it was settled in the world; default today.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What settled it.")] = None,
    evidence: Annotated[Optional[str], typer.Option("--evidence", help="A URL or citation.")] = None,
    amend: Annotated[bool, typer.Option("--amend", help="Correct an earlier resolution (needs --note).")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Resolve a scenario: the outcome that happened yes, every other outcome no, in one write."""
    from ledger import scenarios

    fmt = output_format(fmt)
    state = settings(ctx)
    shown = scenarios.resolve_scenario(state.ledger(), name, happened, today=state.today, on=on, note=note,
                                       evidence=evidence, amend=amend)
    _print_scenario(shown, fmt)


@scenario_app.command("show")
def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The scenario's name.")],
    fmt: FormatOption = "table",
) -> None:
    """Show a scenario's outcomes and every vector forecast, scored once it is resolved."""
    from ledger import scenarios

    fmt = output_format(fmt)
    state = settings(ctx)
    _print_scenario(scenarios.show_scenario(state.ledger(), name, today=state.today), fmt)


@scenario_app.command("list")
def list_scenarios(ctx: typer.Context, fmt: FormatOption = "table") -> None:
    """List the scenarios."""
    from ledger import scenarios
    from ledger.output import print_rows

    print_rows(scenarios.list_scenarios(settings(ctx).ledger()), output_format(fmt), empty="(no scenarios)")


def _print_scenario(shown: dict, fmt: str) -> None:
    from ledger.output import render
    from ledger.scenarios import scenario_document

    render(scenario_document(shown), fmt)


def timeline(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="A question id, or a scenario's name.")],
    png: Annotated[Optional[str], typer.Option("--png", help="Also draw the chart to this PNG file (needs matplotlib: pip install 'forecast-ledger[charts]').")] = None,
    prior: Annotated[str, typer.Option("--prior", help="Where the indicators' line starts: consensus (the forecasters' consensus on the day of the first sighting; default) or uniform.")] = "consensus",
    fmt: FormatOption = "table",
) -> None:
    """Each forecaster's probability over time, stepping at each dated forecast, with the consensus and the resolution.

    For a scenario with indicators, also the vector the sightings imply (the "indicators" line), moving at each sighting.
    """
    from ledger import scenario_scores
    from ledger.output import render

    fmt = output_format(fmt)
    settings(ctx).refuse_bad_chart(png)
    line = scenario_scores.timeline(settings(ctx).ledger(), target, prior=prior)
    if png:
        from ledger import charts

        charts.draw_timeline(line, png, today=settings(ctx).today)
    render(scenario_scores.timeline_document(line), fmt)
    if png:
        typer.echo(f"chart written to {png}", err=True)
