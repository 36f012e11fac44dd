"""Indicators and sightings of a scenario, recorded and read back; the matrix and the implied vector.

Recording goes through write.py's Writer like every other record (chained, append-only); a
corrected sighting is a new one that amends it. The Bayes arithmetic is in indicators.py.
"""

from datetime import date
from typing import Optional, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ledger import consensus, indicators, rules, write
from ledger.errors import LedgerError
from ledger.model import INDICATOR, LIKELIHOOD, SIGHTING
from ledger.store import Ledger
from ledger.write import Writer

INDICATORS_FORECASTER = "indicators"


def _likelihoods(given: Sequence[str], outcomes: list[dict]) -> list[tuple[float, Optional[str]]]:
    """OUTCOME=WORD_OR_NUMBER for every outcome (by number or text), in the outcomes' order."""
    from ledger.scenarios import pick_outcome

    found: dict[int, tuple[float, Optional[str]]] = {}
    for item in given:
        if "=" not in item:
            raise LedgerError(f"--likelihood {item!r}: give OUTCOME=LIKELIHOOD, e.g. 1=consistent or 2=0.3")
        chosen, value = item.rsplit("=", 1)
        outcome = pick_outcome(outcomes, chosen)
        if outcome["id"] in found:
            raise LedgerError(f"--likelihood gives outcome {chosen!r} twice: give each outcome once")
        found[outcome["id"]] = indicators.read_likelihood(value)
    missing = [str(position) for position, outcome in enumerate(outcomes, start=1) if outcome["id"] not in found]
    if missing:
        raise LedgerError(f"--likelihood is missing outcome {', '.join(missing)}: give how likely the indicator is to be seen under every outcome")
    return [found[outcome["id"]] for outcome in outcomes]


def add_indicator(ledger: Ledger, scenario_name: str, text: str, likelihoods: Sequence[str]) -> dict:
    """An indicator of a scenario, with its likelihood under each outcome (OUTCOME=LIKELIHOOD each)."""
    from ledger.scenarios import outcome_rows, scenario_row

    def work(writer: Writer) -> dict:
        scenario = scenario_row(writer.connection, scenario_name)
        outcomes = outcome_rows(writer.connection, scenario["id"])
        return record_indicator(writer, scenario, outcomes, text, _likelihoods(likelihoods, outcomes))

    return ledger.record(work)


def record_indicator(writer: Writer, scenario: dict, outcomes: list[dict], text: str, read: Sequence[tuple]) -> dict:
    """Insert an indicator and its (likelihood, rating) under each outcome, in the outcomes' order."""
    wording = rules.one_line(text)
    if not wording:
        raise LedgerError("an indicator needs its text: the observable event, e.g. 'North Korea resumes long-range missile tests'")
    indicator_id = writer.add(INDICATOR, scenario_id=scenario["id"], text=wording)
    for outcome, (value, rating) in zip(outcomes, read):
        writer.add(LIKELIHOOD, indicator_id=indicator_id, question_id=outcome["id"], likelihood=value, rating=rating)
    values = [value for value, _ in read]
    return {"indicator_id": indicator_id, "scenario": scenario["name"], "text": wording, "likelihoods": values,
            "diagnosticity": indicators.diagnosticity(values), "diagnostic": indicators.is_diagnostic(values)}


def indicator_id(connection: Connection, scenario_id: int, text: str) -> Optional[int]:
    """An indicator is already in the ledger when its scenario has one with the same text."""
    return connection.execute(
        select(INDICATOR.c.id).where(INDICATOR.c.scenario_id == scenario_id, INDICATOR.c.text == rules.one_line(text))
    ).scalar()


def has_sighting(connection: Connection, indicator: int, observed_on: date, seen: bool) -> bool:
    query = select(SIGHTING.c.id).where(SIGHTING.c.indicator_id == indicator, SIGHTING.c.observed_on == observed_on, SIGHTING.c.seen == seen)
    return connection.execute(query.limit(1)).first() is not None


def _indicator_row(connection: Connection, indicator_id: int) -> dict:
    row = connection.execute(select(INDICATOR).where(INDICATOR.c.id == indicator_id)).mappings().first() if 0 < indicator_id < 2**63 else None
    if row is None:
        raise LedgerError(f"no indicator with id {indicator_id}: see 'ledger indicator list'")
    return dict(row)


def record_sighting(
    ledger: Ledger, indicator_id: int, *, today: date, on=None, seen: bool = True, source: Optional[str] = None,
    quote: Optional[str] = None, note: Optional[str] = None, amend: Optional[int] = None,
) -> dict:
    """A dated sighting of an indicator (or that it was not seen by then); `amend` names a sighting it corrects."""
    observed_on = rules.read_date(on, today, "on")
    if observed_on > today:
        raise LedgerError(f"sighting date {observed_on} is after today ({today}): record a sighting once it is seen")
    if amend is not None and not rules.text(note):
        raise LedgerError("a corrected sighting needs --note REASON: say why the earlier one was wrong")

    return ledger.record(lambda writer: write_sighting(
        writer, indicator_id, observed_on=observed_on, seen=seen, source=source, quote=quote, note=note, amend=amend))


