"""The one place records are inserted and chained, one at a time or in bulk, and the one definition
of "already in the ledger".

Every way in (the CLI, imports, the seed file, extract's review) writes through a `Writer` inside
one write transaction: it assigns ids under the write lock, inserts in batches (parents first) and
appends every record to the hash chain in the order it was added.
"""

import hashlib
import os
from datetime import date, datetime, timezone
from typing import Any, Mapping, Optional, Sequence

from sqlalchemy import Boolean, Date, Float, func, insert, select, text
from sqlalchemy.engine import Connection

from ledger import chain, people, rules, web
from ledger.errors import LedgerError
from ledger.model import CONDITION, FORECAST, FORECAST_ROLE, FORECASTER, KIND, QUESTION, RESOLUTION, SCENARIO, SOURCE, SOURCE_FETCH, TAG, WRITE_ORDER
from ledger.rules import Problem

# Rows go to the database in batches of this many records: large enough that executemany
# dominates, small enough that memory stays flat.
BATCH_ROWS = 5000
# SQLite's page cache during a bulk write. It was 256 MB, most of a million-row import's peak memory
# (527 MB); at 32 MB the same import peaks at 276 MB and took 116 s of CPU, against 114 s before.
SQLITE_CACHE_KIB = 32 * 1024
# A bulk write of at least this many rows, and more than the chain holds, builds the chain's index of
# previous hashes once at the end: its keys are random, and inserted one by one into an index far larger
# than the page cache they cost a million-row import about 9 s more than one sort at the end (1.65 million
# chain entries into a bare table: 13.8 s with the index, 4.6 s building it after).
REBUILD_CHAIN_INDEX_FROM = 100_000
CHAIN_INDEX = "ix_chain_entry_previous_hash"


def _stored_as(table) -> tuple[tuple[str, Optional[type]], ...]:
    """(column name, float or bool or None) for each column: the type a value is stored as, so that the
    chained record matches a re-read row (5 given for a Float column is 5.0 when read back)."""
    return tuple(
        (column.name, float if isinstance(column.type, Float) else bool if isinstance(column.type, Boolean) else None)
        for column in table.columns
    )


_STORED_AS = {table.name: _stored_as(table) for table in WRITE_ORDER}


