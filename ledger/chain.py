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
"""

import hashlib
import json
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from ledger.model import ChainEntry

GENESIS_HASH = "0" * 64
CHAIN = ChainEntry.__table__


def _encode_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__} in the hash chain")


def canonical(table_name: str, record: Mapping[str, Any]) -> bytes:
    document = {"record": dict(record), "table": table_name}
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_encode_value
    ).encode("utf-8")


def entry_hash(previous_hash: str, table_name: str, record: Mapping[str, Any]) -> str:
    return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + canonical(table_name, record)).hexdigest()


def last_hash(connection: Connection) -> str:
    """The newest entry's hash; call inside a write transaction, which holds the write lock."""
    newest = connection.execute(select(CHAIN.c.entry_hash).order_by(CHAIN.c.id.desc()).limit(1)).scalar()
    return newest or GENESIS_HASH


def append(connection: Connection, records: Iterable[tuple[str, Mapping[str, Any]]], previous_hash: str | None = None) -> str:
    """Chain (table name, full row) pairs in order; returns the new head hash."""
    previous = previous_hash or last_hash(connection)
    entries = []
    for table_name, record in records:
        current = entry_hash(previous, table_name, record)
        entries.append(
            {
                "table_name": table_name,
                "record_id": record["id"],
                "previous_hash": previous,
                "entry_hash": current,
                "recorded_at": record["recorded_at"],
            }
        )
        previous = current
    if entries:
        connection.execute(insert(CHAIN), entries)
    return previous
