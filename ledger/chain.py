"""The hash chain over every write: a record's canonical encoding, and appending entries.

Each record written to the ledger (source, forecaster, question, tag, forecast,
resolution, scenario) gets one chain entry, in the order of writing:

    entry_hash = SHA-256( previous_hash  + "\\n" + canonical )

where `previous_hash` is the hex digest of the entry before (64 zeros for the
first) and `canonical` is the UTF-8 JSON of

    {"record": {<every column of the row>}, "table": "<table name>"}

with keys sorted, no spaces (separators "," and ":"), non-ASCII kept as is,
dates as "YYYY-MM-DD", times as ISO 8601 with their UTC offset, numbers as
Python's shortest round-trip repr, and null for missing values. Anyone can
recompute it from the rows in a few lines; docs/integrity.md shows how.

A chain entry also keeps a copy of its record's `recorded_at`, which `ledger log`
shows and filters on; the hash covers the record's own, so `verify` checks that the
copy is the same moment.

`verify` recomputes every entry from the rows as they stand; write.Writer appends the
entries; history.py lists them and backup.py copies an SQLite ledger.
"""

import hashlib
import json
import math
import os
from datetime import date, datetime
from json.encoder import encode_basestring
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, TypeDecorator, func, select
from sqlalchemy.engine import Connection

from ledger.errors import CheckFailed
from ledger.heads import read_published_head
from ledger.model import CHAIN, RECORD_TABLES

if TYPE_CHECKING:
    from ledger.store import Ledger

GENESIS_HASH = "0" * 64


def _encode_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__} in the hash chain")


# One encoder, built once: verify encodes every record in the ledger.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_encode_value)


def canonical(table_name: str, record: Mapping[str, Any]) -> bytes:
    return _ENCODER.encode({"record": dict(record), "table": table_name}).encode("utf-8")


def entry_hash(previous_hash: str, table_name: str, record: Mapping[str, Any]) -> str:
    return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + canonical(table_name, record)).hexdigest()


def last_hash(connection: Connection) -> str:
    """The newest entry's hash; call inside a write transaction, which holds the write lock."""
    newest = connection.execute(select(CHAIN.c.entry_hash).order_by(CHAIN.c.id.desc()).limit(1)).scalar()
    return newest or GENESIS_HASH


def links(records: Iterable[tuple[str, Mapping[str, Any]]], previous_hash: str) -> list[tuple[str, int, str, str]]:
    """(table name, record id, previous hash, entry hash) for each record, chained in order from previous_hash."""
    chained = []
    previous = previous_hash
    for table_name, record in records:
        current = entry_hash(previous, table_name, record)
        chained.append((table_name, record["id"], previous, current))
        previous = current
    return chained


# ---- verification -------------------------------------------------------------------------------

# Rows are fetched this many at a time, so a million-row ledger never sits in memory.
STREAM_BATCH = 10_000


def record_label(table_name: str) -> str:
    """How messages name a table's records: 'forecast', 'scenario forecast', 'tag'."""
    return "tag" if table_name == "question_tag" else table_name.replace("_", " ")


class _TableRows:
    """One table's rows in id order, read alongside the chain: within a table, chain order is id order."""

    def __init__(self, connection: Connection, table, after_id: int = 0):
        self.table = table
        self.table_name = table.name
        self.columns = [column.name for column in table.columns]  # `id` first in every table: row[0]
        self.recorded_at = self.columns.index("recorded_at")
        query = select(table).where(table.c.id > after_id).order_by(table.c.id)
        self.rows = iter(connection.execute(query, execution_options={"yield_per": STREAM_BATCH}))
        self.next_row = next(self.rows, None)

    def take(self):
        row, self.next_row = self.next_row, next(self.rows, None)
        return row


def _unchained(table_name: str, record_id: int) -> CheckFailed:
    return CheckFailed(f"{record_label(table_name)} {record_id} is not in the chain (inserted behind the ledger's back)")


def _missing(table_name: str, record_id: int, entry_id: int) -> CheckFailed:
    return CheckFailed(f"{record_label(table_name)} {record_id} is missing (chain entry {entry_id}): deleted behind the ledger's back")


def _changed(table_name: str, record_id: int, entry_id: int) -> CheckFailed:
    return CheckFailed(f"{record_label(table_name)} {record_id} does not match its chain entry {entry_id} (changed after it was written)")


