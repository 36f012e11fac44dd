"""`ledger digest`: what a keeper of the ledger needs each week, from the last digest (or --since) to today.

Questions that came due and still need resolving, questions due soon, resolutions and forecasts
added, and large moves in a question's consensus (consensus.py: the geometric mean of the odds of the forecasters' standing
forecasts: each forecaster's latest, as in the reports). Scenario outcomes are questions, so a
scenario's moves are its outcomes' moves, named with the scenario.

"Since" reads both kinds of time: a resolution or forecast is new when its world date (resolved_on,
stated_on) falls in the digest's days, or when it was typed in (recorded_at) during them, so an old
forecast entered this week is not missed. Nothing dated after today counts, so `--today` replays the
past. A digest without --since is remembered (a digest_run record, chained like any other), and the
next one starts on the day it ran for.
"""

import re
from datetime import date, datetime, time, timedelta, timezone
from itertools import groupby
from operator import itemgetter
from typing import Optional

from sqlalchemy import and_, or_, select

from ledger import consensus
from ledger.errors import LedgerError
from ledger.model import DIGEST_RUN, FORECAST, FORECASTER, QUESTION, RESOLUTION, SCENARIO, SOURCE
from ledger.output import Document, Section
from ledger.records import current_resolutions
from ledger.store import Ledger

FIRST_DIGEST_DAYS = 7  # with no earlier digest and no --since, a digest looks back a week
DEFAULT_WITHIN = "30d"
DEFAULT_THRESHOLD = 0.10
FORMATS = {"text": "table", "markdown": "github", "html": "html", "json": "json"}
_WITHIN = re.compile(r"^\s*(\d{1,4})\s*(d|day|days|w|week|weeks)?\s*$", re.IGNORECASE)

DUE_COLUMNS = ("question_id", "resolve_by", "statement", "forecasters")
RESOLUTION_COLUMNS = ("question_id", "outcome", "resolved_on", "statement", "note")
FORECAST_COLUMNS = ("forecast_id", "question_id", "stated_on", "forecaster", "probability", "cue", "source", "statement")
MOVE_COLUMNS = ("question_id", "scenario", "statement", "before", "after", "move", "forecasters")


def read_within(text: str) -> int:
    """'30d', '30', '2w' -> a number of days."""
    match = _WITHIN.match(text or "")
    if not match:
        raise LedgerError(f"--within {text!r} is not a length of time: give days or weeks, such as 30d, 45 or 2w")
    days = int(match.group(1)) * (7 if (match.group(2) or "d").lower().startswith("w") else 1)
    return days


def read_format(name: str) -> str:
    if name not in FORMATS:
        raise LedgerError(f"unknown digest format {name!r}: use text (default), markdown, html or json")
    return FORMATS[name]


def check_threshold(threshold: float) -> float:
    if not 0 < threshold <= 1:
        raise LedgerError(f"--threshold {threshold} is out of range: give a move in probability above 0 and at most 1, such as 0.1")
    return threshold


def last_run(ledger: Ledger) -> Optional[dict]:
    with ledger.reading() as connection:
        row = connection.execute(select(DIGEST_RUN).order_by(DIGEST_RUN.c.id.desc()).limit(1)).mappings().first()
    return dict(row) if row else None


def start_day(ledger: Ledger, today: date, since: Optional[date]) -> tuple[date, Optional[dict]]:
    """The first day the digest covers: --since, else the day the last digest ran for, else a week back."""
    previous = last_run(ledger)
    if since is None:
        since = previous["ran_on"] if previous else today - timedelta(days=FIRST_DIGEST_DAYS)
        if since > today:
            raise LedgerError(
                f"the last digest ran for {since}, after today ({today}): give --since DATE to look back from another day"
            )
    elif since > today:
        raise LedgerError(f"--since {since} is after today ({today}): give a day on or before it")
    return since, previous


def _new_since(world_date, since: date, today: date):
    """New in the digest's days: dated in them, or typed in during them (and dated by today)."""
    first_moment = datetime.combine(since, time.min, tzinfo=timezone.utc)
    last_moment = datetime.combine(today + timedelta(days=1), time.min, tzinfo=timezone.utc)
    recorded = world_date.table.c.recorded_at
    return and_(world_date <= today, or_(world_date >= since, and_(recorded >= first_moment, recorded < last_moment)))


