"""What a person sees at the prompt: tables fit the terminal, words stay whole, stored text cannot drive the terminal."""

import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import fcntl

import pytest
from wcwidth import wcswidth

from conftest import REPO, SEEDS, TODAY, LedgerCLI

SCREENS = [
    ["list"],
    ["show", "13"],
    ["report"],
    ["report", "--all-columns"],
    ["calibration"],
    ["scenario", "show", "Next Trump–Kim summit"],
    ["log"],
]
URL = re.compile(r"\S*://\S*")


@pytest.fixture(scope="module")
def seed_ledger(tmp_path_factory) -> LedgerCLI:
    ledger = LedgerCLI(str(tmp_path_factory.mktemp("seeds") / "forecasts.db"))
    ledger.ok("import", str(SEEDS / "forecasts.toml"))
    return ledger


def words_of(text: str) -> set[str]:
    return set(text.split())


def assert_fits(output: str, width: int) -> None:
    for line in output.splitlines():
        if wcswidth(line) > width:
            # Only a URL longer than the terminal may make a line too wide: it is never cut.
            assert any(len(url) > width // 2 for url in URL.findall(line)), f"{wcswidth(line)} > {width}: {line!r}"


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("screen", SCREENS, ids=" ".join)
def test_every_screen_fits_the_terminal_width(seed_ledger, monkeypatch, width, screen):
    monkeypatch.setenv("COLUMNS", str(width))
    assert_fits(seed_ledger.ok(*screen).stdout, width)


@pytest.mark.parametrize("width", [80, 120])
def test_no_word_or_url_is_split_when_tables_wrap(seed_ledger, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    shown = seed_ledger.json("show", "13")
    listed = seed_ledger.ok("list").stdout
    output = seed_ledger.ok("show", "13").stdout
    tokens = words_of(output) | words_of(listed)
    texts = [q["statement"] for q in seed_ledger.json("list")] + [f["quote"] for f in shown["forecasts"]]
    texts += [r["evidence"] or "" for r in shown["resolutions"]]
    for text in texts:
        for word in text.split():
            # A long hyphenated word may break after its hyphen ('Washington-/Pyongyang), as typeset text does.
            parts = re.split(r"(?<=[^\W\d]-)(?=[^\W\d])", word) if "://" not in word and len(word) > 12 else [word]
            assert word in tokens or all(part in tokens for part in parts), word


def test_piped_output_is_not_wrapped_to_a_width(seed_ledger, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    output = seed_ledger.ok("list").stdout
    for question in seed_ledger.json("list"):
        assert question["statement"] in output


def test_a_real_terminal_width_is_used_without_columns(tmp_path):
    """Through the installed command on a pseudo-terminal 80 columns wide, COLUMNS unset."""
    db = str(tmp_path / "forecasts.db")
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    env["PYTHONPATH"] = str(REPO)
    subprocess.run([sys.executable, "-m", "ledger", "--db", db, "--today", TODAY, "import", str(SEEDS / "forecasts.toml")],
                   check=True, capture_output=True, env=env)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 80, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "ledger", "--db", db, "--today", TODAY, "list"],
                               stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    output = b"".join(chunks).decode().replace("\r\n", "\n")
    assert process.returncode == 0, output
    assert "question_id" in output
    assert_fits(output, 80)
    assert max(wcswidth(line) for line in output.splitlines()) > 60  # it used the width, not a fixed wrap


HOSTILE = "Mallory\x1b]0;pwned\x07\x1b[2J\u202e"


def test_control_characters_in_stored_text_are_escaped_in_every_table(tmp_path, monkeypatch):
    """Text stored before names were checked, or free text such as quotes: tables show escapes, never the raw characters."""
    import sqlite3

    monkeypatch.setenv("COLUMNS", "120")
    db = tmp_path / "forecasts.db"
    ledger = LedgerCLI(str(db))
    rows = [{"question_id": 1, "statement": "A summit is held", "resolve_by": "2019-12-31", "forecaster": "Mallory",
             "probability": 0.3, "stated_on": "2019-04-13", "quote": "said \x1b]8;;http://evil\x07here"}]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(rows))
    ledger.ok("import", str(path))
    ledger.ok("resolve", "1", "no", "--on", "2020-01-01", "--note", "none\x1b[0m held")
    with sqlite3.connect(db) as connection:  # as an older version of the program could have stored it
        connection.execute("UPDATE forecaster SET name = ?", (HOSTILE,))
    for screen in (["list"], ["show", "1"], ["log"], ["report"], ["report", "--format", "github"]):
        output = ledger.ok(*screen).stdout
        assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output, screen
    shown = ledger.ok("show", "1").stdout
    assert "Mallory\\x1b]0;pwned\\x07" in shown and "none\\x1b[0m held" in shown
    assert ledger.json("show", "1")["forecasts"][0]["forecaster"] == HOSTILE  # JSON keeps the text exactly


@pytest.mark.parametrize("option", ["--who", "--tag"])
def test_control_characters_are_refused_in_names_statements_and_tags(tmp_path, option):
    ledger = LedgerCLI(str(tmp_path / "forecasts.db"))
    base = {"--who": "Hong Min", "--tag": "summit"}
    args = ["add", "A summit is held", "--by", "2030-01-01", "--prob", "0.3"]
    for name, value in base.items():
        args += [name, HOSTILE if name == option else value]
    result = ledger(*args)
    assert result.exit_code == 2 and "control character" in result.stderr and "U+001B" in result.stderr
    assert not (tmp_path / "forecasts.db").exists()
    result = ledger("add", "A summit\x1b[2J is held", "--by", "2030-01-01", "--prob", "0.3", "--who", "Hong Min")
    assert result.exit_code == 2 and "statement holds a control character" in result.stderr


def test_timestamps_are_shown_to_the_second(seed_ledger):
    output = seed_ledger.ok("show", "13").stdout
    recorded = re.search(r"recorded_at\s+(\S+ \S+)", output).group(1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00", recorded), recorded


def test_report_is_compact_by_default_with_columns_to_choose(seed_ledger, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    heading = seed_ledger.ok("report").stdout.splitlines()[1].split()
    assert heading == ["group", "n", "peer_score", "baseline_score", "time_averaged_brier", "coverage"]
    monkeypatch.setenv("COLUMNS", "300")
    assert "last_log_score" in seed_ledger.ok("report", "--all-columns").stdout.splitlines()[1].split()
    assert seed_ledger.ok("report", "--columns", "group,coverage").stdout.splitlines()[1].split() == ["group", "coverage"]
    assert seed_ledger.ok("report", "--format", "csv").stdout.startswith("group,n,questions,peer_score")  # machines get every column
    assert list(seed_ledger.json("report")[0]) == list(seed_ledger.json("report", "--all-columns")[0])
    refused = seed_ledger("report", "--columns", "group,brierr")
    assert refused.exit_code == 2 and "'brierr'" in refused.stderr and "time_averaged_brier" in refused.stderr
