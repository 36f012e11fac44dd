"""Multiple-choice questions of other sites' exports, checked and then written as scenarios with their vectors.

The writing goes through the scenario functions (ledger/scenarios.py) and write.py, inside the
import's one transaction, so a multiple-choice question is chained, matched and refused as a
scenario typed in with `ledger scenario` would be. Checking first names every bad row; nothing
is written until the whole file is checked.
"""

from dataclasses import dataclass
from datetime import date
from typing import Callable, Optional

from ledger import people, rules, scenarios, write
from ledger.errors import LedgerError
from ledger.io.ours import Refused
from ledger.io.sites import ChoiceQuestion
from ledger.write import Writer

UNSCORED = ("ambiguous", "annulled")


@dataclass
class _Forecast:
    line: int
    forecaster: str
    stated_on: date
    vector: Optional[list[float]]
    option: Optional[int]
    probability: Optional[float]


@dataclass
class _Choice:
    line: int
    name: str
    options: list[str]
    resolve_by: date
    opened_on: date
    source: tuple
    happened: Optional[int | str]  # the index of the option that happened, or 'ambiguous'/'annulled'
    resolved_on: Optional[date]
    forecasts: list[_Forecast]


def _date(cell: str, column: str) -> date:
    day = rules.read_date(cell, None, column)
    if day is None:
        raise rules.Problem(column, "empty: give a date")
    return day


def _forecast(question: ChoiceQuestion, options: list[str], deadline: date, today: date, given) -> _Forecast:
    forecaster = rules.forecaster(given.forecaster)
    stated_on = rules.stated_on(_date(given.stated_on, "stated_on"), today=today, deadline=deadline)
    if type(given.vector) is Refused:
        raise rules.Problem("vector", given.vector.message)
    if given.vector is not None:
        try:
            vector = scenarios.read_vector(list(given.vector), len(options))
        except LedgerError as error:
            raise rules.Problem("vector", f"{given.vector} over {len(options)} options, refused as 'ledger scenario forecast' refuses it: {error}") from None
        return _Forecast(given.line, forecaster, stated_on, vector, None, None)
    folded = [option.casefold() for option in options]
    chosen = rules.one_line(given.option).casefold()
    if chosen not in folded:
        raise rules.Problem("option", f"no option {given.option!r} in {question.name!r}: its options are {'; '.join(options)}")
    probability = rules.read_probability(given.probability)["probability"]
    return _Forecast(given.line, forecaster, stated_on, None, folded.index(chosen), probability)


def _checked(question: ChoiceQuestion, today: date, errors: list) -> Optional[_Choice]:
    try:
        name = rules.statement(question.name)
        options = [rules.one_line(option) for option in question.options if rules.one_line(option)]
        if len(options) < 2 or len({option.casefold() for option in options}) != len(options):
            raise rules.Problem("options", f"{len(options)} distinct options: a multiple-choice question needs two or more, each different")
        deadline = _date(question.resolve_by, "resolve_by")
        happened = resolved_on = None
        if type(question.resolution) is Refused:
            raise rules.Problem("outcome", question.resolution.message)
        if question.resolution is not None:
            word = rules.one_line(question.resolution)
            folded = [option.casefold() for option in options]
            if word.casefold() in UNSCORED:
                happened = word.casefold()
            elif word.casefold() in folded:
                happened = folded.index(word.casefold())
            else:
                raise rules.Problem("outcome", f"resolved to {word!r}, which is none of the options ({'; '.join(options)}) nor ambiguous or annulled")
            resolved_on = rules.resolved_on(_date(question.resolved_on, "resolved_on"), today=today)
    except LedgerError as error:
        errors.append((question.line, getattr(error, "field", "question"), str(error)))
        return None
    forecasts = []
    for given in question.forecasts:
        try:
            forecasts.append(_forecast(question, options, deadline, today, given))
        except LedgerError as error:
            errors.append((given.line, getattr(error, "field", "forecast"), str(error)))
    opened_on = rules.read_date(question.opened_on, None, "opened_on") or min((f.stated_on for f in forecasts), default=min(today, deadline))
    return _Choice(question.line, name, options, deadline, min(opened_on, deadline), question.source, happened, resolved_on, forecasts)


