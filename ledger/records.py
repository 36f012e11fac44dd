"""Recording sources, questions, forecasts and resolutions, and reading them back.

Everything the CLI's record-keeping commands do is here, callable from Python:
each function takes an open `Ledger` and plain values, checks them all before it
writes, and returns plain dicts (the records as the JSON output shows them).
"""

from datetime import date
from itertools import chain
from typing import Any, Iterable, Iterator, Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ledger import consensus, rules, web, write
from ledger.errors import LedgerError
from ledger.model import FORECAST, FORECAST_ROLE, FORECASTER, QUESTION, RESOLUTION, SOURCE, TAG
from ledger.output import Document, Section
from ledger.store import Ledger, plain_rows
from ledger.write import Writer

STATUSES = ("open", "due", "resolved", "all")


# ---- writing ------------------------------------------------------------------------------------


def add_source(
    ledger: Ledger, path: str, *, title: Optional[str], outlet: Optional[str], published: Optional[str | date], url: Optional[str],
    today: Optional[date] = None,
) -> dict:
    """Register an article file, a web page's address or a saved .html page as a source; the same text twice is refused.

    A page's title, outlet, address and publication date are read from it; the options override them.
    """
    published_on = rules.read_date(published, None, "published")
    if web.is_page(path):
        return _add_page_source(ledger, path, title=title, outlet=outlet, published_on=published_on, url=url, today=today or date.today())
    if not title or not title.strip():
        raise LedgerError("a source needs a --title")
    digest = write.text_digest(write.file_text(path))

    def work(writer: Writer) -> dict:
        existing = writer.connection.execute(select(SOURCE.c.id).where(SOURCE.c.sha256 == digest)).scalar()
        if existing:
            raise LedgerError(f"{path} is already in the ledger as source {existing}: refer to it with --source {existing}")
        return write.register_file(writer, path, title=title, outlet=outlet, published_on=published_on, url=url)

    return source_summary(ledger.record(work))


def _add_page_source(ledger: Ledger, reference: str, *, title, outlet, published_on, url, today: date) -> dict:
    address = web.page_url(reference)
    if address:
        with ledger.reading(missing_ok=True) as connection:  # known already: no second fetch
            known = write.page_source(connection, address)
        if known:
            raise LedgerError(f"{address} is already in the ledger as source {known['id']}: refer to it with --source {known['id']}")
    page = web.load(reference)
    article = web.read_article(page, today=today)
    published_on = published_on or article.published_on
    if published_on is None:
        raise LedgerError(f"{reference} gives no publication date in its markup (meta tags, JSON-LD, <time>): give --published DATE")

    def work(writer: Writer) -> dict:
        known = write.page_source(writer.connection, url or article.url, article.text)
        if known:
            raise LedgerError(f"{reference} is already in the ledger as source {known['id']}: refer to it with --source {known['id']}")
        return write.register_page(writer, page, article, title=title, outlet=outlet, published_on=published_on, url=url)

    source = ledger.record(work)
    return {**source_summary(source), "author": article.author, "fetched_at": source.get("fetched_at")}


def add_question(
    ledger: Ledger, statement: str, *, by: str | date, who: str, today: date, probability=None, says: Optional[str] = None,
    stated: Optional[str | date] = None, source: Optional[str] = None, quote: Optional[str] = None,
    tags: Sequence[str] = (), criteria: Optional[str] = None, scale: str = "icd203", condition=None, new: bool = False,
    role: Optional[str] = None,
) -> dict:
    """Create a question and its first forecast; the deadline is read against the date it was said.

    `condition` ("15=yes", or (15, "yes")): the question counts only if question 15 resolves yes.
    `role`: the forecaster's affiliation or role when they said it, as the source gives it.
    The same statement with the same resolve-by date is refused (it names the question to forecast
    on instead) unless `new`, which records a second question anyway.
    """
    rules.read_probability(probability, says, scale)  # refuse bad numbers or words before anything else
    rules.condition(condition)
    rules.role(role)

    def work(writer: Writer) -> tuple[dict, dict]:
        source_row = write.find_or_register_source(writer, source)
        stated_on = rules.read_date(stated, (source_row or {}).get("published_on") or today, "stated_on")
        if not new:
            _refuse_same_question(writer.connection, statement, by, stated_on)
        question = write.record_question(writer, statement, by=by, said_on=stated_on, tags=tags, criteria=criteria, condition=condition)
        return question, write.record_forecast(
            writer, question, who=who, probability=probability, says=says, stated=stated_on,
            source=str(source_row["id"]) if source_row else None, quote=quote, scale=scale, today=today, role=role,
        )

    question, record = ledger.record(work)
    return {**record, "deadline": by if isinstance(by, str) else None, "tags": question["tags"], "criteria": question["criteria"],
            "condition": question["condition"]}


