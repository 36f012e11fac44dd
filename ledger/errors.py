"""The two exceptions the CLI turns into messages: bad input (exit 2) and failed checks (exit 1)."""


class LedgerError(Exception):
    """Something the user can fix: bad input, bad usage, an unknown id.

    The message says what was wrong and what is accepted; the CLI prints it as one
    line, ``Error: <message>``, on stderr and exits with status 2. Raised before
    anything is written, so the ledger is left unchanged.
    """


class CheckFailed(Exception):
    """A check such as ``ledger verify`` found a problem: the CLI prints it and exits 1."""