class Writer:
    """Inserts records inside one write transaction and appends them to the hash chain.

    Reading through `connection` first writes what is pending, so a write can look up
    what it wrote a moment before; a bulk import that keeps its own lookups never waits.
    """

    def __init__(self, connection: Connection, *, bulk: bool = False, expected_rows: int = 0):
        self._connection = connection
        self.recorded_at = datetime.now(timezone.utc)
        self.sqlite = connection.dialect.name == "sqlite"
        self.next_id: dict[str, int] = {}
        self.first_id: dict[str, int] = {}
        self.pending: dict[str, list[dict]] = {table.name: [] for table in WRITE_ORDER}
        self.chained: list[tuple[str, dict]] = []
        self.head: Optional[str] = None
        self.sqlite_cache = None
        self.chain_index_sql = None
        if self.sqlite:
            # Rows go to the driver as tuples of what SQLAlchemy would have stored: dates as ISO
            # text, recorded_at in its DateTime format for SQLite (UTC, without the offset).
            self.recorded_text = self.recorded_at.strftime("%Y-%m-%d %H:%M:%S.%f")
            if bulk:
                # A larger page cache keeps the indexes (the chain's hash index above all) in memory while a big file goes in.
                self.sqlite_cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
                connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
                chained = connection.execute(select(func.max(chain.CHAIN.c.id))).scalar() or 0
                if expected_rows >= REBUILD_CHAIN_INDEX_FROM and expected_rows > chained:
                    # Dropped inside this write transaction, which no other writer can enter: built again (and so
                    # checked again: no two entries follow the same one) before it commits, or never dropped at all.
                    self.chain_index_sql = connection.exec_driver_sql(
                        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (CHAIN_INDEX,)).scalar()
                    if self.chain_index_sql:
                        connection.exec_driver_sql(f"DROP INDEX {CHAIN_INDEX}")

    @property
    def connection(self) -> Connection:
        self.flush()
        return self._connection

    @property
    def dialect(self) -> str:
        return self._connection.dialect.name

    def add(self, table, **values: Any) -> int:
        """Queue one record; returns its id."""
        name = table.name
        if name not in self.next_id:
            last = self._connection.execute(select(func.max(table.c.id))).scalar() or 0
            self.next_id[name] = self.first_id[name] = last + 1
        record_id = self.next_id[name]
        self.next_id[name] += 1
        record = {}
        for column, kind in _STORED_AS[name]:
            value = values.get(column)
            record[column] = value if kind is None or value is None else kind(value)
        record["id"] = record_id
        record["recorded_at"] = self.recorded_at
        self.pending[name].append(record)
        self.chained.append((name, record))
        if len(self.chained) >= BATCH_ROWS:
            self.flush()
        return record_id

    def flush(self) -> None:
        if not self.chained:
            return
        for table in WRITE_ORDER:
            rows = self.pending[table.name]
            if rows:
                if self.sqlite:
                    self._insert_sqlite(table, rows)
                else:
                    self._connection.execute(insert(table), rows)
                self.pending[table.name] = []
        if self.head is None:
            self.head = chain.last_hash(self._connection)
        links = chain.links(self.chained, self.head)
        if self.sqlite:
            self._connection.exec_driver_sql(
                "INSERT INTO chain_entry (table_name, record_id, previous_hash, entry_hash, recorded_at) VALUES (?, ?, ?, ?, ?)",
                [link + (self.recorded_text,) for link in links],
            )
        else:
            self._connection.execute(
                insert(chain.CHAIN),
                [{"table_name": table_name, "record_id": record_id, "previous_hash": before, "entry_hash": after,
                  "recorded_at": self.recorded_at} for table_name, record_id, before, after in links],
            )
        self.head = links[-1][3]
        self.chained = []

    def _insert_sqlite(self, table, rows: list[dict]) -> None:
        """Rows as tuples straight to the driver: SQLAlchemy's per-row parameter processing was most of an insert's cost."""
        names = [column.name for column in table.columns]
        dates_at = [at for at, column in enumerate(table.columns) if isinstance(column.type, Date)]
        recorded_at = names.index("recorded_at")
        values = []
        for row in rows:
            cells = [row[name] for name in names]
            for at in dates_at:
                if cells[at] is not None:
                    cells[at] = cells[at].isoformat()
            cells[recorded_at] = self.recorded_text
            values.append(tuple(cells))
        statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        self._connection.exec_driver_sql(statement, values)

    def finish(self) -> None:
        """Write what is pending; called once, at the end of the transaction."""
        self.flush()
        if self.sqlite_cache is not None:
            self._connection.exec_driver_sql(f"PRAGMA cache_size = {int(self.sqlite_cache)}")
        if self.chain_index_sql:
            # After the cache is back to its size: SQLite sorts in memory up to the page cache's size.
            self._connection.exec_driver_sql(self.chain_index_sql)
        if not self.sqlite:
            # Rows inserted with explicit ids leave the id sequences behind; move them on.
            for name, next_id in self.next_id.items():
                if next_id != self.first_id[name]:
                    self._connection.execute(
                        text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"), {"table": name, "last": next_id - 1}
                    )

    def added(self, table) -> int:
        return self.next_id.get(table.name, 0) - self.first_id.get(table.name, 0)


# ---- already in the ledger: one definition for every way in ---------------------------------


def same_question(connection: Connection, statement: str, resolve_by) -> Optional[dict]:
    """A question is already in the ledger when one has the same statement and resolve-by date."""
    row = connection.execute(
        select(QUESTION).where(QUESTION.c.statement == statement, QUESTION.c.resolve_by == resolve_by).order_by(QUESTION.c.id).limit(1)
    ).mappings().first()
    return dict(row) if row else None


def forecast_key(question_id: int, forecaster_id: int, stated_on, probability: float, quote: Optional[str]) -> tuple:
    """A forecast is already in the ledger when one has the same question, forecaster, date, number and quote."""
    return (question_id, forecaster_id, stated_on.isoformat() if hasattr(stated_on, "isoformat") else str(stated_on), float(probability), quote)


def has_forecast(connection: Connection, question_id: int, forecaster_id: Optional[int], stated_on, probability: float, quote: Optional[str]) -> bool:
    if forecaster_id is None:
        return False
    query = select(FORECAST.c.id).where(
        FORECAST.c.question_id == question_id, FORECAST.c.forecaster_id == forecaster_id,
        FORECAST.c.stated_on == stated_on, FORECAST.c.probability == float(probability),
        FORECAST.c.quote.is_(None) if quote is None else FORECAST.c.quote == quote,
    )
    return connection.execute(query.limit(1)).first() is not None