def _refuse_same_question(connection: Connection, statement: str, by, said_on: date) -> None:
    deadline = rules.resolve_by(by, said_on)
    existing = write.same_question(connection, rules.statement(statement), deadline)
    if existing:
        raise LedgerError(
            f"question #{existing['id']} already says this, with the same resolve-by date {deadline}: add this forecast "
            f"to it with 'ledger forecast {existing['id']} --who ...', or give --new to record a second question anyway"
        )


def add_forecast(
    ledger: Ledger, question_id: int, *, who: str, today: date, probability=None, says: Optional[str] = None,
    stated: Optional[str | date] = None, source: Optional[str] = None, quote: Optional[str] = None, scale: str = "icd203",
    role: Optional[str] = None,
) -> dict:
    """Add a dated forecast to a question: another forecaster's view, or an updated one (`role`: theirs when they said it)."""
    rules.read_probability(probability, says, scale)
    rules.role(role)
    return ledger.record(
        lambda writer: write.record_forecast(
            writer, write.question_row(writer.connection, question_id), who=who, probability=probability, says=says,
            stated=stated, source=source, quote=quote, scale=scale, today=today, role=role,
        )
    )


def resolve_question(
    ledger: Ledger, question_id: int, outcome: str, *, today: date, on: Optional[str | date] = None,
    note: Optional[str] = None, evidence: Optional[str] = None, amend: bool = False,
) -> dict:
    """Record whether the question's event happened; a second resolution must be an amendment with a reason."""
    return ledger.record(
        lambda writer: write.record_resolution(
            writer, question_id, outcome, today=today, on=on, note=note, evidence=evidence, amend=amend
        )
    )


