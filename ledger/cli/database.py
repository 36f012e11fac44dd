"""The `ledger db` commands: which schema a ledger has, and upgrading it."""

import typer

from ledger.cli.common import FormatOption, HelpGroup, output_format, settings

db_app = typer.Typer(
    cls=HelpGroup,
    help="The ledger's database: its schema version and upgrades. "
    "Every command upgrades an older ledger on open; these commands let you see and do it explicitly.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Adds this group's commands to the root app."""
    app.add_typer(db_app, name="db")


@db_app.command("version")
def version(ctx: typer.Context, fmt: FormatOption = "table") -> None:
    """Show the ledger's schema revision and the newest one this program knows, without upgrading."""
    from ledger import store
    from ledger.output import print_record

    fmt = output_format(fmt)
    ledger = store.open_ledger(settings(ctx).db, migrate=False)
    try:
        print_record(store.schema_status(ledger), fmt)
    finally:
        ledger.close()


@db_app.command("upgrade")
def upgrade(ctx: typer.Context, fmt: FormatOption = "table") -> None:
    """Upgrade the ledger to the newest schema, in one transaction (a no-op when it is up to date); creates a new, empty ledger."""
    from ledger import store
    from ledger.output import print_record

    fmt = output_format(fmt)
    ledger = store.open_ledger(settings(ctx).db, migrate=False)
    try:
        before, after = store.upgrade(ledger)
        print_record({**store.schema_status(ledger), "upgraded_from": before, "upgraded": before != after}, fmt)
    finally:
        ledger.close()
