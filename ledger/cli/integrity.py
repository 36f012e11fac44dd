"""Commands that guard the ledger's history: verify, log, backup."""

from typing import Optional

import typer
from typing_extensions import Annotated

from ledger.cli.common import FormatOption, output_format, settings

LOG_COLUMNS = ["recorded_at", "table", "record_id", "description"]


def register(app: typer.Typer) -> None:
    app.command("verify")(verify)
    app.command("log")(log)
    app.command("backup")(backup)


def verify(
    ctx: typer.Context,
    head: Annotated[
        Optional[str],
        typer.Option(
            "--head",
            metavar="HASH",
            help="A head hash printed by an earlier 'ledger verify' and kept elsewhere: check the chain still "
            "contains it (catches a history rewritten from the start or cut short).",
        ),
    ] = None,
    head_file: Annotated[
        Optional[str],
        typer.Option(
            "--head-file",
            metavar="FILE",
            help="Read the published head from FILE, kept outside the ledger: the last head in it (a line "
            "'ledger verify' printed, its JSON, or the hash alone, one per line).",
        ),
    ] = None,
    since: Annotated[
        Optional[str],
        typer.Option(
            "--since",
            metavar="HASH",
            help="Check only what was written after this head (printed by an earlier 'ledger verify'): "
            "that it is still in the chain and every record since follows on from it. Costs the records since.",
        ),
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Recompute the hash chain and every record it covers.

    Exit 0 with a one-line summary and the head hash to publish on an honest
    ledger; exit 1 naming the first record that was changed, deleted or inserted
    behind the ledger's back. A plain verify cannot see newest records cut off
    or the whole chain rewritten: keep the head outside the ledger and check it
    later with --head or --head-file (docs/integrity.md).
    """
    from ledger import chain, heads
    from ledger.errors import LedgerError
    from ledger.output import print_record

    fmt = output_format(fmt)
    if head is not None and head_file is not None:
        raise LedgerError("give the published head once: --head HASH or --head-file FILE, not both")
    if since is not None and (head is not None or head_file is not None):
        raise LedgerError("--since checks from a head onwards; --head and --head-file check the whole chain: give one of them")
    if head_file is not None:
        head = heads.read_head_file(head_file)
    if since is not None:
        result = chain.verify_since(settings(ctx).ledger(), since)
    else:
        result = chain.verify(settings(ctx).ledger(), published_head=head)
    if fmt == "table":
        typer.echo(chain.verify_summary(result))
    else:
        print_record(result, fmt)


def log(
    ctx: typer.Context,
    since: Annotated[
        Optional[str],
        typer.Option("--since", metavar="DATE", help="Only writes recorded on or after this day (the ledger's clock, UTC)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many writes to list, newest first; 0 for all.")] = 50,
    fmt: FormatOption = "table",
) -> None:
    """The history of writes, newest first: when each record was typed in, and what it says."""
    from ledger import history
    from ledger.output import print_rows

    fmt = output_format(fmt)
    rows = history.history(settings(ctx).ledger(), since=since, limit=limit)
    print_rows(rows, fmt, columns=None if fmt == "json" else LOG_COLUMNS, empty="(no writes)")


def backup(
    ctx: typer.Context,
    destination: Annotated[str, typer.Argument(metavar="FILE", help="The new SQLite file to write the copy to.")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Copy an SQLite ledger to FILE while others may be writing, then verify the copy.

    For a PostgreSQL ledger use pg_dump instead.
    """
    from ledger import backup, chain
    from ledger.output import print_record

    fmt = output_format(fmt)
    result = backup.backup(settings(ctx).ledger(), destination, force=force)
    if fmt == "table":
        typer.echo(f"Backed up to {result['backup']}: {chain.verify_summary(result)}")
    else:
        print_record(result, fmt)