def source_summary(row: dict) -> dict:
    return {
        "source_id": row["id"], "title": row["title"], "outlet": row.get("outlet"),
        "published_on": row.get("published_on"), "url": row.get("url"), "path": row.get("path"),
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


def join_current_resolution(query, resolution, dialect: str):
    """`query` (its rows from QUESTION) outer-joined to each question's current resolution, as the alias `resolution`.

    SQLite looks each question's latest id up in its index as the rows go by: nothing is materialised, and a
    limited list reads only the questions it shows. PostgreSQL joins one GROUP BY of the latest ids instead:
    its plan for the lookup per row took seconds at 100,000 rows.
    """
    if dialect == "sqlite":
        latest = select(func.max(RESOLUTION.c.id)).where(RESOLUTION.c.question_id == QUESTION.c.id).correlate(QUESTION).scalar_subquery()
        return query.outerjoin(resolution, resolution.c.id == latest)
    current = current_resolutions()
    return query.outerjoin(current, current.c.question_id == QUESTION.c.id).outerjoin(resolution, resolution.c.id == current.c.id)


def question_status(outcome: Optional[str], resolve_by: date, today: date) -> str:
    if outcome is not None:
        return "resolved"
    return "due" if resolve_by < today else "open"


def question_conditions(resolution, *, status: str, tag: Optional[str], today: date) -> list:
    """WHERE clauses picking questions by status and tag, given their current resolution (a `current_resolutions()`
    subquery, or a resolution table joined on each question's latest id)."""
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
        tag_name = rules.one_line(tag).lower()
        conditions.append(QUESTION.c.id.in_(select(TAG.c.question_id).where(TAG.c.tag == tag_name)))
    return conditions


SORTS = {"id": (QUESTION.c.id,), "resolve_by": (QUESTION.c.resolve_by, QUESTION.c.id),
         "newest": (QUESTION.c.id.desc(),), "statement": (QUESTION.c.statement, QUESTION.c.id)}


def _question_query(
    connection: Connection, *, today: date, status: str, who: Optional[str], tag: Optional[str],
    source: Optional[int], search: Optional[str], counting: bool = False,
):
    """The questions `list` picks, as a query over QUESTION joined to their current resolution.

    Each question's current resolution comes from join_current_resolution; a count of every question needs none.
    """
    resolution = RESOLUTION.alias("current")
    if counting and status == "all":
        query = select(QUESTION.c.id).where(*question_conditions(resolution, status=status, tag=tag, today=today))
    else:
        query = select(QUESTION.c.id, QUESTION.c.statement, QUESTION.c.resolve_by, resolution.c.outcome, resolution.c.resolved_on)
        query = join_current_resolution(query.select_from(QUESTION), resolution, connection.dialect.name)
        query = query.where(*question_conditions(resolution, status=status, tag=tag, today=today))
    if who is not None:
        query = query.where(
            QUESTION.c.id.in_(select(FORECAST.c.question_id).where(FORECAST.c.forecaster_id.in_(matching_forecasters(connection, who))))
        )
    if source is not None:
        query = query.where(QUESTION.c.id.in_(select(FORECAST.c.question_id).where(FORECAST.c.source_id == source)))
    if search is not None and search.strip():
        words = rules.one_line(search, "search")
        query = query.where(QUESTION.c.statement.icontains(words, autoescape=True) | QUESTION.c.criteria.icontains(words, autoescape=True))
    return query


def matching_forecasters(connection: Connection, who: str) -> list[int]:
    """The forecasters `who` names: the one with that name, else everyone whose name has words starting so ('Hong' -> Hong Min)."""
    key = rules.forecaster_key(who)
    exact = connection.execute(select(FORECASTER.c.id).where(FORECASTER.c.name_key == key)).scalars().all()
    if exact:
        return list(exact)
    wanted = key.split()
    found = [
        row.id for row in connection.execute(select(FORECASTER.c.id, FORECASTER.c.name_key))
        if wanted and all(any(word.startswith(part) for word in row.name_key.replace("-", " ").split()) for part in wanted)
    ]
    if not found:
        raise LedgerError(f"nobody named {who!r} has forecast in the ledger: see 'ledger forecasters' for the names")
    return found


def list_questions(
    ledger: Ledger,
    *,
    today: date,
    status: str = "all",
    who: Optional[str] = None,
    tag: Optional[str] = None,
    source: Optional[int] = None,
    search: Optional[str] = None,
    sort: str = "id",
    limit: Optional[int] = None,
) -> Iterator[dict]:
    """Questions with their current outcome and forecasters; `due` = past resolve-by and unresolved.

    `search` finds words in the statement or criteria (any case); `sort` is one of SORTS; `limit` keeps the first ones.
    Streamed, LIST_CHUNK questions at a time with their forecasters, so that listing every question of a big
    ledger holds one chunk in memory; the options are checked before the first question is read.
    """
    if sort not in SORTS:
        raise LedgerError(f"unknown sort {sort!r}: use {', '.join(SORTS)}")
    if limit is not None and limit < 0:
        raise LedgerError(f"--limit {limit} is negative: give how many questions to list, or 0 for all")
    listed = _listed(ledger, today=today, status=status, who=who, tag=tag, source=source, search=search, sort=sort, limit=limit)
    first = next(listed, None)  # runs the query: a --who nobody answers to is refused here, before any output
    return iter(()) if first is None else chain((first,), listed)


LIST_CHUNK = 400  # questions looked up at once: under _forecasters_by_question's IN-list limit


def _listed(ledger: Ledger, *, today: date, sort: str, limit: Optional[int], **chosen: Any) -> Iterator[dict]:
    with ledger.reading() as connection:
        query = _question_query(connection, today=today, **chosen).order_by(*SORTS[sort])
        if limit:
            query = query.limit(limit)
        names = dict(connection.execute(select(FORECASTER.c.id, FORECASTER.c.name)).all())
        rows = connection.execute(query, execution_options={"yield_per": LIST_CHUNK})
        while chunk := rows.fetchmany(LIST_CHUNK):
            forecasters = _forecasters_by_question(connection, [row.id for row in chunk], names)
            for row in chunk:
                yield {
                    "question_id": row.id,
                    "statement": row.statement,
                    "resolve_by": row.resolve_by,
                    "status": question_status(row.outcome, row.resolve_by, today),
                    "outcome": row.outcome,
                    "resolved_on": row.resolved_on,
                    "forecasters": forecasters.get(row.id, []),
                }


def count_questions(
    ledger: Ledger, *, today: date, status: str = "all", who: Optional[str] = None, tag: Optional[str] = None,
    source: Optional[int] = None, search: Optional[str] = None,
) -> int:
    """How many questions `list_questions` would give without a limit."""
    with ledger.reading() as connection:
        query = _question_query(connection, today=today, status=status, who=who, tag=tag, source=source, search=search, counting=True)
        return connection.execute(select(func.count()).select_from(query.subquery())).scalar()


def forecaster_counts(ledger: Ledger) -> list[dict]:
    """Every forecaster with how many forecasts and questions they have, most forecasts first."""
    query = (
        select(FORECASTER.c.name, func.count(FORECAST.c.id).label("forecasts"),
               func.count(func.distinct(FORECAST.c.question_id)).label("questions"),
               func.min(FORECAST.c.stated_on).label("first"), func.max(FORECAST.c.stated_on).label("last"))
        .outerjoin(FORECAST, FORECAST.c.forecaster_id == FORECASTER.c.id)
        .group_by(FORECASTER.c.id, FORECASTER.c.name)
        .order_by(func.count(FORECAST.c.id).desc(), FORECASTER.c.name)
    )
    with ledger.reading() as connection:
        return [{"forecaster": row.name, "forecasts": row.forecasts, "questions": row.questions,
                 "first_stated": row.first, "last_stated": row.last} for row in connection.execute(query)]


def tag_counts(ledger: Ledger) -> list[dict]:
    """Every tag with how many questions carry it, most used first."""
    query = select(TAG.c.tag, func.count().label("questions")).group_by(TAG.c.tag).order_by(func.count().desc(), TAG.c.tag)
    with ledger.reading() as connection:
        return [{"tag": row.tag, "questions": row.questions} for row in connection.execute(query)]


def _forecasters_by_question(connection: Connection, question_ids: list[int], names: dict[int, str]) -> dict[int, list[str]]:
    """question id -> the names of its forecasters (`names`: forecaster id -> name), in the order they first forecast it.

    One pass over those questions' forecasts in the index's order (question, id), deduplicated as they go by:
    no GROUP BY to sort, and ids rather than names until the end.
    """
    if not question_ids:
        return {}
    query = (
        select(FORECAST.c.question_id, FORECAST.c.forecaster_id).where(FORECAST.c.question_id.in_(question_ids))
        .order_by(FORECAST.c.question_id, FORECAST.c.id)
    )
    found: dict[int, list[int]] = {}
    current, speakers = None, []
    for question_id, forecaster_id in plain_rows(connection, query):
        if question_id != current:
            current, speakers = question_id, found.setdefault(question_id, [])
        if forecaster_id not in speakers:
            speakers.append(forecaster_id)
    return {question_id: [names[forecaster] for forecaster in speakers] for question_id, speakers in found.items()}


def show_question(ledger: Ledger, question_id: int, *, today: date) -> dict:
    """The question, every forecast on it, and its whole resolution history."""
    with ledger.reading() as connection:
        question = write.question_row(connection, question_id)
        condition = write.condition_of(connection, question_id)
        tags = list(connection.execute(select(TAG.c.tag).where(TAG.c.question_id == question_id).order_by(TAG.c.id)).scalars())
        forecasts = [
            {
                "forecast_id": row.id,
                "forecaster": row.name,
                "role": row.role,
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
                select(FORECAST, FORECASTER.c.name, SOURCE.c.title, FORECAST_ROLE.c.role)
                .join(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
                .outerjoin(SOURCE, SOURCE.c.id == FORECAST.c.source_id)
                .outerjoin(FORECAST_ROLE, FORECAST_ROLE.c.forecast_id == FORECAST.c.id)
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
        "condition": condition,
        "recorded_at": question["recorded_at"],
        "forecasts": forecasts,
        "resolutions": resolutions,
        "consensus": consensus.moves(forecasts),
    }


LIST_COLUMNS = ["question_id", "resolve_by", "status", "outcome", "forecasters", "statement"]


def list_document(rows: Iterable[dict], total: Optional[int] = None) -> Document:
    """`list`: the questions (a list, or a stream when every question is listed), and a note saying how many more
    there are when a limit (`total` questions in all) left some out."""
    notes = []
    if total is not None and total > len(rows):
        notes.append(f"{total - len(rows):,} more questions not listed: --limit 0 lists all {total:,}; --search, --who, --tag or --status narrow the list")
    return Document(sections=[Section("questions", "", rows, LIST_COLUMNS, empty="(no questions)")], notes=notes, data=rows)


FORECAST_COLUMNS = ["forecast_id", "stated_on", "forecaster", "role", "probability", "cue", "source", "quote"]
RESOLUTION_COLUMNS = ["resolution_id", "resolved_on", "outcome", "note", "evidence", "amends"]


def question_document(shown: dict) -> Document:
    """`show`: the question as a record, its forecasts (the CSV table) and its resolution history."""
    record = {key: value for key, value in shown.items() if key not in ("forecasts", "resolutions", "consensus")}
    if shown["condition"]:
        condition = shown["condition"]
        record["condition"] = f"counts only if question {condition['question_id']} resolves {condition['outcome']}: {condition['statement']}"
    return Document(
        record=record,
        sections=[
            Section("forecasts", "Forecasts", shown["forecasts"], FORECAST_COLUMNS),
            Section("resolutions", "Resolutions", shown["resolutions"], RESOLUTION_COLUMNS, empty="(unresolved)"),
            Section("consensus", "Consensus of the standing forecasts (geometric mean of odds; median)", shown["consensus"], empty="(no forecasts)"),
        ],
        main="forecasts",
        data=shown,
    )