def resolution_history(connection: Connection, question_id: int) -> list[tuple[str, Any]]:
    """(outcome, resolved_on) of a question's resolutions, oldest first; the last is in force."""
    query = select(RESOLUTION.c.outcome, RESOLUTION.c.resolved_on).where(RESOLUTION.c.question_id == question_id).order_by(RESOLUTION.c.id)
    return [tuple(row) for row in connection.execute(query)]


def missing_resolutions(held: list[tuple], stated: list[Mapping]) -> Optional[list[Mapping]]:
    """The resolutions of `stated` (a question's history as a file gives it, oldest first) the ledger lacks.

    The history is already in the ledger when the resolution in force there is the file's last, or
    an earlier one of the file's (then the later ones are amendments to add). None: the two disagree.
    """
    if not stated:
        return []
    if not held:
        return list(stated)
    in_force = held[-1]
    for position in range(len(stated) - 1, -1, -1):
        if (stated[position]["outcome"], stated[position]["resolved_on"]) == in_force:
            return list(stated[position + 1:])
    return None


def scenario_id(connection: Connection, name: str) -> Optional[int]:
    return connection.execute(select(SCENARIO.c.id).where(func.lower(SCENARIO.c.name) == name.lower())).scalar()


# ---- writing one record: the checks of rules.py against the ledger, then Writer.add -----------


def file_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise LedgerError(f"no such file {path!r}: give the article's text file") from None
    except (UnicodeDecodeError, IsADirectoryError) as error:
        raise LedgerError(f"cannot read {path!r} as UTF-8 text ({error.__class__.__name__}): give a plain text file") from None


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _first_title_line(text: str) -> str:
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 4:
            return " ".join(words)[:200]
    return "untitled"


def source_row(connection: Connection, source_id: int) -> Optional[dict]:
    row = connection.execute(select(SOURCE).where(SOURCE.c.id == source_id)).mappings().first()
    return dict(row) if row else None


def register_file(writer: Writer, path: str, *, title=None, outlet=None, published_on=None, url=None) -> dict:
    """An article file as a source; the same text twice is one source."""
    return _register_text(writer, file_text(path), path=path, title=title, outlet=outlet, published_on=published_on, url=url)


def _register_text(writer: Writer, text: str, *, path, title, outlet, published_on, url) -> dict:
    digest = text_digest(text)
    existing = writer.connection.execute(select(SOURCE).where(SOURCE.c.sha256 == digest)).mappings().first()
    if existing:
        return dict(existing)
    values = dict(title=rules.one_line(title) or _first_title_line(text), outlet=rules.text(outlet), url=rules.text(url),
                  published_on=published_on, path=path, sha256=digest, text=text)
    return {"id": writer.add(SOURCE, **values), **values}


def page_source(connection: Connection, url: Optional[str], text: Optional[str] = None) -> Optional[dict]:
    """A web page is already in the ledger when a source with text has its address, or has the same text."""
    found = None
    if url:
        found = connection.execute(
            select(SOURCE).where(SOURCE.c.url == url, SOURCE.c.text.is_not(None)).order_by(SOURCE.c.id).limit(1)
        ).mappings().first()
    if found is None and text is not None:
        found = connection.execute(select(SOURCE).where(SOURCE.c.sha256 == text_digest(text))).mappings().first()
    return dict(found) if found else None


