"""The `ledger` command: global options, command registration and the one place errors become exit codes."""

import importlib
import os
import re
import sys
from typing import Optional

import typer
from typing_extensions import Annotated

from ledger import DEFAULT_DB
from ledger.cli.common import HelpGroup, Settings
from ledger.errors import CheckFailed, LedgerError


# One worked example per command, added to its --help (tests/test_docs.py checks every command has one).
EXAMPLES = {
    "add": 'ledger add "A third US-North Korea summit is held" --by "end of this year" --stated 2019-04-13 --who observers --says "is expected to"',
    "forecast": 'ledger forecast 1 --who "Hong Min" --prob 30% --stated 2019-06-01',
    "resolve": 'ledger resolve 1 no --on 2020-01-01 --note "No summit-level talks by year end" --evidence https://example.org/story',
    "list": "ledger list --status due --sort resolve_by",
    "show": "ledger show 13",
    "forecasters": "ledger forecasters --format csv",
    "tags": "ledger tags",
    "scale": "ledger scale kent",
    "import": "ledger import seeds/forecasts.toml",
    "export": "ledger export --format csv --output forecasts.csv",
    "report": "ledger report --by forecaster --period year",
    "calibration": 'ledger calibration --who "Hong Min" --png calibration.png',
    "extract": "ledger extract seeds/002_9f147d8e9360c755.txt --published 2024-11-22",
    "timeline": 'ledger timeline "Next Trump-Kim summit" --png timeline.png',
    "verify": "ledger verify --head HASH",
    "log": "ledger log --since 2026-01-01 --limit 20",
    "backup": "ledger backup copy.db",
    "help": "ledger help reports",
    "source add": 'ledger source add seeds/000_5f386b38834cbe8f.txt --title "Kim open to third summit" --published 2019-04-13',
    "source list": "ledger source list",
    "scenario add": 'ledger scenario add "Next Trump-Kim summit" --outcome "before 2026-01-20" --outcome "during 2026" --outcome "later or never" --by 2029-01-20 --ordered',
    "scenario forecast": 'ledger scenario forecast "Next Trump-Kim summit" --who "Hong Min" --probs 0.3,0.4,0.3 --stated 2024-11-22',
    "scenario resolve": 'ledger scenario resolve "Next Trump-Kim summit" 2 --on 2026-06-12 --note "Met in Panmunjom"',
    "scenario show": 'ledger scenario show "Next Trump-Kim summit"',
    "digest": "ledger digest --within 30d --format markdown",
    "indicator add": 'ledger indicator add "Next Trump-Kim summit" "Working-level talks are held" -l 1=consistent -l 2=consistent -l 3=neutral -l 4=neutral -l 5=inconsistent',
    "indicator seen": 'ledger indicator seen 1 --on 2019-10-05 --source https://example.org/stockholm --quote "Working-level talks opened in Stockholm"',
    "indicator list": 'ledger indicator list "Next Trump-Kim summit" --prior uniform',
    "forecaster alias": 'ledger forecaster alias "Kim Jong-un" "Kim Jong Un"',
    "forecaster merge": 'ledger forecaster merge "H. Min" "Hong Min" --note "The same KINU researcher"',
    "forecaster kind": "ledger forecaster kind Yonhap newsroom",
    "scenario list": "ledger scenario list",
    "db version": "ledger db version",
    "db upgrade": "ledger --db old.db db upgrade",
}

# typer shows unset placeholders as Python types (<str>, {statement}); these read as what to type.
_PLACEHOLDERS = {"INTEGER": "N", "FLOAT": "NUMBER", "TEXT": "TEXT", "PATH": "PATH", "FILENAME": "FILE"}


def _polish(command, path: str = "") -> None:
    """Every command, once: a plain placeholder for each value and its example in its help."""
    for parameter in command.params:
        kind = getattr(parameter, "param_type_name", "")
        if kind == "argument":
            parameter.metavar = parameter.metavar or parameter.name.upper()
            # typer adds the Python type (STATEMENT <str>) and braces ({STATEMENT}); the name says enough.
            parameter.display_type_rich = lambda ctx=None: ""
            parameter._usage_display_name = lambda shown=parameter: shown.metavar if shown.required else f"[{shown.metavar}]"
        elif kind == "option" and not getattr(parameter, "is_flag", False) and not getattr(parameter, "count", False):
            type_name = str(getattr(getattr(parameter, "type", None), "name", "") or _bare_type(parameter)).upper()
            parameter.metavar = parameter.metavar or _PLACEHOLDERS.get(type_name, "TEXT")
    example = EXAMPLES.get(path.strip())
    if example and command.help is not None and "Example:" not in command.help:
        command.help = command.help.rstrip() + "\n\nExample: " + example
    for name, sub in getattr(command, "commands", {}).items():
        _polish(sub, f"{path} {name}")


