"""Charts drawn with matplotlib (the optional extra `charts`), imported only when a chart is asked for.

One drawing per chart: `calibration_figure` and `timeline_figure` build a figure, which
`save_png` writes for `--png` and `svg_text` gives as inline SVG for `ledger site`.
"""

import io
from datetime import date
from typing import Optional, Sequence

from ledger.errors import LedgerError

INSTALL_HINT = "pip install 'forecast-ledger[charts]'"
LARGEST_MARKER = 900  # points², for the fullest bin: every other bin's area is in proportion to its count
YES_COLOUR, NO_COLOUR = "#1a7f37", "#b42318"  # "resolved yes/no": no forecaster is drawn in these
CALIBRATION_COLOUR = "#1f5fa8"
# Okabe and Ito's colour-blind-safe palette without its green and vermillion (which read as
# "resolved yes/no"), then dark neutrals; markers differ too, so colour is never the only cue.
FORECASTER_COLOURS = ("#0072b2", "#e69f00", "#cc79a7", "#56b4e9", "#6a3d9a", "#8c564b", "#000000", "#7f7f7f", "#bcbd22", "#17becf")
FORECASTER_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "h")
# Forecasters giving an outcome the same probability on overlapping days are drawn this far apart
# (as a share of the axis), so that no line hides another; the tooltip-free PNG needs it most.
SPREAD = 0.012
# The indicators' line is no forecaster: its own colour (outside the palette above) and a dash-dot line;
# sightings are stars on it, filled when the indicator was seen, hollow when it had not been seen by then.
INDICATORS_COLOUR = "#3b2a80"
INDICATORS_DASHES = (0, (5, 2, 1, 2))
SIGHTING_MARKER = "*"
LABEL_SIZE = 9
SOURCE_LABEL_CHARACTERS = 40
SOURCE_LABEL_ROWS = 4
MOST_SOURCE_LABELS = 8


def require(what: str) -> None:
    """Refuse early, naming what asked for a chart, when matplotlib is missing."""
    try:
        import matplotlib.figure  # noqa: F401
    except ImportError:
        raise LedgerError(f"{what} needs matplotlib, which is not installed: {INSTALL_HINT}") from None


def _figure_class():
    require("a chart")
    from matplotlib.figure import Figure

    return Figure


def plain_text(text) -> str:
    """Text from the ledger as matplotlib should draw it: a '$' in a quote or a name is a dollar sign, not mathtext."""
    return str(text).replace("\\", "\\\\").replace("$", r"\$")


def save_png(figure, path: str) -> None:
    try:
        figure.savefig(path, format="png", dpi=120, bbox_inches="tight")
    except OSError as error:
        raise LedgerError(f"cannot write the chart to {path!r} ({error.strerror or error}): give a writable file path") from None


