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


class _Bar:
    """One progress bar on stderr (rich, which typer ships): rows done of the total, a percentage and the time left.

    Drawn only when stderr is a terminal, so never in a file or a pipe. The total may come late
    (an import knows its rows once it has checked them): until then the bar pulses.
    """

    def __init__(self, label: str, total: Optional[int] = None, phases: tuple[str, ...] = ()):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TextColumn("{task.fields[rows]}"),
            TimeRemainingColumn(), console=Console(stderr=True), transient=True,
        )
        self.task = self.progress.add_task(label, total=total, rows="")
        self.phases = phases  # an import's work is its rows checked, then its rows written: two equal phases
        self.progress.start()

    def __call__(self, done: int, total: Optional[int] = None) -> None:
        if total is not None:
            self.progress.update(self.task, total=total)
        whole = self.progress.tasks[0].total
        if self.phases and whole:
            each = whole / len(self.phases)
            phase = min(int(done // each), len(self.phases) - 1) if done < whole else len(self.phases) - 1
            rows = f"{self.phases[phase]} {done - phase * each:,.0f} of {each:,.0f} rows"
        else:
            rows = f"{done:,} of {whole:,.0f} rows" if whole else f"{done:,} rows"
        self.progress.update(self.task, completed=done, rows=rows)
        self.progress.refresh()  # every call is drawn (one per 10,000 rows), not only those that meet rich's refresh timer

    def end(self) -> None:
        self.progress.stop()


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
    from ledger.io import layouts, ours
    from ledger.output import print_record

    fmt = output_format(fmt)
    state = settings(ctx)
    if _on_terminal():
        estimate = ours.estimate_rows(path)
        counter = _Bar(f"Importing {os.path.basename(path)}", 2 * estimate if estimate else None, phases=("checked", "written"))
    else:
        counter = None
    try:
        counts = layouts.import_file(state.ledger(), path, today=state.today, layout=layout, progress=counter, judgements=judgements)
    finally:
        if counter:
            counter.end()
    if fmt == "table":
        typer.echo(layouts.summary(path, counts))
    else:
        print_record(counts, fmt)


def export(
    ctx: typer.Context,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="csv (default), json, or jsonl (JSON Lines); with --output FILE.json or FILE.jsonl, that.")] = None,
    to: Annotated[str, typer.Option("--to", help="Whose layout: ledger (ours, the default) or fatebook (Fatebook's CSV, to take the forecasts there).")] = "ledger",
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
    write = exporter.writer_for(to, fmt, output)
    ledger = state.ledger()
    filters = dict(today=state.today, status=status, who=who, tag=tag, source=source)
    total = exporter.count_forecasts(ledger, **filters)
    rows = exporter.export_tuples(ledger, **filters)
    counter = _Bar("Exporting", total) if _on_terminal() else None
    try:
        if output is None:
            try:
                write(rows, sys.stdout, counter)
                sys.stdout.flush()
            except BrokenPipeError:
                _quiet_stdout()  # the reader stopped early (`| head`): that is not a failure
        else:
            with ours.atomic_file(output) as handle:
                write(rows, handle, counter)
    finally:
        rows.close()
        if counter:
            counter.end()
    if output is not None:
        typer.echo(f"Wrote {total:,} forecast{'' if total == 1 else 's'} to {output} ({exporter.layout_name(to, fmt, output)}).", err=True)
