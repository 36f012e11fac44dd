"""Recording sources, questions, forecasts and resolutions, and reading them back.

Everything the CLI's record-keeping commands do is here, callable from Python:
each function takes an open `Ledger` and plain values, checks them all before it
writes, and returns plain dicts (the records as the JSON output shows them).
"""

import hashlib
import os
from datetime import date
from typing import Iterable, Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ledger import dates, likelihood
from ledger.errors import LedgerError
from ledger.model import Forecast, Forecaster, Question, QuestionTag, Resolution, Source
from ledger.store import Ledger, Recorder

SOURCE = Source.__table__
FORECASTER = Forecaster.__table__
QUESTION = Question.__table__
TAG = QuestionTag.__table__
FORECAST = Forecast.__table__
RESOLUTION = Resolution.__table__

OUTCOMES = ("yes", "no", "ambiguous", "annulled")
STATUSES = ("open", "due", "resolved", "all")


# ---- reading user input ---------------------------------------------------------------------


def read_probability(
    probability: Optional[str | float], says: Optional[str], scale: str = "icd203", cue: Optional[str] = None
) -> dict:
    """The forecast's number and words: a number given (--prob) or words read through a scale (--says).

    `cue` keeps the words that came with a number ("70 percent chance") when they are not scale words.
    """
    if (probability is None) == (says is None):
        raise LedgerError("give the forecast as either --prob (0.3, 30%, '30 percent') or --says (the words used), not both")
    if says is not None:
        reading = likelihood.read_words(says, scale)
        return {
            "probability": reading.probability,
            "cue": reading.cue,
            "scale": reading.scale,
            "range_low": reading.low,
            "range_high": reading.high,
        }
    value = probability if isinstance(probability, float) else likelihood.parse_probability(str(probability))
    if not 0.0 <= value <= 1.0:
        raise LedgerError(f"probability {value} is out of range: give a number from 0 to 1, or a percentage such as 30%")
    return {"probability": value, "cue": cue, "scale": "number", "range_low": value, "range_high": value}


def read_date(value: Optional[str | date], default: Optional[date]) -> Optional[date]:
    if value is None:
        return default
    if isinstance(value, date):
        return value
    return dates.parse_date(value)


def read_outcome(outcome: str) -> str:
    word = outcome.strip().lower()
    if word not in OUTCOMES:
        raise LedgerError(f"unknown outcome {outcome!r}: use yes, no, ambiguous or annulled (yes/no say whether the event happened)")
    return word


def forecaster_key(name: str) -> str:
    return " ".join(name.split()).casefold()


# ---- sources ----------------------------------------------------------------------------------


def file_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise LedgerError(f"no such file {path!r}: give the article's text file") from None
    except (UnicodeDecodeError, IsADirectoryError) as error:
        raise LedgerError(f"cannot read {path!r} as UTF-8 text ({error.__class__.__name__}): give a plain text file") from None


def _first_title_line(text: str) -> str:
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 4:
            return " ".join(words)[:200]
    return "untitled"


def _source_row(connection: Connection, source_id: int) -> Optional[dict]:
    row = connection.execute(select(SOURCE).where(SOURCE.c.id == source_id)).mappings().first()
    return dict(row) if row else None


def register_file(recorder: Recorder, path: str, *, title=None, outlet=None, published_on=None, url=None) -> dict:
    text = file_text(path)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = recorder.connection.execute(select(SOURCE).where(SOURCE.c.sha256 == digest)).mappings().first()
    if existing:
        return dict(existing)
    values = dict(
        title=title or _first_title_line(text),
        outlet=outlet,
        url=url,
        published_on=published_on,
        path=path,
        sha256=digest,
        text=text,
    )
    source_id = recorder.insert(SOURCE, **values)
    return {"id": source_id, **values}


def find_or_register_source(recorder: Recorder, reference: Optional[str]) -> Optional[dict]:
    """The source a --source value names: an id, an article file, a URL, or a title such as a speech."""
    if reference is None or not str(reference).strip():
        return None
    reference = str(reference).strip()
    connection = recorder.connection
    if reference.isdigit():
        row = _source_row(connection, int(reference))
        if row is None:
            raise LedgerError(f"no source with id {reference}: see 'ledger source list', or give a file, URL or title")
        return row
    if os.path.isfile(reference):
        return register_file(recorder, reference)
    column = SOURCE.c.url if "://" in reference else SOURCE.c.title
    row = connection.execute(select(SOURCE).where(func.lower(column) == reference.lower())).mappings().first()
    if row:
        return dict(row)
    values = {"url": reference, "title": reference} if "://" in reference else {"title": reference}
    return {"id": recorder.insert(SOURCE, **values), **values}


