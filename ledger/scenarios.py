"""Scenarios: named sets of mutually exclusive, exhaustive outcomes, forecast as probability vectors.

Each outcome is an ordinary question underneath (statement "NAME: OUTCOME"), so list,
show, resolve, report and export work on outcomes as on any question. A vector
forecast is one `scenario_forecast` row whose parts are forecasts on the outcomes;
a single-outcome forecast from an article is a plain forecast on one outcome and is
scored as a binary forecast on it.
"""

import math
from datetime import date
from typing import Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ledger import records, rules, write
from ledger.errors import LedgerError
from ledger.output import Document, Section
from ledger.model import FORECAST, FORECASTER, QUESTION, SCENARIO, SCENARIO_FORECAST
from ledger.scenario_scores import _vectors, happened_index, vector_scores
from ledger.store import Ledger
from ledger.write import Writer
SUM_TOLERANCE = 0.01


# ---- reading input ----------------------------------------------------------------------------


def read_vector(text: str | Sequence[float], outcomes: int, normalize: bool = False) -> list[float]:
    """Probabilities for every outcome, in order: '0.5,0.3,0.2' or '50%,30%,20%'."""
    parts = [part for part in (text.split(",") if isinstance(text, str) else text)]
    if len(parts) != outcomes:
        raise LedgerError(f"--probs has {len(parts)} values but the scenario has {outcomes} outcomes: give one per outcome, in order")
    vector = [part if isinstance(part, float) else rules.read_probability(str(part).strip(), None)["probability"] for part in parts]
    total = math.fsum(vector)
    if normalize:
        if total == 0:
            raise LedgerError("--probs are all zero: nothing to normalise; give at least one positive probability")
        return [value / total for value in vector]
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise LedgerError(
            f"--probs sum to {total:.3f}, not 1: the outcomes are exclusive and exhaustive, so their probabilities "
            "must sum to 1 (within 0.01); fix them or add --normalize"
        )
    return vector


_DASHES = str.maketrans({dash: "-" for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})


def scenario_key(name: str) -> str:
    """What two spellings of a scenario's name share: case, spacing and the kind of dash (Trump–Kim, Trump-Kim)."""
    return " ".join(str(name).translate(_DASHES).casefold().split())


def scenario_row(connection: Connection, name: str, by_id: bool = True) -> dict:
    """The scenario a name (any dash, any case) or, with `by_id`, an id names."""
    if by_id and name.strip().isdigit():
        row = connection.execute(select(SCENARIO).where(SCENARIO.c.id == int(name.strip()))).mappings().first()
    else:
        key = scenario_key(name)
        row = next((row for row in connection.execute(select(SCENARIO)).mappings() if scenario_key(row["name"]) == key), None)
    if row is None:
        raise LedgerError(f"no scenario named {name!r}: see 'ledger scenario list' for the names and ids")
    return dict(row)


