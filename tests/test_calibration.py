"""`ledger calibration`: the bins, the Murphy decomposition and the chart, through the CLI."""

import sys

import numpy
import pytest
from sklearn.calibration import calibration_curve

from conftest import snapshot

BIN_KEYS = {"lower", "upper", "n", "mean_probability", "observed", "ci_low", "ci_high"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# (probability, happened) for one forecaster each; 15 % and 35 % sit on float bin edges.
ANN = [(0.15, False), (0.15, True), (0.35, False), (0.62, True), (0.62, True), (0.9, True), (0.05, False)]
BEN = [(0.8, False), (0.45, True), (0.35, True)]


@pytest.fixture
def calibrated(cli):
    question = 0
    for who, forecasts in (("Ann", ANN), ("Ben", BEN)):
        for probability, happened in forecasts:
            question += 1
            cli.ok("add", f"Event {question}", "--by", "2022-12-31", "--who", who, "--prob", str(probability), "--stated", "2022-01-01")
            cli.ok("resolve", str(question), "yes" if happened else "no", "--on", "2022-06-30")
    # An earlier view of Ann's on question 1, superseded by her 15 %: only the last before resolution counts.
    cli.ok("forecast", "1", "--who", "Ann", "--prob", "0.99", "--stated", "2021-12-01")
    return cli


def test_calibration_json_is_one_object_per_bin(calibrated):
    bins = calibrated.json("calibration")
    assert len(bins) == 10
    assert all(set(row) == BIN_KEYS for row in bins)
    assert [row["lower"] for row in bins] == pytest.approx([k / 10 for k in range(10)])
    assert bins[-1]["upper"] == 1.0
    assert sum(row["n"] for row in bins) == len(ANN) + len(BEN)
    # 15 % and 35 % are counted, in the bins 10–20 % and 30–40 %.
    assert bins[1]["n"] == 2 and bins[1]["observed"] == pytest.approx(0.5)
    assert bins[3]["n"] == 2 and bins[3]["mean_probability"] == pytest.approx(0.35)
    assert bins[2]["n"] == 0 and bins[2]["observed"] is None and bins[2]["ci_low"] is None
    filled = [row for row in bins if row["n"]]
    assert all(row["ci_low"] <= row["observed"] <= row["ci_high"] for row in filled)


def test_calibration_agrees_with_scikit_learn(calibrated):
    pairs = ANN + BEN
    outcomes = numpy.array([int(happened) for _, happened in pairs])
    # Nudged off the edges that float binning mishandles, so both sides bin alike.
    probabilities = numpy.array([probability + 1e-9 for probability, _ in pairs])
    observed, predicted = calibration_curve(outcomes, probabilities, n_bins=5, strategy="uniform")
    filled = [row for row in calibrated.json("calibration", "--bins", "5") if row["n"]]
    assert [row["observed"] for row in filled] == pytest.approx(list(observed))
    assert [row["mean_probability"] for row in filled] == pytest.approx(list(predicted), abs=1e-8)


def test_decomposition_matches_the_report_brier(calibrated):
    decomposition = calibrated.json("calibration", "--decomposition")
    assert set(decomposition) == {"reliability", "resolution", "uncertainty", "brier", "n"}
    (everything,) = calibrated.json("report", "--by", "none")
    assert decomposition["n"] == everything["n"] == 10
    assert decomposition["brier"] == pytest.approx(everything["last_brier"])
    base_rate = sum(happened for _, happened in ANN + BEN) / 10
    assert decomposition["uncertainty"] == pytest.approx(base_rate * (1 - base_rate))
    # With 100 bins every distinct forecast has its own bin, and the identity is exact.
    exact = calibrated.json("calibration", "--decomposition", "--bins", "100")
    assert exact["reliability"] - exact["resolution"] + exact["uncertainty"] == pytest.approx(exact["brier"])


def test_who_and_as_of_narrow_the_calibration(calibrated):
    ann = calibrated.json("calibration", "--who", "ann")
    assert sum(row["n"] for row in ann) == len(ANN)
    assert sum(row["n"] for row in calibrated.json("calibration", "--as-of", "2022-06-29")) == 0
    assert calibrated.json("calibration", "--as-of", "2022-06-29", "--decomposition")["n"] == 0


def test_table_shows_the_bins_then_the_decomposition(calibrated):
    text = calibrated.ok("calibration", "--bins", "4").stdout
    assert text.splitlines()[0].startswith("Calibration")
    assert text.splitlines()[1].split() == ["lower", "upper", "n", "mean_probability", "observed", "ci_low", "ci_high"]
    assert "Murphy decomposition" in text
    assert "reliability" in text and "resolution" in text and "uncertainty" in text
    assert text.index("ci_high") < text.index("Murphy decomposition")


def test_png_is_written(calibrated, tmp_path):
    chart = tmp_path / "cal.png"
    result = calibrated.ok("calibration", "--png", str(chart), "--format", "json")
    assert len(result.json()) == 10  # stdout still holds the JSON alone
    data = chart.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000


def test_png_of_an_empty_ledger_is_still_a_chart(cli, tmp_path):
    chart = tmp_path / "empty.png"
    cli.ok("db", "upgrade")  # an empty ledger
    cli.ok("calibration", "--png", str(chart))
    assert chart.read_bytes().startswith(PNG_SIGNATURE)


def test_png_without_matplotlib_says_how_to_install_it(calibrated, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    result = calibrated("calibration", "--png", str(tmp_path / "cal.png"))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["Error: --png needs matplotlib, which is not installed: pip install 'forecast-ledger[charts]'"]
    assert not (tmp_path / "cal.png").exists()


BAD_CALIBRATIONS = {
    "no bins": (["calibration", "--bins", "0"], "1 to 100"),
    "too many bins": (["calibration", "--bins", "101"], "1 to 100"),
    "bins not a number": (["calibration", "--bins", "ten"], "--bins"),
    "unknown forecaster": (["calibration", "--who", "Nobody"], "no forecaster named"),
    "unreadable from": (["calibration", "--from", "last spring"], "YYYY-MM-DD"),
    "unwritable chart": (["calibration", "--png", "/no/such/folder/cal.png"], "writable file path"),
}


@pytest.mark.parametrize("case", sorted(BAD_CALIBRATIONS))
def test_bad_calibration_options_are_refused_in_one_line(calibrated, db_url, case):
    args, hint = BAD_CALIBRATIONS[case]
    before = snapshot(db_url)
    result = calibrated(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and hint.lower() in lines[0].lower()
    assert snapshot(db_url) == before