def _retimed(table_name: str, record_id: int, entry_id: int, entry_time, record_time) -> CheckFailed:
    return CheckFailed(
        f"chain entry {entry_id} says {record_label(table_name)} {record_id} was written at {entry_time.isoformat()}, but the "
        f"record itself (which the hash covers) says {record_time.isoformat()}: a write time was changed behind the ledger's back"
    )


def _sql_type(column):
    return column.type.impl if isinstance(column.type, TypeDecorator) else column.type


def unreadable_record(connection: Connection) -> Optional[CheckFailed]:
    """Name a record whose stored date or time cannot be read (text put there behind the ledger's back), or None.

    A read fails on such a value before its row's id is known; this looks for it
    with the same conversion the read used, and names the one earliest in the chain.
    """
    dialect = connection.dialect
    found = []
    for table in RECORD_TABLES:
        for column in table.columns:
            if not isinstance(_sql_type(column), (Date, DateTime)):
                continue
            read = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if read is None:
                continue
            statement = f'SELECT id, "{column.name}" FROM "{table.name}" WHERE "{column.name}" IS NOT NULL ORDER BY id'
            for record_id, stored in connection.exec_driver_sql(statement):
                try:
                    read(stored)
                except (ValueError, TypeError):
                    found.append((table.name, record_id, column.name, stored))
                    break  # the earliest in this column is enough
    if not found:
        return None
    entries = {
        (table_name, record_id): entry_id
        for table_name, record_id, _, _ in found
        for entry_id in connection.execute(
            select(CHAIN.c.id).where(CHAIN.c.table_name == table_name, CHAIN.c.record_id == record_id)
        ).scalars()
    }
    table_name, record_id, column_name, stored = min(found, key=lambda problem: entries.get(problem[:2], math.inf))
    shown = repr(stored) if len(repr(stored)) <= 60 else repr(stored)[:59] + "…"
    what = f"its {column_name} holds {shown}, not a {'time' if column_name == 'recorded_at' else 'date'}"
    entry_id = entries.get((table_name, record_id))
    if entry_id is None:
        return CheckFailed(f"{record_label(table_name)} {record_id} is not in the chain (inserted behind the ledger's back), and {what}")
    return CheckFailed(f"{record_label(table_name)} {record_id} does not match its chain entry {entry_id} (changed after it was written: {what})")


def _out_of_step(connection: Connection, rows: _TableRows, entry_id: int, record_id: int, previous_hash: str, stored_hash: str) -> CheckFailed:
    """The table's next row comes before the entry's record: look both up to say which is wrong."""
    table, table_name = rows.table, rows.table_name
    record = connection.execute(select(table).where(table.c.id == record_id)).mappings().first()
    if record is None:
        return _missing(table_name, record_id, entry_id)
    if entry_hash(previous_hash, table_name, dict(record)) != stored_hash:
        return _changed(table_name, record_id, entry_id)
    skipped = rows.next_row[0]
    chained_at = connection.execute(
        select(CHAIN.c.id).where(CHAIN.c.table_name == table_name, CHAIN.c.record_id == skipped)
    ).scalar()
    if chained_at is None:
        return _unchained(table_name, skipped)
    label = record_label(table_name)
    return CheckFailed(f"{label} {skipped} is chained out of order: entry {chained_at} comes after entry {entry_id} for {label} {record_id}")