def _forecasters(connection, question_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    if not question_ids:
        return names
    query = (
        select(FORECAST.c.question_id, FORECASTER.c.name).join(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
        .where(FORECAST.c.question_id.in_(question_ids)).group_by(FORECAST.c.question_id, FORECASTER.c.name)
        .order_by(FORECAST.c.question_id, FORECASTER.c.name)
    )
    for question_id, name in connection.execute(query):
        names.setdefault(question_id, []).append(name)
    return names


def _due(connection, resolution, first: date, last: date) -> list[dict]:
    """Unresolved questions (as of today) whose resolve-by date lies in [first, last]."""
    query = (
        select(QUESTION.c.id, QUESTION.c.resolve_by, QUESTION.c.statement)
        .outerjoin(resolution, resolution.c.question_id == QUESTION.c.id)
        .where(resolution.c.outcome.is_(None), QUESTION.c.resolve_by >= first, QUESTION.c.resolve_by <= last)
        .order_by(QUESTION.c.resolve_by, QUESTION.c.id)
    )
    rows = [{"question_id": row.id, "resolve_by": row.resolve_by, "statement": row.statement} for row in connection.execute(query)]
    names = _forecasters(connection, [row["question_id"] for row in rows])
    return [dict(row, forecasters=names.get(row["question_id"], [])) for row in rows]


def _moves(connection, since: date, today: date, threshold: float, resolution) -> list[dict]:
    """Questions open at the start whose consensus moved by at least `threshold` between the day before `since` and today."""
    moved_questions = select(FORECAST.c.question_id).where(FORECAST.c.stated_on >= since, FORECAST.c.stated_on <= today)
    query = (
        select(FORECAST.c.question_id, FORECAST.c.forecaster_id, FORECAST.c.stated_on, FORECAST.c.probability)
        .outerjoin(resolution, resolution.c.question_id == FORECAST.c.question_id)
        .where(FORECAST.c.question_id.in_(moved_questions), FORECAST.c.stated_on <= today,
               or_(resolution.c.resolved_on.is_(None), resolution.c.resolved_on >= since))
        .order_by(FORECAST.c.question_id, FORECAST.c.stated_on, FORECAST.c.id)
    )
    moves = []
    for question_id, rows in groupby(connection.execute(query), key=itemgetter(0)):
        before: dict[int, float] = {}
        after: dict[int, float] = {}
        for _, forecaster_id, stated_on, probability in rows:
            if stated_on < since:
                before[forecaster_id] = probability
            after[forecaster_id] = probability  # by date and id: the latest stands
        if not before:
            continue  # no consensus to move from: its first forecasts are listed as added
        was, now = consensus.aggregate(list(before.values())), consensus.aggregate(list(after.values()))
        if abs(now - was) >= threshold - 1e-12:
            moves.append({"question_id": question_id, "before": was, "after": now, "move": now - was, "forecasters": len(after)})
    if moves:
        details = {row.id: row for row in connection.execute(
            select(QUESTION.c.id, QUESTION.c.statement, SCENARIO.c.name).outerjoin(SCENARIO, SCENARIO.c.id == QUESTION.c.scenario_id)
            .where(QUESTION.c.id.in_([move["question_id"] for move in moves])))}
        for move in moves:
            move["statement"] = details[move["question_id"]].statement
            move["scenario"] = details[move["question_id"]].name
    return sorted(moves, key=lambda move: (-abs(move["move"]), move["question_id"]))


def gather(ledger: Ledger, *, today: date, since: date, within_days: int, threshold: float) -> dict:
    """The digest's sections for the days from `since` to `today`."""
    resolution = current_resolutions(today)
    with ledger.reading() as connection:
        came_due = _due(connection, resolution, since, today - timedelta(days=1))
        overdue = len(_due(connection, resolution, date.min, since - timedelta(days=1))) if since > date.min else 0
        due_soon = _due(connection, resolution, today, today + timedelta(days=within_days))
        resolutions = [dict(row) for row in connection.execute(
            select(RESOLUTION.c.question_id, RESOLUTION.c.outcome, RESOLUTION.c.resolved_on, QUESTION.c.statement, RESOLUTION.c.note,
                   RESOLUTION.c.amends_id)
            .join(QUESTION, QUESTION.c.id == RESOLUTION.c.question_id)
            .where(_new_since(RESOLUTION.c.resolved_on, since, today))
            .order_by(RESOLUTION.c.resolved_on, RESOLUTION.c.id)
        ).mappings()]
        forecasts = [dict(row) for row in connection.execute(
            select(FORECAST.c.id.label("forecast_id"), FORECAST.c.question_id, FORECAST.c.stated_on, FORECASTER.c.name.label("forecaster"),
                   FORECAST.c.probability, FORECAST.c.cue, SOURCE.c.title.label("source"), QUESTION.c.statement)
            .join(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
            .join(QUESTION, QUESTION.c.id == FORECAST.c.question_id)
            .outerjoin(SOURCE, SOURCE.c.id == FORECAST.c.source_id)
            .where(_new_since(FORECAST.c.stated_on, since, today))
            .order_by(FORECAST.c.stated_on, FORECAST.c.id)
        ).mappings()]
        moves = _moves(connection, since, today, threshold, resolution)
    return {"since": since, "today": today, "within_days": within_days, "threshold": threshold, "came_due": came_due,
            "overdue_before": overdue, "due_soon": due_soon, "resolutions": resolutions, "forecasts": forecasts, "moves": moves}


def run_digest(ledger: Ledger, *, today: date, since: Optional[date] = None, within_days: int = 30,
               threshold: float = DEFAULT_THRESHOLD) -> dict:
    """The digest from `since` (else the last digest's day) to today; remembered in the ledger unless `since` was given."""
    check_threshold(threshold)
    remember = since is None
    start, previous = start_day(ledger, today, since)
    result = gather(ledger, today=today, since=start, within_days=within_days, threshold=threshold)
    result["previous_digest"] = previous["ran_on"] if previous else None
    if remember:
        ledger.record(lambda writer: writer.add(DIGEST_RUN, since=start, ran_on=today))
    result["remembered"] = remember
    return result


def digest_document(result: dict, fmt: str) -> Document:
    """The digest as a document: a record of its days and counts, then one section per list."""
    heading = "## " if fmt == "github" else ""
    record = {
        "since": result["since"], "today": result["today"], "previous_digest": result["previous_digest"],
        "came_due": len(result["came_due"]), "still_due_from_before": result["overdue_before"],
        "due_within_days": result["within_days"], "due_soon": len(result["due_soon"]),
        "resolutions": len(result["resolutions"]), "forecasts": len(result["forecasts"]),
        "consensus_moves": len(result["moves"]), "move_threshold": result["threshold"],
    }
    notes = []
    if result["overdue_before"]:
        notes.append(f"{result['overdue_before']} question(s) came due before {result['since']} and are still unresolved: "
                     "see 'ledger list --status due'.")
    if not result["remembered"]:
        notes.append("Not remembered (--since given): the next digest starts where the last remembered one ended.")
    sections = [
        Section("came_due", f"{heading}Came due since {result['since']}, still to resolve", result["came_due"], list(DUE_COLUMNS),
                empty="(nothing came due)"),
        Section("due_soon", f"{heading}Due in the next {result['within_days']} days", result["due_soon"], list(DUE_COLUMNS),
                empty="(nothing due soon)"),
        Section("resolutions", f"{heading}Resolutions since {result['since']}", result["resolutions"], list(RESOLUTION_COLUMNS),
                empty="(no resolutions)"),
        Section("forecasts", f"{heading}Forecasts added since {result['since']}", result["forecasts"], list(FORECAST_COLUMNS),
                empty="(no forecasts)"),
        Section("moves", f"{heading}Consensus moves of {result['threshold']:.0%} or more (geometric mean of the odds of standing forecasts)",
                result["moves"], list(MOVE_COLUMNS), empty="(no large moves)"),
    ]
    data = {**record, **{section.key: section.rows for section in sections}}
    if fmt == "github":
        # Markdown tables need a header row: the counts go in as a one-row table under a heading.
        summary = Section("summary", f"# Ledger digest, {result['since']} to {result['today']}", [record], list(record))
        return Document(sections=[summary, *sections], notes=notes, data=data)
    return Document(record=record, sections=sections, notes=notes, data=data)
