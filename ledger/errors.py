"""The two exceptions the CLI turns into messages: bad input (exit 2) and failed checks (exit 1)."""


class LedgerError(Exception):
    """Something the user can fix: bad input, bad usage, an unknown id.

    The message says what was wrong and what is accepted; the CLI prints it as one
    line, ``Error: <message>``, on stderr and exits with status 2. Raised before
    anything is written, so the ledger is left unchanged.
    """


class CheckFailed(Exception):
    """A check such as ``ledger verify`` found a problem: the CLI prints it and exits 1."""


def environment_failure(error: BaseException, ledger: str, connection: bool = True) -> "str | None":
    """One plain line for a failure of the machine rather than of the input (a read-only or full disk,
    a lock held too long, a file that cannot be written), saying what to do; None for anything else.

    `ledger` names the ledger for the message, without its password; `connection` False leaves
    connection failures to the caller (opening a ledger says more about those).
    """
    import errno

    if isinstance(error, OSError) and not _is_database_error(error):
        where = f" {error.filename}" if getattr(error, "filename", None) else ""
        if error.errno == errno.ENOSPC:
            return f"the disk is full: cannot write{where}; free some space and run the command again"
        return f"cannot write{where} ({error.strerror or error}): give a path you can write to"
    if not _is_database_error(error):
        return None
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0].lower() if str(error).strip() else ""
    if "unable to open database file" in reason and _read_only_folder(ledger):
        reason = "read-only"  # SQLite cannot make its -wal/-shm files beside the ledger
    for fragments, message in _DATABASE_FAILURES if connection else _DATABASE_FAILURES[:-1]:
        if any(fragment in reason for fragment in fragments):
            return message.format(ledger=ledger)
    return None


def _read_only_folder(path: str) -> bool:
    import os

    folder = os.path.dirname(os.path.abspath(path))
    return "://" not in path and os.path.isdir(folder) and not os.access(folder, os.W_OK)


def _is_database_error(error: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError

    return isinstance(error, DBAPIError)


_NOTHING_WRITTEN = "nothing was written and the ledger is unchanged"
_DATABASE_FAILURES = (
    (("readonly database", "read-only", "read only"),
     "the ledger {ledger} cannot be written here (the file, its folder or the disk is read-only): "
     + _NOTHING_WRITTEN + "; make it writable, or copy the ledger file to a place you can write"),
    (("database or disk is full", "no space left", "could not extend file", "disk full"),
     "the disk holding the ledger {ledger} is full: " + _NOTHING_WRITTEN + "; free some space and run the command again"),
    (("database is locked", "database table is locked", "lock timeout", "deadlock detected"),
     "the ledger {ledger} stayed locked by another writer past the wait limit: " + _NOTHING_WRITTEN
     + "; let the other ledger command (or the program holding the file) finish, then try again"),
    (("disk i/o error",),
     "the ledger {ledger} could not be read or written (disk I/O error: a full disk, a removed drive, or a path "
     "that is not a file): " + _NOTHING_WRITTEN + "; check the free space and that --db names a ledger file"),
    (("unable to open database file",),
     "cannot open the ledger {ledger}: check that the path is a file you can read and write, in a folder that exists"),
    # The connection failures stay last: `connection=False` leaves them out.
    (("server closed the connection", "connection refused", "could not connect", "connection failed", "terminating connection"),
     "the connection to the ledger {ledger} failed or was lost: " + _NOTHING_WRITTEN
     + "; check that the database server is running and reachable, then try again"),
)