def _bare_type(parameter) -> str:
    try:
        return {"int": "INTEGER", "float": "FLOAT"}.get(parameter.bare_type(), "TEXT")
    except Exception:  # noqa: BLE001 - a placeholder is cosmetic: fall back to TEXT
        return "TEXT"


class LedgerGroup(HelpGroup):
    """Turns every user-caused error into one line on stderr and an exit status (2 bad input, 1 check failed)."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        _polish(self)
        given = kwargs.get("args", args[0] if args else None)
        database = _database_given(list(sys.argv[1:] if given is None else given))
        try:
            status = super().main(*args, standalone_mode=False, **kwargs)
            status = status if isinstance(status, int) else 0
        except LedgerError as error:
            status = _fail(f"Error: {error}", 2, database)
        except CheckFailed as error:
            status = _fail(f"Error: {error}", 1, database)
        except typer.TyperException as error:  # typer's usage errors: missing option, bad value
            if type(error).__name__ == "NoArgsIsHelpError":
                typer.echo(error.format_message())
                status = 0
            elif re.fullmatch(r"-\d+", str(getattr(error, "option_name", ""))):  # `show -1`: not an option, a bad id
                status = _fail(f"Error: {error.option_name} is not an id: ids are whole numbers from 1 (see 'ledger list')", 2)
            else:
                hint = f" (see '{error.ctx.command_path} --help')" if getattr(error, "ctx", None) else ""
                status = _fail(f"Error: {error.format_message()}{hint}", error.exit_code)
        except typer.Abort:
            status = _fail("Aborted.", 1)
        except Exception as error:  # noqa: BLE001 - the last resort: one line, not a traceback
            if os.environ.get("LEDGER_DEBUG"):
                raise
            from ledger.errors import environment_failure
            from ledger.store import redacted

            plain = environment_failure(error, redacted(database))
            if plain:
                status = _fail(f"Error: {plain}", 1, database)
            else:
                detail = f"{error.__class__.__name__}: {getattr(error, 'orig', None) or error}"
                status = _fail(f"Error: unexpected failure: {detail} (set LEDGER_DEBUG=1 for details)", 1, database)
        if standalone_mode:
            sys.exit(status)
        return status


def _fail(message: str, status: int, database: str = "") -> int:
    if os.environ.get("LEDGER_DEBUG") and sys.exc_info()[0] is not None and status == 2:
        import traceback

        traceback.print_exc()
    if "://" in database:
        from ledger.store import without_secrets

        message = without_secrets(message, database)
    typer.echo(" ".join(message.split()), err=True)
    return status


def _database_given(arguments: list[str]) -> str:
    """The --db value of a command line (else LEDGER_DB, else the default), to name it in messages without its password."""
    for at, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument == "--db" and at + 1 < len(arguments):
            return str(arguments[at + 1])
        if str(argument).startswith("--db="):
            return str(argument)[len("--db="):]
    return os.environ.get("LEDGER_DB") or DEFAULT_DB


app = typer.Typer(
    cls=LedgerGroup,
    help="A ledger of the forecasts experts make in the news: record them, resolve them, score the forecasters.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
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
    ] = DEFAULT_DB,
    today: Annotated[
        Optional[str],
        typer.Option(
            "--today",
            envvar="LEDGER_TODAY",
            metavar="DATE",
            help="Read relative dates and defaults against this day instead of today (reproducible runs).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=lambda shown: _print_version(shown), help="Print the version and exit."),
    ] = False,
) -> None:
    settings = Settings(db=db, today_text=today)
    ctx.obj = settings
    ctx.call_on_close(settings.close)


# One module per command group, each with a register(app); each imports its heavy
# dependencies inside its commands, so that `ledger --help` stays quick.
COMMAND_MODULES = (
    "records", "sources", "transfer", "reports", "extract", "scenarios", "indicators", "people", "integrity", "database", "topics",
    "site",
)
for module_name in COMMAND_MODULES:
    importlib.import_module(f"ledger.cli.{module_name}").register(app)


def _print_version(shown: bool) -> None:
    if shown:
        from ledger import __version__

        typer.echo(f"ledger {__version__}")
        raise typer.Exit()


def main() -> None:
    app()