def outcome_rows(connection: Connection, scenario_id: int) -> list[dict]:
    resolution = records.current_resolutions()
    query = (
        select(QUESTION.c.id, QUESTION.c.statement, QUESTION.c.scenario_position, QUESTION.c.resolve_by,
               resolution.c.outcome, resolution.c.resolved_on)
        .outerjoin(resolution, resolution.c.question_id == QUESTION.c.id)
        .where(QUESTION.c.scenario_id == scenario_id)
        .order_by(QUESTION.c.scenario_position)
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def has_vector(connection: Connection, scenario_id: int, who: str, stated_on: date) -> bool:
    query = (
        select(SCENARIO_FORECAST.c.id)
        .join(FORECASTER, FORECASTER.c.id == SCENARIO_FORECAST.c.forecaster_id)
        .where(SCENARIO_FORECAST.c.scenario_id == scenario_id, SCENARIO_FORECAST.c.stated_on == stated_on,
               FORECASTER.c.name_key == rules.forecaster_key(who))
    )
    return connection.execute(query).first() is not None


def pick_outcome(outcomes: list[dict], chosen: str) -> dict:
    """An outcome by its number (1-based) or its text, case-insensitive."""
    chosen = chosen.strip()
    if chosen.isdigit() and 1 <= int(chosen) <= len(outcomes):
        return outcomes[int(chosen) - 1]
    for outcome in outcomes:
        if outcome_text(outcome).lower() == chosen.lower():
            return outcome
    choices = "; ".join(f"{index} = {outcome_text(o)}" for index, o in enumerate(outcomes, start=1))
    raise LedgerError(f"no outcome {chosen!r} in this scenario: give its number or text ({choices})")


def outcome_text(outcome: dict) -> str:
    return outcome["statement"].split(": ", 1)[1] if ": " in outcome["statement"] else outcome["statement"]


# ---- writing ----------------------------------------------------------------------------------


def add_scenario(
    ledger: Ledger, name: str, outcomes: Sequence[str], *, by: str | date, today: date,
    stated: Optional[str | date] = None, ordered: bool = False, criteria: Optional[str] = None,
    tags: Sequence[str] = (),
) -> dict:
    """Create a scenario and one question per outcome, all resolving by the same date."""
    name = " ".join((name or "").split())
    if not name:
        raise LedgerError("a scenario needs a name, e.g. 'Next Trump-Kim summit'")
    texts = [" ".join(text.split()) for text in outcomes if text and text.strip()]
    if len(texts) < 2:
        raise LedgerError("a scenario needs at least two --outcome values: exclusive futures that together cover every case")
    if len({text.lower() for text in texts}) != len(texts):
        raise LedgerError("two --outcome values are the same: each outcome must be different")
    said_on = rules.read_date(stated, today, "stated_on")
    resolve_by = rules.resolve_by(by, said_on)
    ledger.record(
        lambda recorder: record_scenario(
            recorder, name, texts, resolve_by=resolve_by, said_on=said_on, ordered=ordered, criteria=criteria, tags=tags
        )
    )
    return show_scenario(ledger, name, today=today)


def record_scenario(
    recorder: Writer, name: str, outcomes: Sequence[str], *, resolve_by: date, said_on: date,
    ordered: bool = False, criteria: Optional[str] = None, tags: Sequence[str] = (),
) -> int:
    exists = recorder.connection.execute(select(SCENARIO.c.id).where(func.lower(SCENARIO.c.name) == name.lower())).scalar()
    if exists:
        raise LedgerError(f"a scenario named {name!r} exists already (id {exists}): choose another name")
    scenario_id = recorder.add(SCENARIO, name=name, ordered=ordered, resolve_by=resolve_by)
    for position, text in enumerate(outcomes):
        write.record_question(
            recorder, f"{name}: {text}", by=resolve_by, said_on=said_on, tags=tags, criteria=criteria,
            scenario_id=scenario_id, scenario_position=position,
        )
    return scenario_id


def forecast_scenario(
    ledger: Ledger, name: str, *, who: str, today: date, probs: Optional[str | Sequence[float]] = None,
    outcome: Optional[str] = None, probability: Optional[str] = None, says: Optional[str] = None,
    stated: Optional[str | date] = None, source: Optional[str] = None, quote: Optional[str] = None,
    normalize: bool = False, scale: str = "icd203",
) -> dict:
    """A probability for every outcome (--probs), or for one outcome (--outcome with --prob/--says)."""
    def work(recorder: Writer) -> dict:
        scenario = scenario_row(recorder.connection, name)
        outcomes = outcome_rows(recorder.connection, scenario["id"])
        if outcome is not None:
            if probs is not None:
                raise LedgerError("give either --probs for every outcome, or --outcome with --prob/--says for one, not both")
            chosen = pick_outcome(outcomes, outcome)
            return write.record_forecast(
                recorder, chosen, who=who, probability=probability, says=says, stated=stated,
                source=source, quote=quote, scale=scale, today=today,
            )
        if probs is None:
            raise LedgerError("give --probs with one probability per outcome (e.g. 0.5,0.3,0.2), or --outcome N with --prob/--says")
        if probability is not None or says is not None:
            raise LedgerError("--prob and --says go with --outcome; for every outcome at once use --probs alone")
        vector = read_vector(probs, len(outcomes), normalize)
        vector_id = record_vector(recorder, scenario, outcomes, vector, who=who, today=today, stated=stated, source=source, quote=quote)
        return {"scenario": scenario["name"], "scenario_forecast_id": vector_id, "forecaster": who,
                "probabilities": vector, "outcomes": [outcome_text(o) for o in outcomes]}

    return ledger.record(work)


def record_vector(
    recorder: Writer, scenario: dict, outcomes: list[dict], probabilities: Sequence[float], *,
    who: str, today: date, stated: Optional[str | date] = None, source: Optional[str] = None, quote: Optional[str] = None,
) -> int:
    source_row = write.find_or_register_source(recorder, source)
    stated_on = rules.read_date(stated, (source_row or {}).get("published_on") or today, "stated_on")
    forecaster_id, _ = write.find_or_add_forecaster(recorder, who)
    vector_id = recorder.add(SCENARIO_FORECAST, scenario_id=scenario["id"], forecaster_id=forecaster_id, stated_on=stated_on)
    for number, (outcome, probability) in enumerate(zip(outcomes, probabilities), start=1):
        ruled_out = outcome["outcome"] == "no" and outcome["resolved_on"] <= stated_on
        if ruled_out and probability != 0:
            raise LedgerError(
                f"outcome {number} ({outcome_text(outcome)}) was ruled out on {outcome['resolved_on']}: "
                f"a vector stated on {stated_on} gives it 0 and shares the rest among the other outcomes"
            )
        write.record_forecast(
            recorder, outcome, who=who, probability=float(probability), says=None, stated=stated_on,
            source=str(source_row["id"]) if source_row else None, quote=quote, scale="icd203", today=today,
            scenario_forecast_id=vector_id, ruled_out=ruled_out,
        )
    return vector_id


def resolve_scenario(
    ledger: Ledger, name: str, happened: str, *, today: date, on: Optional[str | date] = None,
    note: Optional[str] = None, evidence: Optional[str] = None, amend: bool = False,
) -> dict:
    """The outcome that happened resolves yes and every other no, in one write."""
    def work(recorder: Writer) -> None:
        scenario = scenario_row(recorder.connection, name)
        outcomes = outcome_rows(recorder.connection, scenario["id"])
        chosen = pick_outcome(outcomes, happened)
        for outcome in outcomes:
            target = "yes" if outcome["id"] == chosen["id"] else "no"
            if outcome["outcome"] == target:
                continue  # already settled that way, e.g. ruled out earlier
            write.record_resolution(
                recorder, outcome["id"], target, today=today, on=on, note=note, evidence=evidence,
                amend=outcome["outcome"] is not None and amend, scenario_resolution=True,
            )

    ledger.record(work)
    return show_scenario(ledger, name, today=today)


# ---- reading ----------------------------------------------------------------------------------


def show_scenario(ledger: Ledger, name: str, *, today: date, prior: str = "consensus", as_of: Optional[date] = None) -> dict:
    """The scenario, its outcomes, every vector forecast (scored once settled), the consensus, and what its indicators imply."""
    from ledger import consensus, signposts

    with ledger.reading() as connection:
        scenario = scenario_row(connection, name)
        outcomes = outcome_rows(connection, scenario["id"])
        vectors = _vectors(connection, scenario["id"], as_of)
        implied = signposts.implied(connection, scenario, outcomes, vectors, prior=prior, as_of=as_of)
        standing = _standing_consensus(connection, [o["id"] for o in outcomes], as_of)
    index = happened_index(outcomes)
    for vector in vectors:
        vector.update(vector_scores(vector["probabilities"], index, scenario["ordered"]))
    moves = consensus.path((v["stated_on"], v["forecaster"], v["probabilities"]) for v in vectors)
    labels = [outcome_text(o) for o in outcomes]
    return {
        "scenario_id": scenario["id"],
        "name": scenario["name"],
        "ordered": scenario["ordered"],
        "resolve_by": scenario["resolve_by"],
        "happened": labels[index] if index is not None else None,
        "outcomes": [
            {"position": position + 1, "question_id": o["id"], "outcome": labels[position],
             "resolution": o["outcome"], "resolved_on": o["resolved_on"],
             "consensus": standing.get(o["id"]),
             "implied_by_indicators": implied["current"][position]}
            for position, o in enumerate(outcomes)
        ],
        "forecasts": vectors,
        "consensus": [{"on": row["on"], "forecasters": row["forecasters"], "probabilities": row["consensus"]} for row in moves],
        "indicators": [
            {"indicator_id": row["indicator_id"], "indicator": row["text"], "likelihoods": row["likelihoods"],
             "diagnosticity": row["diagnosticity"], "diagnostic": row["diagnostic"],
             "sightings": [{"sighting_id": s["id"], "on": s["observed_on"], "seen": s["seen"], "quote": s["quote"]} for s in row["sightings"]]}
            for row in implied["matrix"]
        ],
        "implied": {"prior": implied["prior"], "prior_vector": implied["prior_vector"],
                    "path": [{"on": row["on"], "probabilities": row["probabilities"], "event": row["event"]} for row in implied["path"]]},
    }


def list_scenarios(ledger: Ledger) -> list[dict]:
    with ledger.reading() as connection:
        scenarios = [dict(row) for row in connection.execute(select(SCENARIO).order_by(SCENARIO.c.id)).mappings()]
        rows = []
        for scenario in scenarios:
            outcomes = outcome_rows(connection, scenario["id"])
            index = happened_index(outcomes)
            vectors = connection.execute(
                select(func.count()).select_from(SCENARIO_FORECAST).where(SCENARIO_FORECAST.c.scenario_id == scenario["id"])
            ).scalar()
            rows.append({
                "scenario_id": scenario["id"], "name": scenario["name"], "ordered": scenario["ordered"],
                "resolve_by": scenario["resolve_by"], "outcomes": [outcome_text(o) for o in outcomes],
                "happened": outcome_text(outcomes[index]) if index is not None else None, "vector_forecasts": vectors,
            })
    return rows


VECTOR_COLUMNS = ["scenario_forecast_id", "stated_on", "forecaster", "probabilities", "brier", "log_score", "ordered_brier"]


def scenario_document(shown: dict) -> Document:
    """`scenario show`: the scenario as a record, its outcomes (the CSV table) with today's consensus and the
    indicators' implied vector, its vector forecasts, how the consensus moved, and the indicators."""
    record = {key: value for key, value in shown.items() if key not in ("outcomes", "forecasts", "consensus", "indicators", "implied")}
    moves = [{"on": row["on"], "forecasters": row["forecasters"], "consensus": _percentages(row["probabilities"])} for row in shown["consensus"]]
    indicators = indicator_document(shown)
    return Document(
        record=record,
        sections=[Section("outcomes", "Outcomes", shown["outcomes"]),
                  Section("forecasts", "Vector forecasts", shown["forecasts"], VECTOR_COLUMNS),
                  Section("consensus", "Consensus (geometric mean of the standing vectors, normalised)", moves, empty="(no vector forecasts)"),
                  *indicators.sections],
        main="outcomes",
        data=shown,
    )


def _standing_consensus(connection: Connection, question_ids: list[int], as_of: Optional[date]) -> dict[int, float]:
    """Each outcome's consensus now: the geometric mean of odds of every forecaster's latest forecast on it."""
    from ledger import consensus

    query = (select(FORECAST.c.question_id, FORECAST.c.stated_on, FORECASTER.c.name, FORECAST.c.probability)
             .join(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
             .where(FORECAST.c.question_id.in_(question_ids)).order_by(FORECAST.c.question_id, FORECAST.c.stated_on, FORECAST.c.id))
    if as_of is not None:
        query = query.where(FORECAST.c.stated_on <= as_of)
    latest: dict[int, dict[str, float]] = {}
    for row in connection.execute(query):
        latest.setdefault(row.question_id, {})[row.name] = row.probability
    return {question_id: consensus.aggregate(list(by_name.values())) for question_id, by_name in latest.items()}


def _percentages(vector: Sequence[float]) -> str:
    return " / ".join(f"{100 * p:.0f}%" for p in vector)


def indicator_document(shown: dict) -> Document:
    """`indicator list`: the indicators × outcomes matrix with sightings, and the implied vector over time."""
    labels = [o["outcome"] for o in shown["outcomes"]]
    matrix = [
        {"indicator_id": row["indicator_id"], "indicator": row["indicator"],
         **{label: likelihood for label, likelihood in zip(labels, row["likelihoods"])},
         "diagnostic": "yes" if row["diagnostic"] else "no (consistent with every outcome)",
         "sightings": "; ".join(f"{s['on']} {'seen' if s['seen'] else 'not seen'}" for s in row["sightings"]) or None}
        for row in shown["indicators"]
    ]
    path = [{"on": row["on"], "event": row["event"], "implied": _percentages(row["probabilities"])} for row in shown["implied"]["path"]]
    implied = shown["implied"]
    notes = [f"Implied by the indicators now: {_percentages(o['implied_by_indicators'] for o in shown['outcomes'])} "
             f"({', '.join(labels)}), from a {implied['prior']} prior of {_percentages(implied['prior_vector'])}."]
    return Document(
        sections=[Section("indicators", "Indicators × outcomes (likelihood of being seen under each outcome)", matrix, empty="(no indicators)"),
                  Section("implied", "Implied by the sightings", path, ["on", "event", "implied"], empty="(no sightings yet)")],
        notes=notes,
        main="indicators",
        data={"scenario": shown["name"], "outcomes": labels, "indicators": shown["indicators"], "implied": implied},
    )