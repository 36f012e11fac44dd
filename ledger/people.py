"""Forecasters as people: other spellings of a name, two forecasters merged into one, and what kind each is.

Each is a record like any other (chained, never changed): an alias finds the same forecaster, a
merge makes one forecaster's forecasts count as another's from then on in every report, and the
latest kind recorded is a forecaster's kind. `canonical_id` is the one SQL expression every read
that groups by forecaster goes through.
"""

from typing import TYPE_CHECKING, Optional

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ledger import rules
from ledger.errors import LedgerError
from ledger.model import ALIAS, FORECAST, FORECASTER, KIND, MERGE

if TYPE_CHECKING:
    from ledger.store import Ledger
    from ledger.write import Writer

KINDS = ("person", "organisation", "group", "newsroom")
# Unnamed groups the news quotes; a new forecaster with one of these names is recorded as a group.
GROUP_WORDS = {
    "observers", "analysts", "experts", "economists", "officials", "diplomats", "sources", "pollsters",
    "investors", "traders", "strategists", "forecasters", "scientists", "researchers", "critics", "insiders",
}


def canonical_id(forecaster_id_column=FORECAST.c.forecaster_id, *, merged: bool = True):
    """The forecaster a forecast counts for: the one its forecaster was last merged into, else its own.

    merged=False (see any_merges) gives the column itself: the lookup costs a subquery per row.
    """
    if not merged:
        return forecaster_id_column
    merged_into = (
        select(MERGE.c.into_id).where(MERGE.c.merged_id == forecaster_id_column).order_by(MERGE.c.id.desc()).limit(1).scalar_subquery()
    )
    return func.coalesce(merged_into, forecaster_id_column)


def any_merges(connection: Connection) -> bool:
    """Whether any forecaster was ever merged into another."""
    return connection.execute(select(MERGE.c.id).limit(1)).first() is not None


def find(connection: Connection, name: str) -> Optional[int]:
    """The forecaster a name means: by its own name or an alias, then through merges; None if nobody."""
    return find_key(connection, rules.forecaster_key(name))


def find_key(connection: Connection, key: str) -> Optional[int]:
    found = connection.execute(select(FORECASTER.c.id).where(FORECASTER.c.name_key == key)).scalar()
    if found is None:
        found = connection.execute(select(ALIAS.c.forecaster_id).where(ALIAS.c.alias_key == key)).scalar()
    if found is None:
        return None
    merged_into = connection.execute(
        select(MERGE.c.into_id).where(MERGE.c.merged_id == found).order_by(MERGE.c.id.desc()).limit(1)
    ).scalar()
    return merged_into if merged_into is not None else found


def guessed_kind(name: str) -> Optional[str]:
    """A kind the name alone shows: the unnamed groups news quotes ("observers", "some analysts")."""
    words = rules.forecaster_key(name).split()
    return "group" if words and words[-1] in GROUP_WORDS else None


def _named(connection: Connection, name: str) -> dict:
    found = find(connection, name)
    if found is None:
        raise LedgerError(f"no forecaster named {name!r}: see 'ledger forecasters' for the names")
    row = connection.execute(select(FORECASTER.c.id, FORECASTER.c.name).where(FORECASTER.c.id == found)).first()
    return {"forecaster_id": row.id, "name": row.name}


def add_alias(ledger: "Ledger", name: str, alias: str) -> dict:
    """Record another spelling of a forecaster's name; forecasts typed with it go to that forecaster."""
    spelling = rules.forecaster(alias)

    def work(writer: "Writer") -> dict:
        forecaster = _named(writer.connection, name)
        taken = find(writer.connection, spelling)
        if taken is not None:
            raise LedgerError(
                f"{spelling!r} already names forecaster {taken}: to make two forecasters one, use 'ledger forecaster merge'"
            )
        writer.add(ALIAS, forecaster_id=forecaster["forecaster_id"], alias=spelling, alias_key=rules.forecaster_key(spelling))
        return {**forecaster, "alias": spelling}

    return ledger.record(work)


def merge(ledger: "Ledger", merged: str, into: str, *, note: Optional[str] = None) -> dict:
    """Make `merged` and `into` one forecaster: every forecast of `merged` counts as `into`'s from now on."""

    def work(writer: "Writer") -> dict:
        source, target = _named(writer.connection, merged), _named(writer.connection, into)
        if source["forecaster_id"] == target["forecaster_id"]:
            raise LedgerError(f"{merged!r} and {into!r} are one forecaster already")
        # Forecasters merged into the merged one before follow it, so that one merge is never two steps away.
        followers = writer.connection.execute(select(MERGE.c.merged_id).where(MERGE.c.into_id == source["forecaster_id"])).scalars().all()
        for forecaster_id in [source["forecaster_id"], *followers]:
            writer.add(MERGE, merged_id=forecaster_id, into_id=target["forecaster_id"], note=rules.text(note))
        return {"merged": source["name"], "into": target["name"], "into_id": target["forecaster_id"], "note": rules.text(note)}

    return ledger.record(work)


def set_kind(ledger: "Ledger", name: str, kind: str) -> dict:
    word = kind.strip().lower()
    if word not in KINDS:
        raise LedgerError(f"unknown kind {kind!r}: use {', '.join(KINDS)}")

    def work(writer: "Writer") -> dict:
        forecaster = _named(writer.connection, name)
        writer.add(KIND, forecaster_id=forecaster["forecaster_id"], kind=word)
        return {**forecaster, "kind": word}

    return ledger.record(work)


def kinds(connection: Connection) -> dict[int, str]:
    """Each forecaster's kind, the latest recorded."""
    return {row.forecaster_id: row.kind for row in connection.execute(select(KIND.c.forecaster_id, KIND.c.kind).order_by(KIND.c.id))}


def aliases(connection: Connection) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for row in connection.execute(select(ALIAS.c.forecaster_id, ALIAS.c.alias).order_by(ALIAS.c.id)):
        found.setdefault(row.forecaster_id, []).append(row.alias)
    return found