def check(questions: list[ChoiceQuestion], today: date) -> tuple[list[_Choice], list[tuple[int, str, str]]]:
    """Every multiple-choice question checked with the rules of `ledger scenario`; (checked, errors as (line, column, message))."""
    errors: list[tuple[int, str, str]] = []
    checked = [choice for choice in (_checked(question, today, errors) for question in questions) if choice is not None]
    return checked, errors


def write_all(writer: Writer, checked: list[_Choice], today: date, source_id: Callable[[tuple], int]) -> tuple[int, list]:
    """Write what the ledger lacks of each scenario; returns (records already present, errors as (line, column, message))."""
    present, errors = 0, []
    for choice in checked:
        try:
            present += _write_one(writer, choice, today, str(source_id((*choice.source, None))))
        except LedgerError as error:
            errors.append((choice.line, getattr(error, "field", "question"), str(error)))
    return present, errors


def _write_one(writer: Writer, choice: _Choice, today: date, source: str) -> int:
    connection = writer.connection
    scenario_id = write.scenario_id(connection, choice.name)
    if scenario_id is None:
        scenario_id = scenarios.record_scenario(writer, choice.name, choice.options, resolve_by=choice.resolve_by, said_on=choice.opened_on)
    outcomes = scenarios.outcome_rows(writer.connection, scenario_id)
    held = [scenarios.outcome_text(outcome) for outcome in outcomes]
    if [text.casefold() for text in held] != [option.casefold() for option in choice.options]:
        raise rules.Problem("options", f"the ledger's scenario {choice.name!r} has the outcomes {'; '.join(held)}, the file {'; '.join(choice.options)}")
    scenario = {"id": scenario_id, "name": choice.name}
    present = 0
    for forecast in sorted(choice.forecasts, key=lambda forecast: forecast.stated_on):
        if forecast.vector is not None:
            if scenarios.has_vector(writer.connection, scenario_id, forecast.forecaster, forecast.stated_on):
                present += 1
                continue
            scenarios.record_vector(writer, scenario, outcomes, forecast.vector, who=forecast.forecaster, today=today,
                                    stated=forecast.stated_on, source=source)
            continue
        outcome = outcomes[forecast.option]
        forecaster_id = people.find_key(writer.connection, rules.forecaster_key(forecast.forecaster))
        if write.has_forecast(writer.connection, outcome["id"], forecaster_id, forecast.stated_on, forecast.probability, None):
            present += 1
            continue
        write.record_forecast(writer, outcome, who=forecast.forecaster, probability=forecast.probability,
                              stated=forecast.stated_on, source=source, today=today)
    if choice.happened is not None:
        present += _resolve(writer, choice, scenario_id, today)
    return present


def _resolve(writer: Writer, choice: _Choice, scenario_id: int, today: date) -> int:
    """Resolve every outcome (the one that happened yes, the others no; or all ambiguous/annulled); 1 if the ledger had it already."""
    outcomes = scenarios.outcome_rows(writer.connection, scenario_id)
    targets = [choice.happened if isinstance(choice.happened, str) else ("yes" if index == choice.happened else "no")
               for index in range(len(outcomes))]
    if all(outcome["outcome"] == target for outcome, target in zip(outcomes, targets)):
        return 1
    for outcome, target in zip(outcomes, targets):
        if outcome["outcome"] == target:
            continue  # ruled out earlier, say
        if outcome["outcome"] is not None:
            raise rules.Problem(
                "outcome", f"outcome {scenarios.outcome_text(outcome)!r} is resolved {outcome['outcome']} in the ledger, the file says {target}: "
                f"correct it with 'ledger scenario resolve {choice.name!r} OUTCOME --amend'")
        write.record_resolution(writer, outcome["id"], target, today=today, on=choice.resolved_on, scenario_resolution=True)
    return 0
