"""The read side of scenarios: vector forecasts, their multi-category scores, the scenario report and timelines.

A scenario's outcomes are questions; a vector forecast is one scenario_forecast row whose parts are
forecasts on the outcomes. A vector may leave out (or give zero to) outcomes already ruled out: its
missing parts read as zero. ledger/scenarios.py (the write side) imports from here, never the reverse.
"""

import math
from datetime import date, timedelta
from typing import Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ledger import records, scoring, write
from ledger.errors import LedgerError
from ledger.output import Document, Section
from ledger.model import FORECAST, FORECASTER, QUESTION, SCENARIO, SCENARIO_FORECAST, SOURCE

TIMELINE_COLUMNS = ("stated_on", "forecaster", "outcome", "probability", "cue", "source")
SIGHTING_COLUMNS = ("on", "seen", "indicator", "source", "quote", "note")


def _label(statement: str) -> str:
    """An outcome's own words: its statement without the "SCENARIO: " prefix."""
    return statement.split(": ", 1)[1] if ": " in statement else statement


def _vectors(connection: Connection, scenario_id: int, as_of: Optional[date] = None) -> list[dict]:
    """Every vector forecast on the scenario, oldest first, with one probability per outcome (0 for a part left out)."""
    outcomes = connection.execute(select(func.count()).select_from(QUESTION).where(QUESTION.c.scenario_id == scenario_id)).scalar()
    query = (
        select(SCENARIO_FORECAST.c.id, SCENARIO_FORECAST.c.stated_on, FORECASTER.c.name, QUESTION.c.scenario_position,
               FORECAST.c.probability, SOURCE.c.title, FORECAST.c.quote)
        .join(FORECAST, FORECAST.c.scenario_forecast_id == SCENARIO_FORECAST.c.id)
        .join(QUESTION, QUESTION.c.id == FORECAST.c.question_id)
        .join(FORECASTER, FORECASTER.c.id == SCENARIO_FORECAST.c.forecaster_id)
        .outerjoin(SOURCE, SOURCE.c.id == FORECAST.c.source_id)
        .where(SCENARIO_FORECAST.c.scenario_id == scenario_id)
        .order_by(SCENARIO_FORECAST.c.stated_on, SCENARIO_FORECAST.c.id, QUESTION.c.scenario_position)
    )
    if as_of is not None:
        query = query.where(SCENARIO_FORECAST.c.stated_on <= as_of)
    vectors: dict[int, dict] = {}
    for row in connection.execute(query):
        vector = vectors.setdefault(row.id, {
            "scenario_forecast_id": row.id, "forecaster": row.name, "stated_on": row.stated_on,
            "probabilities": [0.0] * outcomes, "source": row.title, "quote": row.quote,
        })
        vector["probabilities"][row.scenario_position] = row.probability
    return list(vectors.values())


def happened_index(outcomes: list[dict]) -> Optional[int]:
    """The position of the outcome resolved yes, if the scenario is settled."""
    for index, outcome in enumerate(outcomes):
        if outcome["outcome"] == "yes":
            return index
    return None


def vector_scores(probabilities: Sequence[float], index: Optional[int], ordered: bool) -> dict:
    """Multi-category Brier, log and (for ordered scenarios) ordered Brier of one vector, once the scenario is settled."""
    if index is None:
        return {"brier": None, "log_score": None, "ordered_brier": None}
    total = math.fsum(probabilities)
    normalised = [p / total for p in probabilities]  # stored as given; within 0.01 of 1 by construction
    return {
        "brier": scoring.multicategory_brier(normalised, index),
        "log_score": scoring.multicategory_log_score(normalised, index),
        "ordered_brier": scoring.ordered_brier(normalised, index) if ordered else None,
    }


