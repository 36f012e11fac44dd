"""One forecaster's page: every forecast with its quote, source, outcome and scores, their calibration and cue record.

The scores come from the same functions as the reports: the summary is reports.score_report's
row, the calibration calibration.calibration's, the cue record calibration.cue_report's, and each
forecast's scores standings.score_question's for its question, so a page never disagrees with
`ledger report`. One streamed pass scores the forecasts of every forecaster asked for, so the
site can build a thousand pages without a query per question.
"""

from dataclasses import replace
from itertools import groupby
from operator import itemgetter
from typing import Iterable, Optional

from sqlalchemy import select

from ledger import people, scoring
from ledger.model import FORECAST, FORECAST_ROLE, FORECASTER, QUESTION, RESOLUTION, SCENARIO, SOURCE
from ledger.output import Document, Section
from ledger.records import current_resolutions
from ledger.report_rows import ReportFilter, forecaster_id, resolved_filter, resolved_query
from ledger.standings import COLUMNS, SCORED_OUTCOMES, as_date, score_question
from ledger.store import Ledger, plain_rows

FORECAST_COLUMNS = (
    "forecast_id", "question_id", "stated_on", "role", "statement", "probability", "cue", "quote", "source", "outcome", "resolved_on",
    "counts", "brier", "log_score", "peer_score", "time_averaged_brier",
)
ROLE_COLUMNS = ("role", "forecasts", "first_stated", "last_stated")
CALIBRATION_BINS = 10


def _forecast_scores(connection, report_filter: ReportFilter, forecaster_ids: Optional[set]) -> dict[int, dict]:
    """forecast id -> whether it counts and its scores, for the forecasts of `forecaster_ids` (None: everyone's).

    Each resolved question is scored once by standings.score_question; a forecast's own Brier and log
    score are those of its probability (as `ledger resolve` prints them), and the forecaster's last
    counting forecast carries the question's time-averaged and peer scores.
    """
    query = resolved_query(replace(report_filter, who=None), COLUMNS, counting_only=False, by_date=True)
    if forecaster_ids is not None:
        query = query.where(FORECAST.c.question_id.in_(select(FORECAST.c.question_id).where(people.canonical_id().in_(forecaster_ids))))
    scored: dict[int, dict] = {}
    for _, question_rows in groupby(plain_rows(connection, query), key=itemgetter(0)):
        rows = list(question_rows)
        scores = score_question(rows)
        counted = scores.outcome in SCORED_OUTCOMES
        happened = scores.outcome == "yes"
        standings = {standing.forecast_id: standing for standing in scores.standings}
        for row in rows:
            if forecaster_ids is not None and row[1] not in forecaster_ids:
                continue
            counts = scores.counts(row[5])
            standing = standings.get(row[2])
            scored[row[2]] = {
                "counts": counts,
                "brier": scoring.brier(row[3], happened) if counted and counts else None,
                "log_score": scoring.log_score(row[3], happened) if counted and counts else None,
                "peer_score": standing.peer_score if standing else None,
                "time_averaged_brier": standing.time_averaged_brier if standing else None,
            }
    return scored


def _forecasts(connection, report_filter: ReportFilter, forecaster_ids: Optional[set]) -> dict[int, list[dict]]:
    """forecaster id -> every forecast stated by the filter's day, oldest first, with question, source and resolution."""
    resolution = current_resolutions(report_filter.as_of)
    # Read apart and looked up: joined into the forecasts' query, SQLite re-evaluates the subquery per row.
    resolutions = {row.question_id: row for row in connection.execute(
        select(resolution.c.question_id, resolution.c.outcome, resolution.c.resolved_on, RESOLUTION.c.note, RESOLUTION.c.evidence)
        .join(RESOLUTION, RESOLUTION.c.id == resolution.c.id)
    )}
    query = (
        select(FORECAST.c.id, people.canonical_id().label("forecaster_id"), FORECAST.c.question_id, FORECAST.c.stated_on, FORECAST.c.probability,
               FORECAST.c.cue, FORECAST.c.range_low, FORECAST.c.range_high, FORECAST.c.quote, QUESTION.c.statement,
               QUESTION.c.resolve_by, SCENARIO.c.name.label("scenario"), SOURCE.c.title, SOURCE.c.url, SOURCE.c.outlet,
               SOURCE.c.published_on, FORECAST_ROLE.c.role)
        .join(QUESTION, QUESTION.c.id == FORECAST.c.question_id)
        .outerjoin(SCENARIO, SCENARIO.c.id == QUESTION.c.scenario_id)
        .outerjoin(SOURCE, SOURCE.c.id == FORECAST.c.source_id)
        .outerjoin(FORECAST_ROLE, FORECAST_ROLE.c.forecast_id == FORECAST.c.id)
        .order_by(people.canonical_id(), FORECAST.c.stated_on, FORECAST.c.id)
    )
    if forecaster_ids is not None:
        query = query.where(people.canonical_id().in_(forecaster_ids))
    if report_filter.as_of is not None:
        query = query.where(FORECAST.c.stated_on <= report_filter.as_of)
    if report_filter.tag is not None:
        from ledger.model import TAG

        query = query.where(FORECAST.c.question_id.in_(select(TAG.c.question_id).where(TAG.c.tag == report_filter.tag)))
    scores = _forecast_scores(connection, report_filter, forecaster_ids)
    unscored = {"counts": None, "brier": None, "log_score": None, "peer_score": None, "time_averaged_brier": None}
    pages: dict[int, list[dict]] = {}
    for row in connection.execute(query).mappings():
        settled = resolutions.get(row["question_id"])
        pages.setdefault(row["forecaster_id"], []).append({
            "forecast_id": row["id"], "question_id": row["question_id"], "stated_on": as_date(row["stated_on"]), "role": row["role"],
            "statement": row["statement"], "scenario": row["scenario"], "resolve_by": as_date(row["resolve_by"]),
            "probability": row["probability"], "cue": row["cue"], "range_low": row["range_low"], "range_high": row["range_high"],
            "quote": row["quote"], "source": row["title"], "source_url": row["url"], "outlet": row["outlet"],
            "published_on": row["published_on"], "outcome": settled.outcome if settled else None,
            "resolved_on": settled.resolved_on if settled else None, "note": settled.note if settled else None,
            "evidence": settled.evidence if settled else None, **scores.get(row["id"], unscored),
        })
    return pages


