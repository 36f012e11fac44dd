"""The charts people trust: what issue 18 found wrong with them, each checked on the drawing itself."""

from datetime import date

import pytest

from ledger import consensus

pytest.importorskip("matplotlib", reason="the charts need matplotlib: pip install 'forecast-ledger[charts]'")

from matplotlib.colors import to_hex  # noqa: E402

from ledger import charts  # noqa: E402

DAY = date(2026, 11, 23)


def bins_with(counts: dict) -> list[dict]:
    """Ten calibration bins, the given ones filled (observed = mean probability, a one-point interval)."""
    rows = []
    for index in range(10):
        lower = index / 10
        n = counts.get(index, 0)
        middle = lower + 0.05
        rows.append({"lower": lower, "upper": lower + 0.1, "n": n, "mean_probability": middle if n else None,
                     "observed": middle if n else None, "ci_low": max(0.0, middle - 0.1) if n else None,
                     "ci_high": min(1.0, middle + 0.1) if n else None})
    return rows


def line(points, outcomes=("it happens",), resolutions=()):
    return {"title": "Test", "outcomes": list(outcomes), "resolutions": list(resolutions), "points": [
        {"stated_on": day, "forecaster": who, "outcome": outcome, "probability": probability, "cue": None,
         "source": "A long article title that goes on and on about summits", "published_on": day}
        for day, who, outcome, probability in points
    ]}


def test_no_forecaster_is_drawn_in_the_resolved_yes_or_no_colours():
    palette = {to_hex(colour) for colour in charts.FORECASTER_COLOURS}
    assert to_hex(charts.YES_COLOUR) not in palette and to_hex(charts.NO_COLOUR) not in palette
    many = [(DAY.replace(day=1 + index), f"F{index:02d}", "it happens", 0.3) for index in range(12)]
    figure = charts.timeline_figure(line(many, resolutions=[{"outcome": "it happens", "resolution": "no", "resolved_on": DAY}]), today=DAY)
    drawn = {to_hex(collection.get_facecolor()[0]) for collection in figure.axes[0].collections}
    assert to_hex(charts.NO_COLOUR) not in drawn and to_hex(charts.YES_COLOUR) not in drawn


def test_equal_probabilities_are_drawn_apart():
    points = [(date(2026, 1, 1), "A", "it happens", 0.4), (date(2026, 1, 1), "B", "it happens", 0.4),
              (date(2026, 2, 1), "C", "it happens", 0.7)]
    offsets = charts.spread_offsets(line(points))
    assert offsets[("it happens", "A")] != offsets[("it happens", "B")]
    assert ("it happens", "C") not in offsets
    figure = charts.timeline_figure(line(points), today=DAY)
    heights = sorted({round(float(y), 6) for collection in figure.axes[0].collections for _, y in collection.get_offsets()})
    assert len(heights) == 3, heights  # A and B no longer on top of each other


def test_outcomes_nobody_forecast_get_no_empty_panel_but_are_named():
    points = [(date(2026, 1, 1), "A", "soon", 0.6)]
    figure = charts.timeline_figure(line(points, outcomes=("soon", "later", "never")), today=DAY)
    assert len(figure.axes) == 1
    assert "nobody forecast: later; never" in figure.axes[0].get_xlabel()


def test_calibration_marker_area_is_proportional_to_the_count():
    assert charts.marker_areas([1, 2, 8]) == [charts.LARGEST_MARKER / 8, charts.LARGEST_MARKER / 4, charts.LARGEST_MARKER]
    figure = charts.calibration_figure(bins_with({2: 5, 7: 20}), title="t")
    scatter = [collection for collection in figure.axes[0].collections if len(collection.get_offsets())][-1]
    small, large = scatter.get_sizes()
    assert large / small == pytest.approx(4.0)


def test_a_count_histogram_under_the_chart_carries_the_count_labels():
    figure = charts.calibration_figure(bins_with({0: 3, 9: 4}), title="t")
    calibration_axes, histogram = figure.axes
    assert [round(bar.get_height()) for bar in histogram.patches] == [3, 0, 0, 0, 0, 0, 0, 0, 0, 4]
    assert sorted(text.get_text() for text in histogram.texts) == ["3", "4"]
    # Near 0 % and 100 % the labels no longer crowd the markers: none is drawn beside them.
    assert not [text for text in calibration_axes.texts if text.get_text().startswith("n=")]


def test_source_labels_are_readable_and_name_the_source():
    figure = charts.timeline_figure(line([(date(2026, 1, 1), "A", "it happens", 0.6)]), today=DAY)
    labels = [text for text in figure.axes[0].texts if text.get_text().startswith("A long article")]
    assert labels and all(text.get_fontsize() >= 9 for text in labels)