def add_source(ledger: Ledger, path: str, *, title: str, outlet: Optional[str], published: Optional[str | date], url: Optional[str]) -> dict:
    """Register an article file as a source; the same text twice is refused."""
    if not title or not title.strip():
        raise LedgerError("a source needs a --title")
    published_on = read_date(published, None) if published is not None else None
    text = file_text(path)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    def work(recorder: Recorder) -> dict:
        existing = recorder.connection.execute(select(SOURCE.c.id).where(SOURCE.c.sha256 == digest)).scalar()
        if existing:
            raise LedgerError(f"{path} is already in the ledger as source {existing}: refer to it with --source {existing}")
        return register_file(recorder, path, title=title.strip(), outlet=outlet, published_on=published_on, url=url)

    return source_summary(ledger.record(work))


def source_summary(row: dict) -> dict:
    return {
        "source_id": row["id"],
        "title": row["title"],
        "outlet": row.get("outlet"),
        "published_on": row.get("published_on"),
        "url": row.get("url"),
        "path": row.get("path"),
    }


def list_sources(ledger: Ledger) -> list[dict]:
    counts = select(FORECAST.c.source_id, func.count().label("forecasts")).group_by(FORECAST.c.source_id).subquery()
    query = (
        select(SOURCE.c.id, SOURCE.c.title, SOURCE.c.outlet, SOURCE.c.published_on, SOURCE.c.url, SOURCE.c.path,
               func.coalesce(counts.c.forecasts, 0).label("forecasts"))
        .outerjoin(counts, counts.c.source_id == SOURCE.c.id)
        .order_by(SOURCE.c.id)
    )
    with ledger.reading() as connection:
        return [{**source_summary(dict(row)), "forecasts": row.forecasts} for row in connection.execute(query).mappings()]


# ---- forecasters ------------------------------------------------------------------------------


def find_or_add_forecaster(recorder: Recorder, name: str) -> tuple[int, str]:
    clean = " ".join((name or "").split())
    if not clean:
        raise LedgerError("a forecast needs --who: the forecaster's name, or a group such as 'observers'")
    key = forecaster_key(clean)
    row = recorder.connection.execute(select(FORECASTER.c.id, FORECASTER.c.name).where(FORECASTER.c.name_key == key)).first()
    if row:
        return row.id, row.name
    return recorder.insert(FORECASTER, name=clean, name_key=key), clean


# ---- questions and forecasts ------------------------------------------------------------------


def current_outcome(connection: Connection, question_id: int) -> Optional[str]:
    resolution = _current_resolution(connection, question_id)
    return resolution["outcome"] if resolution else None


def _current_resolution(connection: Connection, question_id: int) -> Optional[dict]:
    row = connection.execute(
        select(RESOLUTION).where(RESOLUTION.c.question_id == question_id).order_by(RESOLUTION.c.id.desc()).limit(1)
    ).mappings().first()
    return dict(row) if row else None


def question_row(connection: Connection, question_id: int) -> dict:
    row = connection.execute(select(QUESTION).where(QUESTION.c.id == question_id)).mappings().first()
    if row is None:
        raise LedgerError(f"no question with id {question_id}: see 'ledger list' for the ids")
    return dict(row)


def record_forecast(
    recorder: Recorder, question: dict, *, who, probability, says, stated, source, quote, scale, today,
    scenario_forecast_id: Optional[int] = None, cue: Optional[str] = None,
) -> dict:
    reading = read_probability(probability, says, scale, cue)
    source_row = find_or_register_source(recorder, source)
    default_day = (source_row or {}).get("published_on") or today
    stated_on = read_date(stated, default_day)
    if stated_on > today:
        raise LedgerError(f"stated date {stated_on} is after today ({today}): a forecast is recorded once it is made")
    if stated_on > question["resolve_by"]:
        raise LedgerError(
            f"stated date {stated_on} is after question {question['id']}'s resolve-by date {question['resolve_by']}: "
            "a forecast must be made before its deadline"
        )
    resolution = _current_resolution(recorder.connection, question["id"])
    if resolution and stated_on > resolution["resolved_on"]:
        raise LedgerError(
            f"question {question['id']} was resolved {resolution['outcome']} on {resolution['resolved_on']}; "
            f"a forecast stated on {stated_on}, after that, cannot be scored"
        )
    forecaster_id, forecaster_name = find_or_add_forecaster(recorder, who)
    values = dict(
        question_id=question["id"],
        forecaster_id=forecaster_id,
        source_id=source_row["id"] if source_row else None,
        stated_on=stated_on,
        quote=quote.strip() if quote and quote.strip() else None,
        scenario_forecast_id=scenario_forecast_id,
        **reading,
    )
    forecast_id = recorder.insert(FORECAST, **values)
    return {
        "question_id": question["id"],
        "forecast_id": forecast_id,
        "statement": question["statement"],
        "resolve_by": question["resolve_by"],
        "forecaster": forecaster_name,
        "probability": reading["probability"],
        "cue": reading["cue"],
        "scale": reading["scale"],
        "range_low": reading["range_low"],
        "range_high": reading["range_high"],
        "stated_on": stated_on,
        "source": source_row["title"] if source_row else None,
        "source_id": source_row["id"] if source_row else None,
        "quote": values["quote"],
        "outcome": resolution["outcome"] if resolution else None,
    }