def svg_text(figure, chart_id: str) -> str:
    """The figure as an <svg> element for an HTML page: text as paths (no fonts needed), ids unique to the chart."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": chart_id}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def calibration_title(who: Optional[str], as_of: Optional[date], count: int) -> str:
    whose = who if who else "all forecasters"
    when = f", as of {as_of.isoformat()}" if as_of else ""
    return f"Calibration: {whose} ({count} scored forecast{'' if count == 1 else 's'}{when})"


def marker_areas(counts: Sequence[int]) -> list[float]:
    """Marker areas in points², proportional to the counts (the fullest bin gets LARGEST_MARKER)."""
    largest = max(counts, default=0)
    return [LARGEST_MARKER * count / largest if largest else 0.0 for count in counts]


def calibration_figure(bins: Sequence[dict], *, title: str):
    """The diagonal, one marker per non-empty bin (area proportional to its count), Wilson intervals as
    error bars, and under it a histogram of the counts per bin, labelled there rather than beside markers
    that crowd together near 0 % and 100 %.

    Not folded at 50 %: the x axis runs from 0 to 100 % so that 'no' forecasts keep their own side.
    """
    from matplotlib.ticker import PercentFormatter

    figure = _figure_class()(figsize=(6.4, 8.2))
    axes, histogram = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [4, 1.1], "hspace": 0.08})
    filled = [row for row in bins if row["n"]]
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfectly calibrated")
    edges = sorted({row["lower"] for row in bins} | {1.0})
    for edge in edges:
        axes.axvline(edge, color="#eeeeee", linewidth=0.8, zorder=0)
    if filled:
        x = [row["mean_probability"] for row in filled]
        y = [row["observed"] for row in filled]
        # Clamped: a bin that is all yes or all no can put its interval's end a rounding error past the point.
        below = [max(0.0, row["observed"] - row["ci_low"]) for row in filled]
        above = [max(0.0, row["ci_high"] - row["observed"]) for row in filled]
        axes.errorbar(x, y, yerr=[below, above], fmt="none", ecolor="#0b2e5c", elinewidth=1.4, capsize=4,
                      zorder=4, label="95 % Wilson interval")  # over the markers, which can be wider than the interval
        areas = marker_areas([row["n"] for row in filled])
        axes.scatter(x, y, s=areas, color=CALIBRATION_COLOUR, alpha=0.5, edgecolors="white", zorder=3)
        largest = max(row["n"] for row in filled)
        for count in sorted({largest, max(1, largest // 4)}, reverse=True):
            # Legend markers at true scale for named counts: the reader can compare areas.
            axes.scatter([], [], s=LARGEST_MARKER * count / largest, color=CALIBRATION_COLOUR, alpha=0.5,
                         edgecolors="white", label=f"bin of {count:,} forecast{'s' if count != 1 else ''}")
    else:
        axes.text(0.5, 0.55, "no scored forecasts", ha="center", va="center", color="grey")
    axes.set_xlim(-0.04, 1.04)
    axes.set_ylim(-0.04, 1.06)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_ylabel("Observed frequency (share that happened)")
    axes.set_title(plain_text(title), fontsize=10)
    axes.legend(loc="upper left", fontsize=8, frameon=False, labelspacing=1.4, borderpad=1.0)
    widths = [row["upper"] - row["lower"] for row in bins]
    counts = [row["n"] for row in bins]
    histogram.bar([row["lower"] for row in bins], counts, width=widths, align="edge", color="#c9d7ea", edgecolor="white")
    top = max(counts, default=0)
    for row in bins:
        if row["n"]:
            histogram.annotate(f"{row['n']:,}", ((row["lower"] + row["upper"]) / 2, row["n"]), textcoords="offset points",
                               xytext=(0, 2), ha="center", va="bottom", fontsize=8, color="#333333")
    histogram.set_ylim(0, top * 1.35 if top else 1)
    histogram.set_yticks([])
    histogram.set_ylabel("forecasts", fontsize=8)
    histogram.xaxis.set_major_formatter(PercentFormatter(1.0))
    histogram.set_xlabel("Forecast probability (markers at the mean of the bin; bars: forecasts per bin)")
    for side in ("top", "right", "left"):
        histogram.spines[side].set_visible(False)
    return figure


def calibration_chart(bins: Sequence[dict], path: str, *, title: str) -> None:
    require("--png")
    save_png(calibration_figure(bins, title=title), path)


def spread_offsets(line: dict) -> dict[tuple[str, str], float]:
    """A small vertical offset per (outcome, forecaster) where two forecasters ever give an outcome the same
    probability, so equal lines are drawn side by side; (outcome, forecaster) pairs with nobody equal stay put."""
    offsets: dict[tuple[str, str], float] = {}
    for outcome in line["outcomes"]:
        given: dict[float, set] = {}
        for point in line["points"]:
            if point["outcome"] == outcome:
                given.setdefault(point["probability"], set()).add(point["forecaster"])
        crowded = sorted({name for names in given.values() if len(names) > 1 for name in names})
        for position, name in enumerate(crowded):
            offsets[(outcome, name)] = (position - (len(crowded) - 1) / 2) * SPREAD
    return offsets


def consensus_steps(points: Sequence[dict]) -> list[tuple[date, float]]:
    """(day, consensus) at each day a forecast on the outcome was stated, once two or more forecasters stand."""
    from ledger import consensus

    standing: dict[str, float] = {}
    steps: list[tuple[date, float]] = []
    for day in sorted({point["stated_on"] for point in points}):
        for point in points:
            if point["stated_on"] == day:
                standing[point["forecaster"]] = point["probability"]
        if len(standing) > 1:
            steps.append((day, consensus.aggregate(list(standing.values()))))
    return steps


def consensus_line(panel, points: Sequence[dict], end: date) -> None:
    steps = consensus_steps(points)
    if steps:
        days = [day for day, _ in steps] + [end]
        values = [value for _, value in steps] + [steps[-1][1]]
        panel.step(days, values, where="post", color="#444444", linewidth=3.5, alpha=0.35, zorder=1, solid_capstyle="butt")


def implied_steps(line: dict, position: int, start: date, end: date) -> list[tuple[date, float]]:
    """(day, implied probability of one outcome) from the prior, standing from `start` (or the first event, if
    earlier), through each event dated on or before `end`, then held to `end`; none when nothing was sighted."""
    implied = line.get("implied")
    if not implied or not line.get("sightings") or not implied["path"]:
        return []
    path = [row for row in implied["path"] if row["on"] <= end]
    if not path:
        return []
    steps = [(min(start, path[0]["on"]), implied["prior_vector"][position])]
    steps += [(row["on"], row["probabilities"][position]) for row in path]
    return steps + [(end, steps[-1][1])]


def sighting_marks(line: dict, position: int, end: date) -> list[tuple[date, float, bool]]:
    """(day, implied probability of one outcome after that day's events, seen) for each sighting on or before `end`."""
    from ledger import indicators

    implied = line.get("implied")
    if not implied:
        return []
    return [(row["on"], indicators.standing(implied["path"], row["on"], implied["prior_vector"])[position], row["seen"])
            for row in line.get("sightings", ()) if row["on"] <= end]


def indicators_line(panel, line: dict, position: int, start: date, end: date) -> None:
    """The indicator-implied probability of one outcome as its own step line, a star at each sighting."""
    steps = implied_steps(line, position, start, end)
    if not steps:
        return
    panel.step([day for day, _ in steps], [value for _, value in steps], where="post", color=INDICATORS_COLOUR,
               linewidth=2.2, linestyle=INDICATORS_DASHES, zorder=2)
    for day, value, seen in sighting_marks(line, position, end):
        panel.scatter([day], [value], marker=SIGHTING_MARKER, s=150, zorder=4, linewidths=1.3, edgecolors=INDICATORS_COLOUR,
                      facecolors=INDICATORS_COLOUR if seen else "white")


def timeline_figure(line: dict, *, today: date):
    """Each forecaster's probability as a step line over time; sources marked by name, resolutions drawn.

    A scenario gets one panel per outcome somebody forecast, sharing the time axis (the outcomes nobody
    forecast are named under the chart); an open outcome's lines run to `today` (they still stand), or to
    its last dated event when that is later. Once a scenario's indicators have been sighted, every outcome gets a
    panel, with the vector the sightings imply drawn as its own line ("indicators") and a star at each
    sighting.
    """
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D
    from matplotlib.ticker import PercentFormatter

    forecast = [outcome for outcome in line["outcomes"] if any(p["outcome"] == outcome for p in line["points"])]
    unforecast = [outcome for outcome in line["outcomes"] if outcome not in forecast]
    sighted = bool(line.get("implied") and line.get("sightings"))
    shown = line["outcomes"] if sighted else forecast or line["outcomes"][:1]
    figure = _figure_class()(figsize=(9, 2.4 + (2.1 if len(shown) < 4 else 1.7) * len(shown)))
    panels = figure.subplots(len(shown), 1, sharex=True, squeeze=False)[:, 0]
    forecasters = sorted({point["forecaster"] for point in line["points"]}, key=str.casefold)
    styles = {name: (FORECASTER_COLOURS[index % len(FORECASTER_COLOURS)], FORECASTER_MARKERS[index % len(FORECASTER_MARKERS)])
              for index, name in enumerate(forecasters)}
    offsets = spread_offsets(line)
    every_day = [point["stated_on"] for point in line["points"]] + [r["resolved_on"] for r in line["resolutions"]]
    if sighted:
        every_day += [row["on"] for row in line["implied"]["path"]]
    last_day = max(every_day + [today])
    first_day = min(every_day) if every_day else today
    for panel, outcome in zip(panels, shown):
        points = [point for point in line["points"] if point["outcome"] == outcome]
        resolution = next((r for r in line["resolutions"] if r["outcome"] == outcome), None)
        end = resolution["resolved_on"] if resolution else last_day
        for name in forecasters:
            own = [point for point in points if point["forecaster"] == name]
            if not own:
                continue
            colour, marker = styles[name]
            shift = offsets.get((outcome, name), 0.0)
            days = [point["stated_on"] for point in own] + [end]
            values = [point["probability"] + shift for point in own] + [own[-1]["probability"] + shift]
            panel.step(days, values, where="post", color=colour, linewidth=2, alpha=0.9)
            panel.scatter(days[:-1], values[:-1], color=colour, marker=marker, s=36, zorder=3, edgecolors="white", linewidths=0.6)
        consensus_line(panel, points, end)
        if sighted:
            indicators_line(panel, line, line["outcomes"].index(outcome), first_day, end)
        titles_on: dict = {}
        for point in points:
            if point["published_on"]:
                titles_on.setdefault(point["published_on"], set()).add(point["source"] or "source")
        sources = sorted(titles_on.items())
        longest = SOURCE_LABEL_CHARACTERS if len(sources) <= 3 else SOURCE_LABEL_CHARACTERS * 3 // 5
        for number, (published, titles) in enumerate(sources):
            panel.axvline(published, color="#999999", linestyle=":", linewidth=1)
            if len(sources) > MOST_SOURCE_LABELS:
                continue  # too many to name legibly: the caption says how many
            late = first_day < published and (published - first_day) > (last_day - first_day) / 2  # label on the side with room
            title = sorted(titles)[0]
            label = title if len(title) <= longest else title[:longest - 1] + "…"
            if len(titles) > 1:
                label += f" (+{len(titles) - 1})"
            height = 0.97 - 0.08 * (number % SOURCE_LABEL_ROWS)  # staggered, so neighbouring sources' names do not overlap
            panel.annotate(plain_text(label), (published, height), xycoords=("data", "axes fraction"),
                           textcoords="offset points", xytext=(-3 if late else 3, 0), fontsize=LABEL_SIZE, color="#555555",
                           ha="right" if late else "left", va="top", bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
        if resolution:
            colour = YES_COLOUR if resolution["resolution"] == "yes" else NO_COLOUR
            panel.axvline(resolution["resolved_on"], color=colour, linewidth=2, linestyle=(0, (6, 2)))
            panel.annotate(f"resolved {resolution['resolution']}", (resolution["resolved_on"], 0.5),
                           xycoords=("data", "axes fraction"), rotation=90, fontsize=LABEL_SIZE, ha="right", va="center", color=colour)
        if not points:
            panel.text(0.5, 0.5, "no forecaster's forecast yet" if sighted else "no forecasts yet", transform=panel.transAxes,
                       ha="center", va="center", color="grey")
        panel.set_ylim(-0.04, 1.04)
        panel.yaxis.set_major_formatter(PercentFormatter(1.0))
        panel.set_ylabel("probability")
        panel.set_title(plain_text(outcome) if len(line["outcomes"]) > 1 else "", fontsize=10, loc="left")
        panel.grid(axis="y", color="#eeeeee")
    handles = [Line2D([], [], color=styles[name][0], marker=styles[name][1], linewidth=2, markersize=6) for name in forecasters]
    names = [plain_text(name) for name in forecasters]
    if any(consensus_steps([p for p in line["points"] if p["outcome"] == outcome]) for outcome in shown):
        handles.append(Line2D([], [], color="#444444", linewidth=3.5, alpha=0.35))
        names.append("consensus (geometric mean of odds)")
    if sighted:
        handles.append(Line2D([], [], color=INDICATORS_COLOUR, linewidth=2.2, linestyle=INDICATORS_DASHES))
        names.append(f"indicators (implied by the sightings,\n{line['implied']['prior']} prior)")
        for seen, name in ((True, "sighting: seen"), (False, "sighting: not seen by then")):
            if any(row["seen"] == seen for row in line["sightings"]):
                handles.append(Line2D([], [], linestyle="none", marker=SIGHTING_MARKER, markersize=11, markeredgewidth=1.3,
                                      color=INDICATORS_COLOUR, markerfacecolor=INDICATORS_COLOUR if seen else "white"))
                names.append(name)
    if handles:
        panels[0].legend(handles, names, loc="upper left", fontsize=LABEL_SIZE,
                         frameon=False, bbox_to_anchor=(1.01, 1.0))
    panels[-1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(mdates.AutoDateLocator()))
    sources_seen = len({point["published_on"] for point in line["points"] if point["published_on"]})
    caption = "date stated (each step is a dated forecast; dotted lines mark the sources' dates"
    if sources_seen > MOST_SOURCE_LABELS:
        caption += f", {sources_seen} sources"
    caption += "; equal probabilities drawn slightly apart)" if offsets else ")"
    if unforecast and not sighted:
        caption += "\nnobody forecast: " + "; ".join(plain_text(outcome) for outcome in unforecast)
    panels[-1].set_xlabel(caption, fontsize=LABEL_SIZE, labelpad=14)  # clear of the date formatter's year
    figure.suptitle(plain_text(f"Timeline: {line['title']}"), fontsize=11)
    figure.tight_layout()
    return figure


def draw_timeline(line: dict, path: str, *, today: date) -> None:
    require("--png")
    save_png(timeline_figure(line, today=today), path)