def _check_chain(connection: Connection, published_head: Optional[str], since: Optional[tuple[int, str]] = None) -> dict:
    """One pass over the chain in order, merged with each table's rows in id order.

    Each entry must name the hash of the entry before it, its hash must be
    recomputable from the row it covers, and its `recorded_at` (what `ledger log`
    shows) must be the row's own, hashed one; the first entry that fails stops the pass.
    since=(entry id, its hash): only the entries after that one, and the rows written after
    the last record each table had chained by then (see verify_since).
    """
    after_entry, expected = since if since is not None else (0, GENESIS_HASH)
    tables = {
        table.name: _TableRows(connection, table, _last_chained(connection, table.name, after_entry)) for table in RECORD_TABLES
    }
    entries = connection.execute(
        select(CHAIN.c.id, CHAIN.c.table_name, CHAIN.c.record_id, CHAIN.c.previous_hash, CHAIN.c.entry_hash, CHAIN.c.recorded_at)
        .where(CHAIN.c.id > after_entry)
        .order_by(CHAIN.c.id),
        execution_options={"yield_per": STREAM_BATCH},
    )
    previous_id = after_entry or None
    count, published_at = 0, None
    for entry_id, table_name, record_id, previous_hash, stored_hash, entry_time in entries:
        if previous_hash != expected:
            if previous_id is None:
                raise CheckFailed(f"chain entry {entry_id} does not start the chain (its previous hash should be {GENESIS_HASH[:8]}…)")
            raise CheckFailed(f"chain entry {entry_id} does not follow entry {previous_id} (entries were removed, reordered or rewritten)")
        rows = tables.get(table_name)
        if rows is None:
            raise CheckFailed(f"chain entry {entry_id} names an unknown table {table_name!r}")
        row = rows.next_row
        if row is not None and row[0] < record_id:
            raise _out_of_step(connection, rows, entry_id, record_id, previous_hash, stored_hash)
        if row is None or row[0] != record_id:
            raise _missing(table_name, record_id, entry_id)
        rows.take()
        if entry_hash(previous_hash, table_name, dict(zip(rows.columns, row))) != stored_hash:
            raise _changed(table_name, record_id, entry_id)
        if entry_time != row[rows.recorded_at]:
            raise _retimed(table_name, record_id, entry_id, entry_time, row[rows.recorded_at])
        count += 1
        if published_head is not None and published_at is None and stored_hash.startswith(published_head):
            published_at = (entry_id, count)
        expected, previous_id = stored_hash, entry_id
    for rows in tables.values():
        if rows.next_row is not None:
            raise _unchained(rows.table_name, rows.next_row[0])
    return {"entries": count, "head": expected, "published_at": published_at}


def _last_chained(connection: Connection, table_name: str, through_entry: int) -> int:
    """The newest record id of a table chained at or before an entry (0 if none): the index on
    (table_name, record_id) is read from its newest end, so this costs the entries since."""
    if through_entry == 0:
        return 0
    found = connection.execute(
        select(func.max(CHAIN.c.record_id)).where(CHAIN.c.table_name == table_name, CHAIN.c.id <= through_entry)
    ).scalar()
    return found or 0


# ---- the fast pass over an SQLite ledger ---------------------------------------------------------
#
# The pass above spends most of its time building a dict and a datetime per row
# for json.dumps. On SQLite the pass below reads the driver's raw tuples and
# encodes a batch of rows column by column into the same canonical bytes. It only
# ever vouches for an honest ledger: at anything unexpected (a hash or link that
# does not match, a value of an unexpected type, a stray row) it gives up, and
# the reference pass runs instead and names the problem.
#
# It cannot accept what the reference pass refuses: a column is encoded from the
# raw value that SQLAlchemy would also read, except dates (kept as stored, so a
# match means the stored text is the canonical "YYYY-MM-DD") and recorded_at
# (the stored 'YYYY-MM-DD HH:MM:SS.ffffff' rewritten as the UTC isoformat, only
# in exactly that 26-character form, so a match means the stored text is how the
# ledger wrote that moment). A chain entry's own recorded_at must be the very text
# of its record's.

_JSON_NULL = "null"


def _encoded(values: tuple, kind: type, encode) -> Optional[list]:
    kinds = set(map(type, values))
    if kinds == {type(None)}:
        return [_JSON_NULL] * len(values)
    if kinds == {kind}:
        return list(map(encode, values))
    if kinds <= {kind, type(None)}:
        return [_JSON_NULL if value is None else encode(value) for value in values]
    return None


def _ints(values: tuple) -> Optional[list]:
    return _encoded(values, int, int.__repr__)


def _floats(values: tuple) -> Optional[list]:
    encoded = _encoded(values, float, float.__repr__)
    if encoded is None or not all(map(math.isfinite, (value for value in values if value is not None))):
        return None  # json writes NaN and Infinity, repr does not
    return encoded


def _texts(values: tuple) -> Optional[list]:
    return _encoded(values, str, encode_basestring)


def _booleans(values: tuple) -> Optional[list]:
    return _encoded(values, int, lambda value: "true" if value else "false")


