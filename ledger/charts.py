"""Charts drawn with matplotlib (the optional extra `charts`), imported only when a chart is asked for."""

from datetime import date
from typing import Optional, Sequence

from ledger.errors import LedgerError

INSTALL_HINT = "pip install 'forecast-ledger[charts]'"
SMALLEST_MARKER = 40
LARGEST_MARKER = 600


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: never open a window, work without a display
        import matplotlib.pyplot as pyplot
    except ImportError:
        raise LedgerError(f"--png needs matplotlib, which is not installed: {INSTALL_HINT}") from None
    return pyplot


def calibration_title(who: Optional[str], as_of: Optional[date], count: int) -> str:
    whose = who if who else "all forecasters"
    when = f", as of {as_of.isoformat()}" if as_of else ""
    return f"Calibration: {whose} ({count} scored forecast{'' if count == 1 else 's'}{when})"


def calibration_chart(bins: Sequence[dict], path: str, *, title: str) -> None:
    """The diagonal, one marker per non-empty bin sized by its count, Wilson intervals as error bars.

    Not folded at 50 %: the x axis runs from 0 to 100 % so that 'no' forecasts keep their own side.
    """
    pyplot = _pyplot()
    from matplotlib.ticker import PercentFormatter

    filled = [row for row in bins if row["n"]]
    figure, axes = pyplot.subplots(figsize=(6.4, 6.4))
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfectly calibrated")
    for edge in sorted({row["lower"] for row in bins} | {1.0}):
        axes.axvline(edge, color="#eeeeee", linewidth=0.8, zorder=0)
    if filled:
        largest = max(row["n"] for row in filled)
        x = [row["mean_probability"] for row in filled]
        y = [row["observed"] for row in filled]
        below = [row["observed"] - row["ci_low"] for row in filled]
        above = [row["ci_high"] - row["observed"] for row in filled]
        axes.errorbar(x, y, yerr=[below, above], fmt="none", ecolor="#1f77b4", elinewidth=1.2, capsize=4,
                      label="95 % Wilson interval")
        sizes = [SMALLEST_MARKER + (LARGEST_MARKER - SMALLEST_MARKER) * row["n"] / largest for row in filled]
        axes.scatter(x, y, s=sizes, color="#1f77b4", alpha=0.75, edgecolors="white", zorder=3,
                     label="bin (area = number of forecasts)")
        for row, size in zip(filled, sizes):
            # A marker's size is its area in points²: the label starts just past its radius.
            axes.annotate(f"n={row['n']}", (row["mean_probability"], row["observed"]), textcoords="offset points",
                          xytext=(size**0.5 / 2 + 4, -3), fontsize=8, color="#333333")
    else:
        axes.text(0.5, 0.55, "no scored forecasts", ha="center", va="center", color="grey")
    axes.set_xlim(-0.04, 1.04)
    axes.set_ylim(-0.04, 1.06)
    axes.set_aspect("equal")
    axes.xaxis.set_major_formatter(PercentFormatter(1.0))
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_xlabel("Forecast probability (mean of the bin)")
    axes.set_ylabel("Observed frequency (share that happened)")
    axes.set_title(title, fontsize=10)
    legend = axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, fontsize=8, frameon=False)
    for handle in legend.legend_handles:
        if hasattr(handle, "set_sizes"):
            handle.set_sizes([SMALLEST_MARKER * 2])  # the legend's marker stands for any count
    try:
        figure.savefig(path, format="png", dpi=120, bbox_inches="tight")
    except OSError as error:
        raise LedgerError(f"cannot write the chart to {path!r} ({error.strerror or error}): give a writable file path") from None
    finally:
        pyplot.close(figure)


def draw_timeline(line: dict, path: str, *, today: date) -> None:
    """Each forecaster's probability as a step line over time; source dates marked, resolutions drawn.

    A scenario gets one panel per outcome, sharing the time axis; an open outcome's lines run to
    its last dated event, or to `today` when nothing is dated.
    """
    pyplot = _pyplot()
    import matplotlib.dates as mdates
    from matplotlib.ticker import PercentFormatter

    outcomes = line["outcomes"]
    figure, panels = pyplot.subplots(len(outcomes), 1, figsize=(9, 2.2 + 1.9 * len(outcomes)), sharex=True, squeeze=False)
    forecasters = sorted({point["forecaster"] for point in line["points"]})
    colours = {name: pyplot.get_cmap("tab10")(index % 10) for index, name in enumerate(forecasters)}
    every_day = [point["stated_on"] for point in line["points"]] + [r["resolved_on"] for r in line["resolutions"]]
    last_day = max(every_day) if every_day else today
    for panel, outcome in zip(panels[:, 0], outcomes):
        points = [point for point in line["points"] if point["outcome"] == outcome]
        resolution = next((r for r in line["resolutions"] if r["outcome"] == outcome), None)
        end = resolution["resolved_on"] if resolution else last_day
        for name in forecasters:
            own = [point for point in points if point["forecaster"] == name]
            if not own:
                continue
            days = [point["stated_on"] for point in own] + [end]
            values = [point["probability"] for point in own] + [own[-1]["probability"]]
            panel.step(days, values, where="post", color=colours[name], linewidth=2, label=name)
            panel.scatter(days[:-1], values[:-1], color=colours[name], s=25, zorder=3)
        for published in sorted({point["published_on"] for point in points if point["published_on"]}):
            panel.axvline(published, color="#999999", linestyle=":", linewidth=1)
            panel.annotate("source", (published, 0.02), xycoords=("data", "axes fraction"), fontsize=7, color="#666666",
                           ha="right", rotation=90)
        if resolution:
            happened = resolution["resolution"] == "yes"
            panel.axvline(resolution["resolved_on"], color="green" if happened else "firebrick", linewidth=1.5)
            panel.annotate(f"resolved {resolution['resolution']}", (resolution["resolved_on"], 0.5),
                           xycoords=("data", "axes fraction"), rotation=90, fontsize=8, ha="right", va="center",
                           color="green" if happened else "firebrick")
        if not points:
            panel.text(0.5, 0.5, "no forecasts on this outcome", transform=panel.transAxes, ha="center", va="center", color="grey")
        panel.set_ylim(-0.03, 1.03)
        panel.yaxis.set_major_formatter(PercentFormatter(1.0))
        panel.set_ylabel("probability")
        panel.set_title(outcome if len(outcomes) > 1 else "", fontsize=9, loc="left")
        panel.grid(axis="y", color="#eeeeee")
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=colours[name], linewidth=2, marker="o", markersize=4) for name in forecasters]
    panels[0, 0].legend(handles, forecasters, loc="upper left", fontsize=8, frameon=False, bbox_to_anchor=(1.01, 1.0))
    panels[-1, 0].xaxis.set_major_formatter(mdates.ConciseDateFormatter(mdates.AutoDateLocator()))
    panels[-1, 0].set_xlabel("date stated (each step is a dated forecast; dotted lines mark source dates)")
    figure.suptitle(f"Timeline: {line['title']}", fontsize=11)
    figure.tight_layout()
    figure.savefig(path, dpi=120, bbox_inches="tight")
    pyplot.close(figure)
