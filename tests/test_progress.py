"""Import's and export's progress bar, drawn through a real pseudo-terminal on stderr, and never into a pipe or the file."""

import os
import pty
import re
import subprocess
import sys

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
HEADER = "statement,resolve_by,forecaster,probability,stated_on\n"


def run_with_terminal_stderr(*args, cwd):
    main, secondary = pty.openpty()
    environment = {**os.environ, "COLUMNS": "120"}
    process = subprocess.Popen([sys.executable, "-m", "ledger", *args], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=secondary, stdin=subprocess.DEVNULL, env=environment)
    os.close(secondary)
    drawn = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    stdout = process.stdout.read().decode()
    process.wait()
    os.close(main)
    return process.returncode, stdout, ANSI.sub("", drawn.decode(errors="replace")).replace("\r", "\n")


def test_one_import_bar_with_total_percentage_and_rows_then_one_summary_line(tmp_path):
    rows = "".join(f"Question {n},2027-01-01,A,0.3,2026-01-01\n" for n in range(25_000))
    (tmp_path / "forecasts.csv").write_text(HEADER + rows, encoding="utf-8")
    code, stdout, drawn = run_with_terminal_stderr("--db", "l.db", "--today", "2026-11-23", "import", "forecasts.csv", cwd=tmp_path)
    assert code == 0, drawn
    assert stdout.strip().splitlines() == [
        "Imported forecasts.csv, 25,000 rows: added 25,000 questions, 25,000 forecasts, 0 resolutions, 1 forecaster, 0 sources, 0 scenarios; 0 already in the ledger."
    ]
    labels = {line.split(" ")[0] + " " + line.split(" ")[1] for line in drawn.splitlines() if line.startswith("Importing")}
    assert labels == {"Importing forecasts.csv"}  # one bar, one label, for checking and writing
    assert "checked 10,000 of 25,000 rows" in drawn and "written 20,000 of 25,000 rows" in drawn and "100%" in drawn
    assert "rowss" not in drawn


def test_export_bar_on_a_terminal_and_never_in_the_file(tmp_path):
    rows = "".join(f"Question {n},2027-01-01,A,0.3,2026-01-01\n" for n in range(12_000))
    (tmp_path / "forecasts.csv").write_text(HEADER + rows, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ledger", "--db", "l.db", "--today", "2026-11-23", "import", "forecasts.csv"], cwd=tmp_path, check=True, capture_output=True)
    code, stdout, drawn = run_with_terminal_stderr("--db", "l.db", "--today", "2026-11-23", "export", "-o", "out.csv", cwd=tmp_path)
    assert code == 0 and stdout == ""
    assert "Exporting" in drawn and "10,000 of 12,000 rows" in drawn and "Wrote 12,000 forecasts to out.csv (CSV)." in drawn
    assert "Exporting" not in (tmp_path / "out.csv").read_text(encoding="utf-8")