def register_page(writer: Writer, page, article, *, title=None, outlet=None, published_on=None, url=None) -> dict:
    """A web page's article (ledger.web) as a source, with where and when it was fetched; the same page twice is one source."""
    existing = page_source(writer.connection, url or article.url, article.text)
    if existing:
        return existing
    source = _register_text(writer, article.text, path=page.path, title=title or article.title, outlet=outlet or article.outlet,
                            published_on=published_on, url=url or article.url)
    if page.fetched_at is not None:
        writer.add(SOURCE_FETCH, source_id=source["id"], url=page.final_url or page.url,
                   fetched_at=page.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        source["fetched_at"] = page.fetched_at
    return source


def find_or_register_source(writer: Writer, reference: Optional[str]) -> Optional[dict]:
    """The source a --source value names: an id, an article file, a URL, or a title such as a speech."""
    if reference is None or not str(reference).strip():
        return None
    reference = rules.one_line(reference)
    connection = writer.connection
    if reference.isdigit():
        row = source_row(connection, int(reference)) if len(reference) < 19 else None
        if row is None:
            raise Problem("source", f"no source with id {reference}: see 'ledger source list', or give a file, URL or title")
        return row
    if os.path.isfile(reference):
        if web.is_page(reference):  # its text is the page's article, not its HTML: read by 'source add'
            raise Problem("source", f"{reference} is a web page: register it with 'ledger source add {reference}', then give --source ID")
        return register_file(writer, reference)
    column = SOURCE.c.url if "://" in reference else SOURCE.c.title
    row = connection.execute(select(SOURCE).where(func.lower(column) == reference.lower()).order_by(SOURCE.c.id)).mappings().first()
    if row:
        return dict(row)
    values = {"url": reference, "title": reference} if "://" in reference else {"title": reference}
    return {"id": writer.add(SOURCE, **values), **values}


def find_or_add_forecaster(writer: Writer, name: str) -> tuple[int, str]:
    clean = rules.forecaster(name)
    key = rules.forecaster_key(clean)
    found = people.find_key(writer.connection, key)
    if found is not None:
        return found, writer.connection.execute(select(FORECASTER.c.name).where(FORECASTER.c.id == found)).scalar()
    forecaster = writer.add(FORECASTER, name=clean, name_key=key)
    kind = people.guessed_kind(clean)
    if kind:
        writer.add(KIND, forecaster_id=forecaster, kind=kind)
    return forecaster, clean


def question_row(connection: Connection, question_id: int) -> dict:
    row = None
    if 0 < question_id < 2**63:
        row = connection.execute(select(QUESTION).where(QUESTION.c.id == question_id)).mappings().first()
    if row is None:
        raise Problem("question_id", f"no question with id {question_id}: see 'ledger list' for the ids")
    return dict(row)


def current_resolution(connection: Connection, question_id: int) -> Optional[dict]:
    row = connection.execute(
        select(RESOLUTION).where(RESOLUTION.c.question_id == question_id).order_by(RESOLUTION.c.id.desc()).limit(1)
    ).mappings().first()
    return dict(row) if row else None


def record_question(
    writer: Writer, statement: str, *, by, said_on: date, tags: Sequence[str] = (), criteria: Optional[str] = None,
    scenario_id: Optional[int] = None, scenario_position: Optional[int] = None, condition=None,
) -> dict:
    """Insert a question (and its tags, and its condition) whose deadline `by` is read against `said_on`.

    `condition` (QUESTION_ID, "yes" or "no"): the question counts only if that one resolves so.
    """
    statement = rules.statement(statement)
    resolve_by = rules.resolve_by(by, said_on)
    criteria = rules.text(criteria)
    condition = rules.condition(condition)
    if condition is not None:
        condition_question = question_row(writer.connection, condition[0])
        if current_resolution(writer.connection, condition[0]) is not None:
            raise Problem("condition", f"question {condition[0]} is resolved already: a condition must still be open")
    question_id = writer.add(QUESTION, statement=statement, criteria=criteria, resolve_by=resolve_by,
                             scenario_id=scenario_id, scenario_position=scenario_position)
    tag_names = rules.tags(tags)
    for tag in tag_names:
        writer.add(TAG, question_id=question_id, tag=tag)
    shown_condition = None
    if condition is not None:
        writer.add(CONDITION, question_id=question_id, condition_id=condition[0], condition_outcome=condition[1])
        shown_condition = {"question_id": condition[0], "outcome": condition[1], "statement": condition_question["statement"]}
    return {"id": question_id, "statement": statement, "resolve_by": resolve_by, "criteria": criteria, "tags": tag_names,
            "condition": shown_condition}


def condition_of(connection: Connection, question_id: int) -> Optional[dict]:
    """The condition a question counts under, with the condition's statement; None for an unconditional question."""
    row = connection.execute(
        select(CONDITION.c.condition_id, CONDITION.c.condition_outcome, QUESTION.c.statement)
        .join(QUESTION, QUESTION.c.id == CONDITION.c.condition_id).where(CONDITION.c.question_id == question_id)
    ).first()
    return {"question_id": row.condition_id, "outcome": row.condition_outcome, "statement": row.statement} if row else None


def annul_failed_conditions(writer: Writer, question_id: int, outcome: str, resolved_on: date, today: date) -> list[int]:
    """Annul the open questions that counted only if this one resolved otherwise; returns their ids."""
    dependents = writer.connection.execute(
        select(CONDITION.c.question_id, CONDITION.c.condition_outcome).where(CONDITION.c.condition_id == question_id)
    ).all()
    annulled = []
    for dependent, wanted in dependents:
        if outcome == wanted or current_resolution(writer.connection, dependent) is not None:
            continue
        record_resolution(
            writer, dependent, "annulled", today=today, on=resolved_on,
            note=f"Annulled: it counted only if question {question_id} resolved {wanted}, and it resolved {outcome} on {resolved_on}",
        )
        annulled.append(dependent)
    return annulled


def record_forecast(
    writer: Writer, question: dict, *, who, probability=None, says=None, stated=None, source=None, quote=None,
    scale: str = "icd203", today: date, scenario_forecast_id: Optional[int] = None, cue: Optional[str] = None,
    ruled_out: bool = False, role: Optional[str] = None,
) -> dict:
    """Insert one forecaster's dated forecast on a question (and their role then, if given).

    `ruled_out`: the zero a scenario vector gives an outcome already resolved no, which agrees with
    the resolution and so may be stated after it.
    """
    reading = rules.read_probability(probability, says, scale, cue)
    role = rules.role(role)
    source = find_or_register_source(writer, source)
    stated_on = rules.stated_on(
        rules.read_date(stated, (source or {}).get("published_on") or today, "stated_on"), today=today, deadline=question["resolve_by"]
    )
    resolution = current_resolution(writer.connection, question["id"])
    if resolution and stated_on >= resolution["resolved_on"] and not (ruled_out and resolution["outcome"] == "no" and reading["probability"] == 0):
        raise Problem(
            "stated_on",
            f"question {question['id']} was resolved {resolution['outcome']} on {resolution['resolved_on']}; "
            f"a forecast stated on {stated_on}, on or after that, cannot be scored",
        )
    forecaster_id, forecaster_name = find_or_add_forecaster(writer, who)
    values = dict(question_id=question["id"], forecaster_id=forecaster_id, source_id=source["id"] if source else None,
                  stated_on=stated_on, quote=rules.text(quote), scenario_forecast_id=scenario_forecast_id, **reading)
    forecast_id = writer.add(FORECAST, **values)
    if role is not None:
        writer.add(FORECAST_ROLE, forecast_id=forecast_id, role=role)
    return {
        "question_id": question["id"], "forecast_id": forecast_id, "statement": question["statement"],
        "resolve_by": question["resolve_by"], "forecaster": forecaster_name, **reading, "stated_on": stated_on,
        "source": source["title"] if source else None, "source_id": source["id"] if source else None,
        "quote": values["quote"], "role": role, "outcome": resolution["outcome"] if resolution else None,
    }


def record_resolution(
    writer: Writer, question_id: int, outcome: str, *, today: date, on=None, note: Optional[str] = None,
    evidence: Optional[str] = None, amend: bool = False, scenario_resolution: bool = False,
) -> dict:
    """Insert whether the question's event happened; a second resolution must be an amendment with a reason.

    The event date is --on; without it, an amendment keeps the date of the resolution it amends
    (it changes the outcome, not when forecasting ended), and a first resolution takes
    `rules.event_date`'s default. A resolution may be dated before forecasts already recorded:
    the world's order wins, and those forecasts are not scored.
    """
    outcome = rules.read_outcome(outcome)
    on = rules.read_date(on, None, "resolved_on")
    note = rules.text(note)
    if amend and not note:
        raise Problem("note", "an amendment needs --note REASON: say why the earlier resolution was wrong")
    connection = writer.connection
    question = question_row(connection, question_id)
    if question["scenario_id"] is not None and outcome == "yes" and not scenario_resolution:
        raise Problem(
            "outcome",
            f"question {question_id} is an outcome of a scenario: resolve it with 'ledger scenario resolve NAME OUTCOME', "
            "which also resolves the other outcomes no (an outcome can be ruled out here with 'no')",
        )
    current = current_resolution(connection, question_id)
    if current and not amend:
        raise Problem(
            "outcome",
            f"question {question_id} is already resolved {current['outcome']} on {current['resolved_on']}: "
            "to correct it, use --amend --note REASON (the earlier resolution stays in the history)",
        )
    if amend and not current:
        raise Problem("outcome", f"question {question_id} has no resolution to amend: resolve it without --amend")
    if on is None and current:
        resolved_on = current["resolved_on"]
    else:
        resolved_on = rules.event_date(outcome, on, deadline=question["resolve_by"], today=today)
    values = dict(question_id=question_id, outcome=outcome, resolved_on=resolved_on, note=note,
                  evidence=rules.text(evidence), amends_id=current["id"] if current else None)
    resolution_id = writer.add(RESOLUTION, **values)
    annulled = annul_failed_conditions(writer, question_id, outcome, resolved_on, today)
    return {
        "question_id": question_id, "resolution_id": resolution_id, "statement": question["statement"],
        "resolve_by": question["resolve_by"], "outcome": outcome, "resolved_on": resolved_on, "note": note,
        "evidence": values["evidence"], "amends": values["amends_id"], "annulled": annulled,
    }