def _utc_time(text: str) -> str:
    if len(text) == 26 and text[10] == " ":
        text = f"{text[:10]}T{text[11:19]}{'' if text[19:] == '.000000' else text[19:]}+00:00"
    return encode_basestring(text)


def _utc_times(values: tuple) -> Optional[list]:
    if set(map(type, values)) != {str}:
        return None
    # A whole import shares one recorded_at: convert each distinct value once.
    encoded = {text: _utc_time(text) for text in set(values)}
    return list(map(encoded.__getitem__, values))


# Dates are compared as stored text; the only times are the recorded_at columns (UTC).
_ENCODERS = ((Boolean, _booleans), (Integer, _ints), (Float, _floats), (DateTime, _utc_times), (Date, _texts), (String, _texts))


def _encoder(column):
    return next(encoder for kind, encoder in _ENCODERS if isinstance(_sql_type(column), kind))


class _PlainTable:
    """One SQLite table read in id order from `first_id` as raw tuples, hashed a batch at a time."""

    def __init__(self, cursor, table, first_id: int):
        columns = sorted(table.columns, key=lambda column: column.name)  # the canonical key order
        self.encoders = [_encoder(column) for column in columns]
        self.id_column = [column.name for column in columns].index("id")
        self.recorded_at_column = [column.name for column in columns].index("recorded_at")
        fields = ",".join(f"{encode_basestring(column.name).replace('%', '%%')}:%s" for column in columns)
        # previous_hash, newline, then the canonical JSON with a slot for each value
        self.template = "%s\n" + '{"record":{' + fields + '},"table":' + encode_basestring(table.name).replace("%", "%%") + "}"
        names = ", ".join(f'"{column.name}"' for column in columns)
        self.rows = cursor.execute(f'SELECT {names} FROM "{table.name}" WHERE id >= ? ORDER BY id', (first_id,))
        self.first_id, self.last_id, self.count = first_id, None, 0

    def hashes(self, record_ids: list, previous_hashes: list, entry_times: list) -> Optional[list]:
        """The entry hashes of the next rows, which must be exactly `record_ids`, written at the entries' stored
        `entry_times` (the same text); None if they are not."""
        rows = self.rows.fetchmany(len(record_ids))
        if len(rows) != len(record_ids):
            return None
        columns = list(zip(*rows))
        if list(columns[self.id_column]) != record_ids or list(columns[self.recorded_at_column]) != entry_times:
            return None
        encoded = []
        for encoder, values in zip(self.encoders, columns):
            encoded_values = encoder(values)
            if encoded_values is None:
                return None
            encoded.append(encoded_values)
        self.last_id, self.count = record_ids[-1], self.count + len(record_ids)
        template, sha256 = self.template, hashlib.sha256
        return [sha256((template % parts).encode("utf-8")).hexdigest() for parts in zip(previous_hashes, *encoded)]


# A ledger this large is checked in parts, one process per core; the parts' ends are joined here.
PARALLEL_FROM = 200_000
_TABLES = {table.name: table for table in RECORD_TABLES}


def _picked(values: list, positions: list) -> list:
    return list(itemgetter(*positions)(values)) if len(positions) > 1 else [values[positions[0]]]


def _check_plain_part(driver, first_entry: int, last_entry: int, published_head: Optional[str]) -> Optional[dict]:
    """Check the entries first_entry..last_entry and their rows; what joins the part to its neighbours, or None."""
    tables: dict[str, _PlainTable] = {}
    entries = driver.cursor().execute(
        "SELECT id, table_name, record_id, previous_hash, entry_hash, recorded_at FROM chain_entry WHERE id BETWEEN ? AND ? ORDER BY id",
        (first_entry, last_entry),
    )
    first_previous, expected, count, published_at = None, None, 0, None
    while batch := entries.fetchmany(STREAM_BATCH):
        entry_ids, table_names, record_ids, previous_hashes, stored_hashes, entry_times = (list(column) for column in zip(*batch))
        if first_previous is None:
            first_previous = expected = previous_hashes[0]
        if previous_hashes != [expected] + stored_hashes[:-1]:
            return None
        for table_name in set(table_names):
            here = [position for position, name in enumerate(table_names) if name == table_name]
            if table_name not in tables:
                if table_name not in _TABLES or type(record_ids[here[0]]) is not int:
                    return None
                tables[table_name] = _PlainTable(driver.cursor(), _TABLES[table_name], record_ids[here[0]])
            hashes = tables[table_name].hashes(_picked(record_ids, here), _picked(previous_hashes, here), _picked(entry_times, here))
            if hashes != _picked(stored_hashes, here):
                return None
        if published_head is not None and published_at is None:
            found = next((position for position, stored in enumerate(stored_hashes) if stored.startswith(published_head)), None)
            if found is not None:
                published_at = (entry_ids[found], count + found + 1)
        count += len(batch)
        expected = stored_hashes[-1]
    return {
        "entries": count, "first_previous": first_previous, "head": expected, "published_at": published_at,
        "tables": {name: (rows.first_id, rows.last_id, rows.count) for name, rows in tables.items()},
    }