def test_text_from_the_ledger_is_drawn_as_written():
    assert charts.plain_text("costs $5 or $6") == r"costs \$5 or \$6"
    hostile = 'Mr $x$ --><script>alert(1)</script><!--'
    svg = charts.svg_text(charts.timeline_figure(line([(date(2026, 1, 1), hostile, "it happens", 0.6)]), today=DAY), "test")
    from xml.etree import ElementTree

    root = ElementTree.fromstring(svg)  # well-formed: the name did not break out of matplotlib's comments
    tags = {element.tag.split("}")[-1] for element in root.iter()}
    assert "script" not in tags and "<script" not in svg


def test_png_and_svg_come_from_the_same_drawing(tmp_path):
    bins = bins_with({4: 2})
    charts.calibration_chart(bins, str(tmp_path / "c.png"), title="t")
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in charts.svg_text(charts.calibration_figure(bins, title="t"), "c")


def test_the_consensus_is_the_geometric_mean_of_the_odds_of_the_standing_forecasts():
    points = line([(date(2026, 1, 1), "A", "it happens", 0.2), (date(2026, 2, 1), "B", "it happens", 0.6),
                   (date(2026, 3, 1), "C", "it happens", 0.7), (date(2026, 4, 1), "A", "it happens", 0.9)])["points"]
    expected = [consensus.aggregate([0.2, 0.6]), consensus.aggregate([0.2, 0.6, 0.7]), consensus.aggregate([0.9, 0.6, 0.7])]
    assert charts.consensus_steps(points) == [(day, pytest.approx(value)) for day, value in zip([date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)], expected)]
    figure = charts.timeline_figure(line([(p["stated_on"], p["forecaster"], p["outcome"], p["probability"]) for p in points]), today=DAY)
    assert "consensus (geometric mean of odds)" in [text.get_text() for text in figure.axes[0].get_legend().get_texts()]


def sighted(points, outcomes):
    """A scenario's line with a uniform prior moved by one sighting seen and one not seen."""
    drawn = line(points, outcomes=outcomes)
    drawn["implied"] = {"prior": "uniform", "prior_vector": [0.5, 0.5], "path": [
        {"on": date(2026, 2, 1), "event": "seen: talks", "probabilities": [0.8, 0.2]},
        {"on": date(2026, 3, 1), "event": "not seen: a visit", "probabilities": [0.6, 0.4]},
    ]}
    drawn["sightings"] = [{"on": date(2026, 2, 1), "seen": True}, {"on": date(2026, 3, 1), "seen": False}]
    return drawn


def test_the_indicators_are_their_own_line_with_each_sighting_starred():
    figure = charts.timeline_figure(sighted([(date(2026, 1, 1), "A", "soon", 0.6)], ("soon", "later")), today=DAY)
    assert len(figure.axes) == 2  # "later", which nobody forecast, has a panel for the indicators' line
    for axes, expected in zip(figure.axes, ([0.5, 0.8, 0.6, 0.6], [0.5, 0.2, 0.4, 0.4])):
        lines = [drawn for drawn in axes.get_lines() if to_hex(drawn.get_color()) == charts.INDICATORS_COLOUR]
        assert len(lines) == 1 and lines[0].get_linestyle() != "-"
        # from the prior on the chart's first day, through each sighting, held to today
        days, values = lines[0].get_data()
        assert list(values) == pytest.approx(expected) and days[0] == date(2026, 1, 1) and days[-1] == DAY
        stars = [c for c in axes.collections if to_hex(c.get_edgecolor()[0]) == charts.INDICATORS_COLOUR]
        assert [tuple(c.get_offsets()[0])[1] for c in stars] == pytest.approx(expected[1:3])
        assert [to_hex(c.get_facecolor()[0]) for c in stars] == [charts.INDICATORS_COLOUR, "#ffffff"]  # seen, not seen
    names = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert "indicators (implied by the sightings,\nuniform prior)" in names
    assert {"sighting: seen", "sighting: not seen by then"} <= set(names)


def test_no_indicators_line_before_anything_is_sighted():
    unsighted = dict(sighted([(date(2026, 1, 1), "A", "soon", 0.6)], ("soon", "later")), sightings=[])
    figure = charts.timeline_figure(unsighted, today=DAY)
    assert len(figure.axes) == 1
    assert not [drawn for drawn in figure.axes[0].get_lines() if to_hex(drawn.get_color()) == charts.INDICATORS_COLOUR]