def add_question(
    ledger: Ledger,
    statement: str,
    *,
    by: str | date,
    who: str,
    today: date,
    probability: Optional[str | float] = None,
    says: Optional[str] = None,
    stated: Optional[str | date] = None,
    source: Optional[str] = None,
    quote: Optional[str] = None,
    tags: Sequence[str] = (),
    criteria: Optional[str] = None,
    scale: str = "icd203",
) -> dict:
    """Create a question and its first forecast; the deadline is read against the date it was said."""
    read_probability(probability, says, scale)  # refuse bad numbers or words before anything else
    def work(recorder: Recorder) -> tuple[dict, dict]:
        source_row = find_or_register_source(recorder, source)
        stated_on = read_date(stated, (source_row or {}).get("published_on") or today)
        question = record_question(recorder, statement, by=by, said_on=stated_on, tags=tags, criteria=criteria)
        return question, record_forecast(
            recorder, question, who=who, probability=probability, says=says, stated=stated_on,
            source=str(source_row["id"]) if source_row else None, quote=quote, scale=scale, today=today,
        )

    question, record = ledger.record(work)
    record["deadline"] = by if isinstance(by, str) else None
    record["tags"] = question["tags"]
    record["criteria"] = question["criteria"]
    return record


def record_question(
    recorder: Recorder, statement: str, *, by: str | date, said_on: date, tags: Sequence[str] = (),
    criteria: Optional[str] = None, scenario_id: Optional[int] = None, scenario_position: Optional[int] = None,
) -> dict:
    """Insert a question (and its tags) whose deadline `by` is read against `said_on`."""
    statement = " ".join((statement or "").split())
    if not statement:
        raise LedgerError("the statement is empty: give the claim to be resolved, e.g. 'A third US-North Korea summit is held'")
    resolve_by = by if isinstance(by, date) else dates.resolve_deadline(str(by), said_on)
    if resolve_by < said_on:
        raise LedgerError(f"resolve-by date {resolve_by} is before the stated date {said_on}: a forecast is about the future")
    criteria = criteria.strip() if criteria and criteria.strip() else None
    question_id = recorder.insert(
        QUESTION, statement=statement, criteria=criteria, resolve_by=resolve_by,
        scenario_id=scenario_id, scenario_position=scenario_position,
    )
    tag_names = normalised_tags(tags)
    for tag in tag_names:
        recorder.insert(TAG, question_id=question_id, tag=tag)
    return {"id": question_id, "statement": statement, "resolve_by": resolve_by, "criteria": criteria, "tags": tag_names}


def normalised_tags(tags: Iterable[str]) -> list[str]:
    names = []
    for tag in tags:
        for part in str(tag).split(","):
            name = " ".join(part.split()).lower()
            if name and name not in names:
                names.append(name)
    return names


def add_forecast(
    ledger: Ledger,
    question_id: int,
    *,
    who: str,
    today: date,
    probability: Optional[str | float] = None,
    says: Optional[str] = None,
    stated: Optional[str | date] = None,
    source: Optional[str] = None,
    quote: Optional[str] = None,
    scale: str = "icd203",
) -> dict:
    """Add a dated forecast to a question: another forecaster's view, or an updated one."""
    read_probability(probability, says, scale)
    def work(recorder: Recorder) -> dict:
        question = question_row(recorder.connection, question_id)
        return record_forecast(
            recorder, question, who=who, probability=probability, says=says, stated=stated,
            source=source, quote=quote, scale=scale, today=today,
        )

    return ledger.record(work)


# ---- resolutions ------------------------------------------------------------------------------


