"""`ledger export` and `ledger import`: forecasts out to CSV or JSON, and in from those, the seed file, or Fatebook."""

import os
import sys
from typing import Optional

import typer
from typing_extensions import Annotated

from ledger.cli.common import FormatOption, output_format, settings


def register(app: typer.Typer) -> None:
    app.command("import")(import_file)
    app.command("export")(export)


class _Counter:
    """A row counter on stderr, redrawn in place; silent unless stderr is a terminal, so never in a file or a pipe."""

    def __init__(self, label: str, total: Optional[int] = None):
        self.label = label
        self.total = total
        self.shown = False

    def __call__(self, done: int) -> None:
        of = f" of {self.total:,}" if self.total is not None else ""
        sys.stderr.write(f"\r{self.label}: {done:,}{of} rows")
        sys.stderr.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


def _on_terminal() -> bool:
    return sys.stderr.isatty()


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that Python's exit flush does not complain about the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def import_file(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="The file: a CSV or JSON export (see docs/transfer.md), a seed file (.toml), or with --from fatebook Fatebook's CSV export.")],
    layout: Annotated[str, typer.Option("--from", help="Whose layout the file is in: ledger (ours: CSV, JSON, JSON Lines or .toml), fatebook, manifold, metaculus or predictionbook.")] = "ledger",
    judgements: Annotated[Optional[str], typer.Option("--pb-judgements", help="With --from predictionbook: 'event' reads a judgement right as 'the event happened' (yes) and wrong as no; without it a judged prediction is refused.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Load questions, forecasts and resolutions from a file: all of it or, if any row is bad, nothing.

    Rows the ledger already holds are skipped, so loading the same file twice adds nothing.
    """
    from ledger.io import importer
    from ledger.output import print_record

    fmt = output_format(fmt)
    state = settings(ctx)
    counter = _Counter(f"Importing {path}") if _on_terminal() else None
    try:
        counts = importer.import_file(state.ledger(), path, today=state.today, layout=layout, progress=counter, judgements=judgements)
    finally:
        if counter:
            counter.end()
    print_record(counts, fmt)


def export(
    ctx: typer.Context,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="csv (default) or json; with --output FILE.json, json.")] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write to this file (it appears whole or not at all) instead of stdout.")] = None,
    status: Annotated[str, typer.Option("--status", help="Questions that are open, due, resolved, or all (as in 'ledger list').")] = "all",
    who: Annotated[Optional[str], typer.Option("--who", help="Only this forecaster's forecasts.")] = None,
    tag: Annotated[Optional[str], typer.Option("--tag", help="Only questions with this tag.")] = None,
    source: Annotated[Optional[int], typer.Option("--source", help="Only forecasts from this source id.")] = None,
) -> None:
    """Write one row per forecast (question, forecast, resolution, scores) as CSV or JSON, streamed.

    CSV cells that a spreadsheet would run as a formula (starting =, +, -, @, tab or
    carriage return) get a leading apostrophe; 'ledger import' takes it off again.
    """
    from ledger.io import exporter, ours

    state = settings(ctx)
    state.refuse_ledger_as_output(output, "export")
    fmt = ours.export_format(fmt, output)
    ledger = state.ledger()
    filters = dict(today=state.today, status=status, who=who, tag=tag, source=source)
    rows = exporter.export_tuples(ledger, **filters)
    counter = _Counter("Exporting", exporter.count_forecasts(ledger, **filters)) if _on_terminal() else None
    try:
        if output is None:
            try:
                ours.write_export(rows, fmt, sys.stdout, counter)
                sys.stdout.flush()
            except BrokenPipeError:
                _quiet_stdout()  # the reader stopped early (`| head`): that is not a failure
        else:
            with ours.atomic_file(output) as handle:
                ours.write_export(rows, fmt, handle, counter)
    finally:
        rows.close()
        if counter:
            counter.end()