def _outcomes_as_of(connection: Connection, scenario_id: int, as_of: Optional[date]) -> list[dict]:
    """The scenario's outcomes with the resolution in force on the day (the latest dated on or before it)."""
    resolution = records.current_resolutions(as_of)
    query = (
        select(QUESTION.c.id, QUESTION.c.statement, resolution.c.outcome, resolution.c.resolved_on)
        .outerjoin(resolution, resolution.c.question_id == QUESTION.c.id)
        .where(QUESTION.c.scenario_id == scenario_id)
        .order_by(QUESTION.c.scenario_position)
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def scenario_report(ledger, *, as_of: Optional[date] = None) -> list[dict]:
    """Per settled scenario and forecaster: the scores of the forecaster's standing vector.

    The same rule as every other report: one standing per forecaster, their last vector stated
    before the event's date (the date the outcome that happened was resolved yes, as of the day);
    vectors stated on or after it never count. Resolutions are read as they stood on `as_of`.
    A scenario whose indicators were sighted before that date also scores the vector the sightings
    implied the day before it (consensus prior), as the forecaster "indicators".
    """
    from ledger import signposts

    rows = []
    with ledger.reading() as connection:
        scenarios = [dict(row) for row in connection.execute(select(SCENARIO).order_by(SCENARIO.c.id)).mappings()]
        for scenario in scenarios:
            outcomes = _outcomes_as_of(connection, scenario["id"], as_of)
            index = happened_index(outcomes)
            if index is None:
                continue
            settled_on = outcomes[index]["resolved_on"]
            vectors = _vectors(connection, scenario["id"], as_of)
            standing: dict[str, list[float]] = {}
            for vector in vectors:
                if vector["stated_on"] < settled_on:
                    standing[vector["forecaster"]] = vector["probabilities"]  # oldest first: the last one stands
            scored = list(standing.items())
            # The sightings as they stood the day before the event: what the indicators said in time.
            implied = signposts.implied(connection, scenario, outcomes, vectors, as_of=settled_on - timedelta(days=1))
            if any(row["sightings"] for row in implied["matrix"]):
                scored.append((signposts.INDICATORS_FORECASTER, implied["current"]))
            for forecaster, probabilities in scored:
                rows.append({
                    "group": scenario["name"], "forecaster": forecaster, "n": 1,
                    **vector_scores(probabilities, index, scenario["ordered"]),
                    "happened": _label(outcomes[index]["statement"]),
                })
    return sorted(rows, key=lambda row: (row["group"], row["brier"]))


def timeline(ledger, target: str, *, prior: str = "consensus", as_of: Optional[date] = None) -> dict:
    """Every dated forecast on a question or a scenario's outcomes, with source dates and resolutions; for a
    scenario with indicators, also the vector its sightings imply (from `prior`) and the sightings themselves.

    `as_of` keeps only the sightings and ruled-out outcomes dated on or before it (the points and
    resolutions are the caller's to cut, as the site does).
    """
    from ledger.indicators import PRIORS

    if prior not in PRIORS:
        raise LedgerError(f"unknown prior {prior!r}: use {' or '.join(PRIORS)}")
    implied, sightings = None, []
    with ledger.reading() as connection:
        if target.strip().isdigit():
            question = write.question_row(connection, int(target))
            questions = [question]
            title = question["statement"]
        else:
            from ledger import signposts
            from ledger.scenarios import outcome_rows, scenario_row

            scenario = scenario_row(connection, target, by_id=False)  # a number here is a question id
            questions = outcome_rows(connection, scenario["id"])
            title = scenario["name"]
            found = signposts.implied(connection, scenario, questions, _vectors(connection, scenario["id"], as_of),
                                      prior=prior, as_of=as_of)
            if found["matrix"]:
                implied = {"prior": found["prior"], "prior_vector": found["prior_vector"],
                           "path": [{"on": row["on"], "event": row["event"], "probabilities": row["probabilities"]} for row in found["path"]]}
                sightings = _sightings(connection, found["matrix"])
        ids = [q["id"] for q in questions]
        labels = {q["id"]: _label(q["statement"]) for q in questions} if len(questions) > 1 else {ids[0]: questions[0]["statement"]}
        points = [
            {"stated_on": row.stated_on, "forecaster": row.name, "outcome": labels[row.question_id],
             "probability": row.probability, "cue": row.cue, "source": row.title, "published_on": row.published_on}
            for row in connection.execute(
                select(FORECAST.c.question_id, FORECAST.c.stated_on, FORECAST.c.probability, FORECAST.c.cue,
                       FORECASTER.c.name, SOURCE.c.title, SOURCE.c.published_on)
                .join(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
                .outerjoin(SOURCE, SOURCE.c.id == FORECAST.c.source_id)
                .where(FORECAST.c.question_id.in_(ids))
                .order_by(FORECAST.c.stated_on, FORECAST.c.id)
            )
        ]
        resolution = records.current_resolutions()
        resolutions = [
            {"outcome": labels[row.question_id], "resolution": row.outcome, "resolved_on": row.resolved_on}
            for row in connection.execute(select(resolution).where(resolution.c.question_id.in_(ids)))
        ]
    return {"title": title, "outcomes": list(labels.values()), "points": points, "resolutions": resolutions,
            "implied": implied, "sightings": sightings}


def _sightings(connection: Connection, matrix: list[dict]) -> list[dict]:
    """The standing sightings of a scenario's indicators, in date order, with their sources' titles."""
    found = [(row, sighting) for row in matrix for sighting in row["sightings"]]
    source_ids = {sighting["source_id"] for _, sighting in found if sighting["source_id"] is not None}
    titles = dict(connection.execute(select(SOURCE.c.id, SOURCE.c.title).where(SOURCE.c.id.in_(source_ids))).all()) if source_ids else {}
    rows = [{"sighting_id": sighting["id"], "on": sighting["observed_on"], "seen": sighting["seen"],
             "indicator_id": row["indicator_id"], "indicator": row["text"],
             "source": titles.get(sighting["source_id"]), "quote": sighting["quote"], "note": sighting["note"]} for row, sighting in found]
    return sorted(rows, key=lambda row: (row["on"], row["sighting_id"]))


def _percentages(vector: Sequence[float]) -> str:
    return " / ".join(f"{100 * p:.0f}%" for p in vector)


def timeline_document(line: dict) -> Document:
    """The timeline's points, then (for a scenario with indicators) the implied vector after each event and
    the sightings; resolutions as notes. JSON: the whole line (title, outcomes, points, resolutions, implied, sightings)."""
    notes = [f"resolved {r['resolution']} on {r['resolved_on']}: {r['outcome']}" for r in line["resolutions"]]
    sections = [Section("points", f"Timeline: {line['title']}", line["points"], list(TIMELINE_COLUMNS), empty="(no forecasts)")]
    implied = line["implied"]
    if implied is not None:
        steps = [{"on": None, "event": f"prior ({implied['prior']}), until the first event", "implied": _percentages(implied["prior_vector"])}]
        steps += [{"on": row["on"], "event": row["event"], "implied": _percentages(row["probabilities"])} for row in implied["path"]]
        sections.append(Section("implied", f"Implied by the indicators ({' / '.join(line['outcomes'])})", steps,
                                ["on", "event", "implied"]))
        sightings = [{**row, "seen": "seen" if row["seen"] else "not seen"} for row in line["sightings"]]
        sections.append(Section("sightings", "Sightings", sightings, list(SIGHTING_COLUMNS), empty="(no sightings yet)"))
    return Document(sections=sections, notes=notes, main="points", data=line)