def resolve_question(
    ledger: Ledger,
    question_id: int,
    outcome: str,
    *,
    today: date,
    on: Optional[str | date] = None,
    note: Optional[str] = None,
    evidence: Optional[str] = None,
    amend: bool = False,
) -> dict:
    """Record whether the question's event happened; a second resolution must be an amendment with a reason."""
    return ledger.record(
        lambda recorder: record_resolution(
            recorder, question_id, outcome, today=today, on=on, note=note, evidence=evidence, amend=amend
        )
    )


def record_resolution(
    recorder: Recorder,
    question_id: int,
    outcome: str,
    *,
    today: date,
    on: Optional[str | date] = None,
    note: Optional[str] = None,
    evidence: Optional[str] = None,
    amend: bool = False,
    scenario_resolution: bool = False,
) -> dict:
    outcome = read_outcome(outcome)
    resolved_on = read_date(on, today)
    note = note.strip() if note and note.strip() else None
    if resolved_on > today:
        raise LedgerError(f"resolution date {resolved_on} is after today ({today}): resolve a question once its outcome is known")
    if amend and not note:
        raise LedgerError("an amendment needs --note REASON: say why the earlier resolution was wrong")
    connection = recorder.connection
    question = question_row(connection, question_id)
    if question["scenario_id"] is not None and outcome == "yes" and not scenario_resolution:
        raise LedgerError(
            f"question {question_id} is an outcome of a scenario: resolve it with 'ledger scenario resolve NAME OUTCOME', "
            "which also resolves the other outcomes no (an outcome can be ruled out here with 'no')"
        )
    current = _current_resolution(connection, question_id)
    if current and not amend:
        raise LedgerError(
            f"question {question_id} is already resolved {current['outcome']} on {current['resolved_on']}: "
            "to correct it, use --amend --note REASON (the earlier resolution stays in the history)"
        )
    if amend and not current:
        raise LedgerError(f"question {question_id} has no resolution to amend: resolve it without --amend")
    last_stated = connection.execute(
        select(func.max(FORECAST.c.stated_on)).where(FORECAST.c.question_id == question_id)
    ).scalar()
    if last_stated is not None and resolved_on < last_stated:
        raise LedgerError(
            f"resolution date {resolved_on} is before the question's latest forecast ({last_stated}): "
            "a forecast cannot be made after its question was settled"
        )
    values = dict(
        question_id=question_id,
        outcome=outcome,
        resolved_on=resolved_on,
        note=note,
        evidence=evidence.strip() if evidence and evidence.strip() else None,
        amends_id=current["id"] if current else None,
    )
    resolution_id = recorder.insert(RESOLUTION, **values)
    return {
        "question_id": question_id,
        "resolution_id": resolution_id,
        "statement": question["statement"],
        "resolve_by": question["resolve_by"],
        "outcome": outcome,
        "resolved_on": resolved_on,
        "note": values["note"],
        "evidence": values["evidence"],
        "amends": values["amends_id"],
    }


# ---- listing and showing ----------------------------------------------------------------------


def current_resolutions(as_of: Optional[date] = None):
    """A subquery: each question's effective resolution (the latest, dated on or before as_of)."""
    latest = select(RESOLUTION.c.question_id, func.max(RESOLUTION.c.id).label("resolution_id"))
    if as_of is not None:
        latest = latest.where(RESOLUTION.c.resolved_on <= as_of)
    latest = latest.group_by(RESOLUTION.c.question_id).subquery()
    return (
        select(RESOLUTION.c.question_id, RESOLUTION.c.outcome, RESOLUTION.c.resolved_on, RESOLUTION.c.id)
        .join(latest, latest.c.resolution_id == RESOLUTION.c.id)
        .subquery()
    )


def question_status(outcome: Optional[str], resolve_by: date, today: date) -> str:
    if outcome is not None:
        return "resolved"
    return "due" if resolve_by < today else "open"


def question_conditions(resolution, *, status: str, tag: Optional[str], today: date) -> list:
    """WHERE clauses picking questions by status and tag, given a `current_resolutions()` subquery."""
    if status not in STATUSES:
        raise LedgerError(f"unknown status {status!r}: use open, due, resolved or all")
    conditions = []
    if status == "resolved":
        conditions.append(resolution.c.outcome.is_not(None))
    elif status == "due":
        conditions += [resolution.c.outcome.is_(None), QUESTION.c.resolve_by < today]
    elif status == "open":
        conditions += [resolution.c.outcome.is_(None), QUESTION.c.resolve_by >= today]
    if tag is not None:
        tag_name = " ".join(tag.split()).lower()
        conditions.append(QUESTION.c.id.in_(select(TAG.c.question_id).where(TAG.c.tag == tag_name)))
    return conditions