def roles_held(forecasts: Iterable[dict]) -> list[dict]:
    """The roles a forecaster spoke in, in the order first held, each with how many forecasts and when (forecasts oldest first)."""
    held: dict[str, dict] = {}
    for forecast in forecasts:
        if forecast["role"] is None:
            continue
        role = held.setdefault(forecast["role"], {"role": forecast["role"], "forecasts": 0,
                                                  "first_stated": forecast["stated_on"], "last_stated": forecast["stated_on"]})
        role["forecasts"] += 1
        role["first_stated"] = min(role["first_stated"], forecast["stated_on"])
        role["last_stated"] = max(role["last_stated"], forecast["stated_on"])
    return sorted(held.values(), key=itemgetter("first_stated"))


def forecaster_pages(ledger: Ledger, report_filter: ReportFilter, summaries: Iterable[dict], cue_rows: Iterable[dict]) -> list[dict]:
    """The page of every forecaster with a forecast, given the report's rows (by forecaster) and the cue report split by forecaster."""
    from ledger.calibration import calibration_by_forecaster, calibration_of

    summary_of = {row["group"]: row for row in summaries}
    cues_of: dict[str, list[dict]] = {}
    for row in cue_rows:
        cues_of.setdefault(row["forecaster"], []).append(row)
    with ledger.reading() as connection:
        checked, who_id = resolved_filter(connection, report_filter)
        wanted = {who_id} if who_id is not None else None
        forecasts = _forecasts(connection, checked, wanted)
        people = dict(connection.execute(select(FORECASTER.c.id, FORECASTER.c.name)).all())
    calibrations = calibration_by_forecaster(ledger, bins=CALIBRATION_BINS, report_filter=report_filter)
    nothing_scored = calibration_of([], b"", CALIBRATION_BINS)
    pages = []
    for person_id, own in sorted(forecasts.items(), key=lambda item: people[item[0]].casefold()):
        name = people[person_id]
        pages.append({
            "forecaster": name, "summary": summary_of.get(name), "forecasts": own, "roles": roles_held(own),
            "calibration": calibrations.get(person_id, nothing_scored), "cues": cues_of.get(name, []),
        })
    return pages


def forecaster_page(ledger: Ledger, name: str, report_filter: ReportFilter = ReportFilter()) -> dict:
    """One forecaster's page (`ledger who NAME`); an unknown name is refused with a pointer to the names."""
    from ledger.calibration import cue_report
    from ledger.reports import score_report

    with ledger.reading() as connection:
        # The id report_rows finds for the name (its rules, not a second lookup), then the name as recorded.
        name = connection.execute(select(FORECASTER.c.name).where(FORECASTER.c.id == forecaster_id(connection, name))).scalar()
    own_filter = replace(report_filter, who=name)
    summaries = score_report(ledger, by="forecaster", report_filter=own_filter)
    cues = cue_report(ledger, report_filter=own_filter)
    pages = forecaster_pages(ledger, own_filter, summaries, cues)
    if pages:
        return pages[0]
    from ledger.calibration import calibration_of

    return {"forecaster": name, "summary": None, "forecasts": [], "roles": [], "calibration": calibration_of([], b"", CALIBRATION_BINS), "cues": []}


def forecaster_document(page: dict) -> Document:
    """`ledger who`: the forecaster's scores as a record, then their forecasts (the CSV table), cue record and calibration."""
    from ledger.calibration import BIN_COLUMNS, cue_columns

    summary = page["summary"] or {}
    record = {"forecaster": page["forecaster"], "forecasts": len(page["forecasts"]),
              **{key: value for key, value in summary.items() if key != "group"}}
    data = {**record, "roles": page["roles"], "forecast_list": page["forecasts"], "cues": page["cues"], "calibration": page["calibration"].bins,
            "decomposition": page["calibration"].decomposition}
    return Document(
        record=record,
        sections=[
            Section("roles", "Roles, as the sources give them", page["roles"], list(ROLE_COLUMNS), empty="(no role recorded)"),
            Section("forecasts", "Forecasts", page["forecasts"], list(FORECAST_COLUMNS), empty="(no forecasts)"),
            Section("cues", "What their words meant", page["cues"], cue_columns(True), empty="(no resolved forecasts)"),
            Section("calibration", "Calibration", [row for row in page["calibration"].bins if row["n"]], list(BIN_COLUMNS),
                    empty="(no scored forecasts)"),
        ],
        main="forecasts",
        data=data,
    )