def write_sighting(writer: Writer, indicator_id: int, *, observed_on: date, seen: bool, source=None, quote=None, note=None,
                   amend: Optional[int] = None) -> dict:
    """Insert one checked sighting of an indicator."""
    indicator = _indicator_row(writer.connection, indicator_id)
    if amend is not None:
        earlier = writer.connection.execute(select(SIGHTING.c.indicator_id).where(SIGHTING.c.id == amend)).scalar()
        if earlier != indicator_id:
            raise LedgerError(f"indicator {indicator_id} has no sighting {amend} to correct: see 'ledger indicator list'")
    source_row = write.find_or_register_source(writer, source)
    values = dict(indicator_id=indicator_id, seen=seen, observed_on=observed_on, source_id=source_row["id"] if source_row else None,
                  quote=rules.text(quote), note=rules.text(note), amends_id=amend)
    sighting_id = writer.add(SIGHTING, **values)
    return {"sighting_id": sighting_id, "indicator": indicator["text"], **values, "source": source_row["title"] if source_row else None}


def matrix(connection: Connection, scenario_id: int, outcomes: list[dict], as_of: Optional[date] = None) -> list[dict]:
    """Indicators × outcomes: each indicator's likelihoods, diagnosticity and standing sightings."""
    rows = {}
    for indicator in connection.execute(select(INDICATOR).where(INDICATOR.c.scenario_id == scenario_id).order_by(INDICATOR.c.id)).mappings():
        rows[indicator["id"]] = {"indicator_id": indicator["id"], "text": indicator["text"], "likelihoods": {}, "sightings": []}
    if not rows:
        return []
    position = {outcome["id"]: at for at, outcome in enumerate(outcomes)}
    for row in connection.execute(select(LIKELIHOOD).where(LIKELIHOOD.c.indicator_id.in_(rows))).mappings():
        rows[row["indicator_id"]]["likelihoods"][position[row["question_id"]]] = row["likelihood"]
    sightings = [dict(row) for row in connection.execute(
        select(SIGHTING).where(SIGHTING.c.indicator_id.in_(rows)).order_by(SIGHTING.c.observed_on, SIGHTING.c.id)).mappings()]
    corrected = {sighting["amends_id"] for sighting in sightings if sighting["amends_id"] is not None}
    for sighting in sightings:
        if sighting["id"] not in corrected and (as_of is None or sighting["observed_on"] <= as_of):
            rows[sighting["indicator_id"]]["sightings"].append(sighting)
    result = []
    for row in rows.values():
        values = [row["likelihoods"][at] for at in range(len(outcomes))]
        result.append({**row, "likelihoods": values, "diagnosticity": indicators.diagnosticity(values),
                       "diagnostic": indicators.is_diagnostic(values)})
    return result


def implied(connection: Connection, scenario: dict, outcomes: list[dict], vectors: list[dict], *,
            prior: str = "consensus", as_of: Optional[date] = None) -> dict:
    """The indicator-implied vector over time: a prior moved by every standing sighting and ruled-out outcome.

    prior "consensus" is the forecasters' consensus vector on the day of the first sighting (uniform
    when nobody had given a vector by then); "uniform" gives every outcome the same chance. The
    result's "prior" names the one used: "uniform" where the consensus was asked for but there was none.
    """
    if prior not in indicators.PRIORS:
        raise LedgerError(f"unknown prior {prior!r}: use {' or '.join(indicators.PRIORS)}")
    table = matrix(connection, scenario["id"], outcomes, as_of)
    events = [("sighting", s["observed_on"], row["likelihoods"], s["seen"], f"{'seen' if s['seen'] else 'not seen'}: {row['text']}")
              for row in table for s in row["sightings"]]
    events += [("ruled_out", o["resolved_on"], at, f"ruled out: {o['statement']}") for at, o in enumerate(outcomes)
               if o["outcome"] == "no" and (as_of is None or o["resolved_on"] <= as_of)]
    starting, used = indicators.uniform(len(outcomes)), "uniform"
    first = min((event[1] for event in events if event[0] == "sighting"), default=None)
    if prior == "consensus" and first is not None:
        path = consensus.path(((v["stated_on"], v["forecaster"], v["probabilities"]) for v in vectors), until=first)
        found = consensus.on_day(path, first)
        if found:
            starting, used = found, "consensus"
    rows = indicators.implied_path(starting, events)
    return {"prior": used, "prior_vector": starting, "path": rows, "matrix": table,
            "current": rows[-1]["probabilities"] if rows else starting}