def list_questions(
    ledger: Ledger,
    *,
    today: date,
    status: str = "all",
    who: Optional[str] = None,
    tag: Optional[str] = None,
    source: Optional[int] = None,
) -> list[dict]:
    """Questions with their current outcome and forecasters; `due` = past resolve-by and unresolved."""
    resolution = current_resolutions()
    query = (
        select(QUESTION.c.id, QUESTION.c.statement, QUESTION.c.resolve_by, resolution.c.outcome, resolution.c.resolved_on)
        .outerjoin(resolution, resolution.c.question_id == QUESTION.c.id)
        .where(*question_conditions(resolution, status=status, tag=tag, today=today))
        .order_by(QUESTION.c.id)
    )
    if who is not None:
        query = query.where(
            QUESTION.c.id.in_(
                select(FORECAST.c.question_id).join(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
                .where(FORECASTER.c.name_key == forecaster_key(who))
            )
        )
    if source is not None:
        query = query.where(QUESTION.c.id.in_(select(FORECAST.c.question_id).where(FORECAST.c.source_id == source)))
    with ledger.reading() as connection:
        rows = [dict(row) for row in connection.execute(query).mappings()]
        forecasters = _forecasters_by_question(connection, [row["id"] for row in rows])
    return [
        {
            "question_id": row["id"],
            "statement": row["statement"],
            "resolve_by": row["resolve_by"],
            "status": question_status(row["outcome"], row["resolve_by"], today),
            "outcome": row["outcome"],
            "resolved_on": row["resolved_on"],
            "forecasters": forecasters.get(row["id"], []),
        }
        for row in rows
    ]


def _forecasters_by_question(connection: Connection, question_ids: list[int]) -> dict[int, list[str]]:
    if not question_ids:
        return {}
    query = (
        select(FORECAST.c.question_id, FORECASTER.c.name, func.min(FORECAST.c.id).label("first"))
        .join(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
        .group_by(FORECAST.c.question_id, FORECASTER.c.name)
        .order_by(FORECAST.c.question_id, "first")
    )
    if len(question_ids) < 500:
        query = query.where(FORECAST.c.question_id.in_(question_ids))
    names: dict[int, list[str]] = {}
    for row in connection.execute(query):
        names.setdefault(row.question_id, []).append(row.name)
    return names


def show_question(ledger: Ledger, question_id: int, *, today: date) -> dict:
    """The question, every forecast on it, and its whole resolution history."""
    with ledger.reading() as connection:
        question = question_row(connection, question_id)
        tags = list(connection.execute(select(TAG.c.tag).where(TAG.c.question_id == question_id).order_by(TAG.c.id)).scalars())
        forecasts = [
            {
                "forecast_id": row.id,
                "forecaster": row.name,
                "probability": row.probability,
                "cue": row.cue,
                "scale": row.scale,
                "range_low": row.range_low,
                "range_high": row.range_high,
                "stated_on": row.stated_on,
                "source": row.title,
                "source_id": row.source_id,
                "quote": row.quote,
                "recorded_at": row.recorded_at,
            }
            for row in connection.execute(
                select(FORECAST, FORECASTER.c.name, SOURCE.c.title)
                .join(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
                .outerjoin(SOURCE, SOURCE.c.id == FORECAST.c.source_id)
                .where(FORECAST.c.question_id == question_id)
                .order_by(FORECAST.c.stated_on, FORECAST.c.id)
            )
        ]
        resolutions = [
            {
                "resolution_id": row.id,
                "outcome": row.outcome,
                "resolved_on": row.resolved_on,
                "note": row.note,
                "evidence": row.evidence,
                "amends": row.amends_id,
                "recorded_at": row.recorded_at,
            }
            for row in connection.execute(
                select(RESOLUTION).where(RESOLUTION.c.question_id == question_id).order_by(RESOLUTION.c.id)
            )
        ]
    current = resolutions[-1] if resolutions else None
    return {
        "question_id": question["id"],
        "statement": question["statement"],
        "criteria": question["criteria"],
        "resolve_by": question["resolve_by"],
        "tags": tags,
        "status": question_status(current["outcome"] if current else None, question["resolve_by"], today),
        "outcome": current["outcome"] if current else None,
        "resolved_on": current["resolved_on"] if current else None,
        "scenario_id": question["scenario_id"],
        "recorded_at": question["recorded_at"],
        "forecasts": forecasts,
        "resolutions": resolutions,
    }