def _check_plain_part_in_own_process(path: str, first_entry: int, last_entry: int, published_head: Optional[str]) -> Optional[dict]:
    import sqlite3

    driver = sqlite3.connect(path, isolation_level=None)
    try:
        driver.execute("BEGIN")
        return _check_plain_part(driver, first_entry, last_entry, published_head)
    finally:
        driver.close()


def _check_plain_sqlite(connection: Connection, published_head: Optional[str]) -> Optional[dict]:
    """The result of `_check_chain` on an honest SQLite ledger, or None to leave it to `_check_chain`.

    The ledger only grows, and the parts after the first are read by other
    processes (each in its own snapshot) up to the newest entry seen here; the
    row counts taken here then prove that no row is outside the chain.
    """
    driver = connection.connection.driver_connection
    first_entry, last_entry, entry_count = driver.execute("SELECT min(id), max(id), count(*) FROM chain_entry").fetchone()
    row_counts = {name: driver.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in _TABLES}
    if entry_count == 0:
        return {"entries": 0, "head": GENESIS_HASH, "published_at": None} if not any(row_counts.values()) else None
    path = connection.engine.url.database
    import multiprocessing

    # The extra processes inherit the open ledger by forking; where there is no fork (Windows), check in one.
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    processes = min(os.cpu_count() or 1, 1 + entry_count // PARALLEL_FROM) if can_fork and path and path != ":memory:" else 1
    step = (last_entry - first_entry) // processes + 1
    bounds = [(start, min(start + step - 1, last_entry)) for start in range(first_entry, last_entry + 1, step)]
    if len(bounds) == 1:
        parts = [_check_plain_part(driver, first_entry, last_entry, published_head)]
    else:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        with ProcessPoolExecutor(len(bounds) - 1, mp_context=get_context("fork")) as pool:
            others = [pool.submit(_check_plain_part_in_own_process, path, start, end, published_head) for start, end in bounds[1:]]
            parts = [_check_plain_part(driver, *bounds[0], published_head)] + [other.result() for other in others]
    head, count, published_at, last_ids = GENESIS_HASH, 0, None, {}
    for part in parts:
        if part is None or part["first_previous"] not in (head, None):
            return None
        for name, (first_id, last_id, rows) in part["tables"].items():
            if first_id <= last_ids.get(name, first_id - 1):
                return None
            last_ids[name] = last_id
            row_counts[name] -= rows
        if published_at is None and part["published_at"] is not None:
            entry_id, ordinal = part["published_at"]
            published_at = (entry_id, count + ordinal)
        count += part["entries"]
        head = part["head"] or head
    if count != entry_count or any(row_counts.values()):
        return None
    return {"entries": count, "head": head, "published_at": published_at}


def verify(ledger: "Ledger", published_head: Optional[str] = None) -> dict:
    """Recompute the chain and every record it covers; raise CheckFailed naming the first mismatch.

    With `published_head` (a head hash printed earlier and kept elsewhere), also
    check that the chain still contains it: a chain rewritten from the start, or
    cut short, no longer does.
    """
    head_wanted = read_published_head(published_head) if published_head is not None else None
    with ledger.reading() as connection:  # one snapshot, so concurrent writers cause no false alarms
        links = _check_plain_sqlite(connection, head_wanted) if ledger.dialect == "sqlite" else None
        if links is None:
            links = _check_chain(connection, head_wanted)
    result = {"ok": True, "records": links["entries"], "head": links["head"]}
    if head_wanted is not None:
        if links["published_at"] is None:
            raise CheckFailed(
                f"the published head {head_wanted} is not in the chain: the history up to it was rewritten, "
                "or cut back to before it"
            )
        entry_id, ordinal = links["published_at"]
        result.update(published_head=head_wanted, published_entry=entry_id, entries_since_published=links["entries"] - ordinal)
    return result


def verify_since(ledger: "Ledger", since_head: str) -> dict:
    """Check only what was written after an earlier head: that the head is still in the chain, that every
    entry after it follows on and matches its record, and that no row written since is outside the chain.

    The cost is that of the records added since. Records before the head are not re-checked: a full
    `verify` (or one kept from when that head was printed) vouches for them.
    """
    head_wanted = read_published_head(since_head)
    with ledger.reading() as connection:
        # The entry after the head names it as its previous hash, which is indexed; the newest entry has none after it.
        following = connection.execute(
            select(CHAIN.c.id, CHAIN.c.previous_hash)
            .where(CHAIN.c.previous_hash >= head_wanted, CHAIN.c.previous_hash < head_wanted + "g")
            .order_by(CHAIN.c.id).limit(1)
        ).first()
        if following is not None:
            before = connection.execute(
                select(CHAIN.c.id, CHAIN.c.entry_hash).where(CHAIN.c.id < following.id).order_by(CHAIN.c.id.desc()).limit(1)
            ).first()
            if before is None and following.previous_hash != GENESIS_HASH:
                raise CheckFailed(f"chain entry {following.id} does not start the chain (its previous hash should be {GENESIS_HASH[:8]}…)")
            if before is not None and before.entry_hash != following.previous_hash:
                raise CheckFailed(
                    f"chain entry {following.id} does not follow entry {before.id} (entries were removed, reordered or rewritten)"
                )
            head_entry, since = (before.id, (before.id, before.entry_hash)) if before is not None else (0, (0, GENESIS_HASH))
        else:
            newest = connection.execute(select(CHAIN.c.id, CHAIN.c.entry_hash).order_by(CHAIN.c.id.desc()).limit(1)).first()
            if newest is None or not newest.entry_hash.startswith(head_wanted):
                raise CheckFailed(
                    f"the head {head_wanted} is not in the chain: the history up to it was rewritten, or cut back to before it"
                )
            head_entry, since = newest.id, (newest.id, newest.entry_hash)
        links = _check_plain_since(connection, since) if ledger.dialect == "sqlite" else None
        if links is None:
            links = _check_chain(connection, None, since=since)
    return {"ok": True, "records": links["entries"], "head": links["head"], "since": since[1], "since_entry": head_entry}


def _check_plain_since(connection: Connection, since: tuple[int, str]) -> Optional[dict]:
    """The result of `_check_chain(since=...)` on an honest SQLite ledger, by the fast pass, or None to leave it to `_check_chain`.

    The entries after the one given must follow on from it and match their rows, and every table's rows
    after the last it had chained by then must be exactly the rows those entries cover.
    """
    driver = connection.connection.driver_connection
    after_entry, expected = since
    last_entry = driver.execute("SELECT max(id) FROM chain_entry").fetchone()[0] or 0
    part = _check_plain_part(driver, after_entry + 1, last_entry, None)
    if part is None or part["first_previous"] not in (expected, None):
        return None
    for name in _TABLES:
        chained_before = _last_chained(connection, name, after_entry)
        first_id, _, rows = part["tables"].get(name, (None, None, 0))
        if rows and first_id <= chained_before:
            return None
        if driver.execute(f'SELECT count(*) FROM "{name}" WHERE id > ?', (chained_before,)).fetchone()[0] != rows:
            return None
    return {"entries": part["entries"], "head": part["head"] or expected, "published_at": None}


def verify_summary(result: Mapping[str, Any]) -> str:
    """The one line `ledger verify` prints on an honest ledger."""
    if "since" in result:
        return (f"OK: {result['records']:,} records since chain entry {result['since_entry']} ({result['since'][:12]}…) "
                f"in an unbroken chain; head {result['head']}")
    line = f"OK: {result['records']:,} records in an unbroken chain; head {result['head']}"
    if "published_entry" in result:
        since = result["entries_since_published"]
        where = "is the current head" if since == 0 else f"is chain entry {result['published_entry']}, {since:,} entries back"
        line += f"; the published head {where}"
    return line
