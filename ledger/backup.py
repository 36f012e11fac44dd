"""A consistent copy of an SQLite ledger while others write, verified before it is called a backup."""

import os
import stat
from typing import TYPE_CHECKING

from ledger.chain import verify
from ledger.errors import CheckFailed, LedgerError

if TYPE_CHECKING:
    from ledger.store import Ledger


def _create_private_copy(path: str, source: str) -> None:
    """Create `path` empty with the source's permission bits, before any page is copied into it.

    The umask can only take bits away, so the copy is as private as the ledger or more;
    SQLite gives the copy's journal and write-ahead log the permissions of the copy.
    """
    mode = stat.S_IMODE(os.stat(source).st_mode) & 0o777
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))


def backup(ledger: "Ledger", destination: str, *, force: bool = False) -> dict:
    """Copy an SQLite ledger to a new file while others may be writing, then verify the copy.

    SQLite's online backup API copies every page inside one read transaction, so
    the copy is the ledger as of one moment, and writers are not held up (WAL).
    The copy is written beside the destination and moved into place when whole; it is
    never readable by more people than the ledger is.
    """
    import sqlite3

    from ledger.store import open_ledger, refuse_ledger_as_output

    if ledger.dialect != "sqlite":
        raise LedgerError(
            "backup copies SQLite ledgers only: for a PostgreSQL ledger use pg_dump "
            "(pg_dump --format=custom --file=FILE DBNAME) and restore with pg_restore"
        )
    target = os.path.abspath(destination)
    if not os.path.isdir(os.path.dirname(target)):
        raise LedgerError(f"cannot write backup {destination}: folder {os.path.dirname(target)} does not exist")
    if os.path.isdir(target):
        raise LedgerError(f"{destination} is a folder: give the backup's file name, such as {os.path.join(destination, 'forecasts-backup.db')}")
    refuse_ledger_as_output(ledger.file, destination, "backup")
    if os.path.exists(target) and not force:
        raise LedgerError(f"{destination} already exists: give a new file name, or --force to replace it")
    partial = f"{target}.partial-{os.getpid()}"
    raw = ledger.engine.raw_connection()
    try:
        _create_private_copy(partial, ledger.file)
        copy = sqlite3.connect(partial)
        try:
            raw.driver_connection.backup(copy)
        finally:
            copy.close()
        # A stale write-ahead log beside the old file would be replayed onto the new one.
        for leftover in (target + "-wal", target + "-shm", target + "-journal"):
            if os.path.exists(leftover):
                os.remove(leftover)
        os.replace(partial, target)
    finally:
        raw.close()
        if os.path.exists(partial):
            os.remove(partial)
    copied = open_ledger(target)
    try:
        checked = verify(copied)
    except CheckFailed as problem:
        raise CheckFailed(f"the backup {destination} was written but does not verify: {problem}") from None
    finally:
        copied.close()
    return {"backup": target, "bytes": os.path.getsize(target), **checked}
