"""What every command shares: the global settings (--db, --today) and the --format option."""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Optional

import typer
from typer.core import TyperGroup
from typing_extensions import Annotated

if TYPE_CHECKING:
    from ledger.store import Ledger

FORMAT_HELP = "Output: table (default), csv, json, or any tabulate format (github, plain, grid, ...)."
FormatOption = Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)]


class HelpGroup(TyperGroup):
    """A command group whose --help lists each command's whole first sentence, wrapped rather than cut off."""

    def format_commands(self, ctx, formatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@dataclass
class Settings:
    """The root command's options; the ledger itself is opened only when a command needs it."""

    db: str
    today_text: Optional[str] = None
    _ledger: Optional["Ledger"] = field(default=None, repr=False)

    @property
    def today(self) -> date:
        if self.today_text is None:
            return date.today()
        if not self.today_text.strip():
            from ledger.errors import LedgerError

            raise LedgerError("--today is empty: give a date such as 2019-12-31, or leave --today out for today")
        from ledger.dates import parse_date

        return parse_date(self.today_text)

    def ledger(self) -> "Ledger":
        if self._ledger is None:
            from ledger.store import open_ledger

            self._ledger = open_ledger(self.db)
        return self._ledger

    def refuse_ledger_as_output(self, path: Optional[str], what: str) -> None:
        """An output file (--output, --png) must never be the ledger, its -wal/-shm, or the same file by another name."""
        if path:
            from ledger.store import refuse_ledger_as_output

            refuse_ledger_as_output(self.db, path, what)

    def refuse_bad_chart(self, path: Optional[str]) -> None:
        """A --png file: named .png (it is what is written), in a folder that exists, and never the ledger."""
        if not path:
            return
        import os

        from ledger.errors import LedgerError

        self.refuse_ledger_as_output(path, "chart")
        if os.path.splitext(path)[1].lower() != ".png":
            raise LedgerError(f"--png writes a PNG image: give a file name ending in .png, not {path!r}")
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise LedgerError(f"cannot write the chart to {path!r}: folder {folder} does not exist; give a writable file path")

    def close(self) -> None:
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None


def settings(ctx: typer.Context) -> Settings:
    return ctx.find_root().obj


def output_format(name: str) -> str:
    from ledger.output import check_format

    return check_format(name)
