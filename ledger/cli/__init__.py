"""The `ledger` command: global options, command registration and the one place errors become exit codes."""

import importlib
import os
import sys
from typing import Optional

import typer
from typer.core import TyperGroup
from typing_extensions import Annotated

from ledger.cli.common import Settings
from ledger.errors import CheckFailed, LedgerError


class LedgerGroup(TyperGroup):
    """Turns every user-caused error into one line on stderr and an exit status (2 bad input, 1 check failed)."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        try:
            status = super().main(*args, standalone_mode=False, **kwargs)
            status = status if isinstance(status, int) else 0
        except LedgerError as error:
            status = _fail(f"Error: {error}", 2)
        except CheckFailed as error:
            status = _fail(f"Error: {error}", 1)
        except typer.TyperException as error:  # typer's usage errors: missing option, bad value
            if type(error).__name__ == "NoArgsIsHelpError":
                typer.echo(error.format_message())
                status = 0
            else:
                hint = f" (see '{error.ctx.command_path} --help')" if getattr(error, "ctx", None) else ""
                status = _fail(f"Error: {error.format_message()}{hint}", error.exit_code)
        except typer.Abort:
            status = _fail("Aborted.", 1)
        except Exception as error:  # noqa: BLE001 - the last resort: one line, not a traceback
            if os.environ.get("LEDGER_DEBUG"):
                raise
            status = _fail(f"Error: unexpected failure: {error.__class__.__name__}: {error} (set LEDGER_DEBUG=1 for details)", 1)
        if standalone_mode:
            sys.exit(status)
        return status


def _fail(message: str, status: int) -> int:
    if os.environ.get("LEDGER_DEBUG") and sys.exc_info()[0] is not None and status == 2:
        import traceback

        traceback.print_exc()
    typer.echo(" ".join(message.split()), err=True)
    return status


app = typer.Typer(
    cls=LedgerGroup,
    help="A ledger of the forecasts experts make in the news: record them, resolve them, score the forecasters.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str,
        typer.Option(
            "--db",
            envvar="LEDGER_DB",
            metavar="PATH_OR_URL",
            help="The ledger: an SQLite file path, or a URL such as postgresql+psycopg://user@host/db. "
            "Created on first use.",
        ),
    ] = "forecasts.db",
    today: Annotated[
        Optional[str],
        typer.Option(
            "--today",
            envvar="LEDGER_TODAY",
            metavar="DATE",
            help="Read relative dates and defaults against this day instead of today (reproducible runs).",
        ),
    ] = None,
) -> None:
    settings = Settings(db=db, today_text=today)
    ctx.obj = settings
    ctx.call_on_close(settings.close)


# One module per command group, each with a register(app); each imports its heavy
# dependencies inside its commands, so that `ledger --help` stays quick.
COMMAND_MODULES = ("records", "sources", "transfer", "reports", "extract", "scenarios", "integrity", "database", "site")
for module_name in COMMAND_MODULES:
    importlib.import_module(f"ledger.cli.{module_name}").register(app)


def main() -> None:
    app()
