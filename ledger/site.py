"""`ledger site DIR`: the report as self-contained HTML pages that open from disk and can be shared.

Every figure comes from the functions behind `ledger report` (reports.score_report, calibration,
scenario_scores, forecasters): this module only lays them out. Each number cell carries the exact
value in `data-value` (the page's sort key, and what the tests compare with `report --format json`).
Everything from the ledger is escaped; only http(s) URLs become links; a Content-Security-Policy
lets the one inline script run and nothing else, and nothing is loaded from the network.
"""

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any, Callable, Iterable, Optional, Sequence

from ledger.errors import LedgerError
from ledger.report_rows import ReportFilter
from ledger.store import Ledger

SCOREBOARD_COLUMNS = (
    "group", "n", "questions", "peer_score", "baseline_score", "time_averaged_brier", "coverage", "last_brier", "skill_vs_even",
)
CUE_COLUMNS = ("cue", "n", "happened", "rate", "ci_low", "ci_high", "mean_probability")
BIN_COLUMNS = ("lower", "upper", "n", "mean_probability", "observed", "ci_low", "ci_high")
SCENARIO_COLUMNS = ("forecaster", "brier", "log_score", "ordered_brier")
DUE_COLUMNS = ("question_id", "resolve_by", "statement", "forecasters")
HEADINGS = {
    "group": "forecaster", "peer_score": "peer score", "baseline_score": "baseline score",
    "time_averaged_brier": "time-averaged Brier", "last_brier": "last Brier", "last_log_score": "last log score",
    "skill_vs_even": "skill vs even odds", "mean_probability": "mean probability", "ci_low": "95 % low",
    "ci_high": "95 % high", "question_id": "#", "resolve_by": "resolve by", "stated_on": "stated",
    "log_score": "log score", "ordered_brier": "ordered Brier", "brier": "Brier",
}
CALIBRATION_BINS = 10
# A chart costs about half a second to draw: forecaster pages get one for the forecasters with the most
# scored forecasts, the rest the table alone (a 1,000-forecaster site would otherwise take ten minutes).
CHARTED_FORECASTERS = 60
# Latin letters that Unicode does not decompose into a base letter and an accent.
UNDECOMPOSED = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
                              "þ": "th", "Þ": "Th", "œ": "oe", "Œ": "OE", "ı": "i"})
LINKABLE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)

STYLE = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --band: #f6f8fa; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 72rem; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .2rem 0 .4rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid var(--rule); }
nav a { margin-right: 1rem; } a { color: var(--accent); }
.meta, .note { color: var(--muted); font-size: .9rem; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { padding: .35rem .5rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
td[data-key="resolve_by"], td[data-key$="_on"] { white-space: nowrap; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr { background: #fff; } tbody tr:nth-child(even) { background: var(--band); }
/* The first column (who, which cue) stays in view while a wide table scrolls sideways on a phone. */
tbody th, tbody td:first-child, thead th:first-child { position: sticky; left: 0; background: inherit; white-space: nowrap; }
thead tr { background: #fff; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; } th[aria-sort="descending"] button::after { content: " \\25BC"; }
blockquote { margin: .3rem 0; padding-left: .8rem; border-left: 3px solid var(--rule); font-style: italic; }
article.forecast { border-bottom: 1px solid var(--rule); padding: .6rem 0; break-inside: avoid; }
article.forecast h3 { font-size: 1rem; margin: 0 0 .2rem; } article.forecast p { margin: .2rem 0; }
dl { display: flex; flex-wrap: wrap; gap: .2rem 1.5rem; margin: .3rem 0 0; } dl div { display: flex; gap: .4rem; }
dt { color: var(--muted); } dd { margin: 0; }
figure { margin: 1rem 0; } figure svg { width: 100%; height: auto; max-width: 46rem; display: block; }
figcaption { color: var(--muted); font-size: .9rem; }
@media (max-width: 40rem) { body { padding: .6rem; font-size: 15px; } th, td { padding: .3rem; } }
@media print { nav, th button::after { display: none; } body { max-width: none; } a { color: inherit; }
               h2 { break-after: avoid; } tr, figure { break-inside: avoid; } .scroll { overflow: visible; } }
"""

# Sorting: a click on a column's button sorts the rows by data-value (numbers as numbers, empty last).
SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th button").forEach(function (button, column) {
    button.addEventListener("click", function () {
      var header = button.parentElement;
      var ascending = header.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      function key(row) {
        var cell = row.cells[column];
        var value = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
        return value;
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === "" || y === "") { return x === y ? 0 : (x === "" ? 1 : -1); }
        var nx = Number(x), ny = Number(y), order;
        order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""
SCRIPT_HASH = "sha256-" + __import__("base64").b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
POLICY = f"default-src 'none'; style-src 'unsafe-inline'; script-src '{SCRIPT_HASH}'; img-src data:"


@dataclass(frozen=True)
class SiteOptions:
    report_filter: ReportFilter
    period: Optional[str] = None
    today: Optional[date] = None  # the day the pages speak for: --as-of, else today


# ---- cells and tables ------------------------------------------------------------------------------


def number_text(value: Any) -> str:
    """How a number is shown: whole numbers as they are, others to three decimals (data-value keeps all of it)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.3f}"


def link(url: Optional[str], text: str) -> str:
    """A link only for http(s) URLs: anything else (javascript:, data:) is shown as text."""
    if url and LINKABLE.match(url.strip()):
        return f'<a href="{escape(url.strip(), quote=True)}" rel="noopener noreferrer">{escape(text)}</a>'
    return escape(text)


def cell(key: str, value: Any, render: Optional[Callable[[Any], str]] = None) -> str:
    if render is not None:
        return f'<td data-key="{key}">{render(value)}</td>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<td class="number" data-key="{key}" data-value="{value!r}">{number_text(value)}</td>'
    if value is None:
        return f'<td data-key="{key}" data-value=""></td>'
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(item) for item in value)
    return f'<td data-key="{key}">{escape(str(value))}</td>'


def table(table_id: str, rows: Sequence[dict], columns: Sequence[str], *, empty: str,
          renderers: Optional[dict] = None, row_key: Sequence[str] = ()) -> str:
    """A sortable table; `renderers` give HTML for a column's values (links, quotes), already escaped;
    each row is named by its `row_key` values joined with " | " (data-row, for tests and links)."""
    if not rows:
        return f'<p class="note" id="{table_id}">{escape(empty)}</p>'
    renderers = renderers or {}
    numeric = {name for name in columns if all(isinstance(row.get(name), (int, float, type(None))) for row in rows)
               and name not in renderers}
    head = "".join(
        f'<th scope="col"{" class=number" if name in numeric else ""}><button type="button">{escape(HEADINGS.get(name, name.replace("_", " ")))}</button></th>'
        for name in columns
    )
    body = []
    for row in rows:
        key = f' data-row="{escape(row_name(row, row_key), quote=True)}"' if row_key else ""
        body.append(f"<tr{key}>" + "".join(cell(name, row.get(name), renderers.get(name)) for name in columns) + "</tr>")
    return (f'<div class="scroll"><table class="sortable" id="{table_id}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def row_name(row: dict, keys: Sequence[str]) -> str:
    return " | ".join(str(row[key]) for key in keys)


def page(title: str, body: str, *, home: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n<body>"
        f'<nav><a href="{home}">Scoreboard</a></nav>{body}'
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


# ---- the pages -----------------------------------------------------------------------------------


def page_names(names: Iterable[str]) -> dict[str, str]:
    """A file name for each forecaster's page: ASCII, lower case, unique (a number added on a clash)."""
    files: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        ascii_name = unicodedata.normalize("NFKD", name.translate(UNDECOMPOSED)).encode("ascii", "ignore").decode("ascii")
        stem = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "forecaster"
        candidate, number = stem, 2
        while candidate in taken:
            candidate, number = f"{stem}-{number}", number + 1
        taken.add(candidate)
        files[name] = f"{candidate}.html"
    return files


def _filter_words(options: SiteOptions) -> str:
    report_filter = options.report_filter
    words = [f"as of {options.today.isoformat()}" if options.today else ""]
    if report_filter.who:
        words.append(f"forecaster {report_filter.who}")
    if report_filter.tag:
        words.append(f"tag {report_filter.tag}")
    if report_filter.resolved_from:
        words.append(f"resolved from {report_filter.resolved_from}")
    if report_filter.resolved_to:
        words.append(f"resolved to {report_filter.resolved_to}")
    if options.period:
        words.append(f"by {options.period}")
    return ", ".join(word for word in words if word)


def _quote(value: Optional[str]) -> str:
    return f"<blockquote>{escape(value)}</blockquote>" if value else ""


def _percent(probability: float) -> str:
    return f"{probability * 100:.0f} %" if round(probability * 100, 6) == round(probability * 100) else f"{probability * 100:.1f} %"


def forecast_card(row: dict) -> str:
    """One forecast: the claim, the quote, who said it where and when in which words, the outcome and the scores."""
    words = f"“{escape(row['cue'])}”, read as " if row["cue"] else ""
    source = link(row["source_url"], row["source"] or row["source_url"] or "") if (row["source"] or row["source_url"]) else "no source recorded"
    outlet = f" ({escape(row['outlet'])})" if row["outlet"] else ""
    said = (f'<p class="meta">Said on <span data-key="stated_on">{row["stated_on"].isoformat()}</span> in {source}{outlet}: '
            f'{words}<span class="number" data-key="probability" data-value="{row["probability"]!r}">{_percent(row["probability"])}</span>.</p>')
    if row["outcome"]:
        evidence = f" — {link(row['evidence'], 'evidence')}" if row["evidence"] and LINKABLE.match(row["evidence"].strip()) else (
            f" — {escape(row['evidence'])}" if row["evidence"] else "")
        note = f": {escape(row['note'])}" if row["note"] else ""
        outcome = (f'<p>Resolved <strong data-key="outcome">{escape(row["outcome"])}</strong> on {row["resolved_on"].isoformat()}'
                   f"{note}{evidence}</p>")
    else:
        outcome = f'<p class="meta">Open: resolves by {row["resolve_by"].isoformat()}.</p>'
    scores = [(key, row[key]) for key in ("brier", "log_score", "peer_score", "time_averaged_brier") if row[key] is not None]
    if row["counts"] is False:
        outcome += '<p class="note">Stated on or after the event\'s date: never counted.</p>'
    score_list = "".join(
        f'<div><dt>{escape(HEADINGS.get(key, key))}</dt><dd class="number" data-key="{key}" data-value="{value!r}">{number_text(value)}</dd></div>'
        for key, value in scores
    )
    scenario = f'<p class="meta">Scenario: {escape(row["scenario"])}</p>' if row["scenario"] else ""
    return (f'<article class="forecast" data-row="{row["forecast_id"]}"><h3>#{row["question_id"]} {escape(row["statement"])}</h3>'
            f"{scenario}{_quote(row['quote'])}{said}{outcome}"
            f'{"<dl>" + score_list + "</dl>" if score_list else ""}</article>')


def forecaster_html(page_data: dict, options: SiteOptions, chart_svg: Optional[str]) -> str:
    from ledger import charts

    name = page_data["forecaster"]
    summary = page_data["summary"]
    parts = [f"<h1>{escape(name)}</h1>", f'<p class="meta">{escape(_filter_words(options))}</p>', "<h2>Scores</h2>"]
    parts.append(table("summary", [summary] if summary else [], SCOREBOARD_COLUMNS, empty="No resolved forecasts yet.", row_key=("group",)))
    parts.append(f"<h2>Every forecast ({len(page_data['forecasts']):,})</h2>")
    parts.append("".join(forecast_card(row) for row in page_data["forecasts"]) or '<p class="note">No forecasts.</p>')
    parts.append("<h2>What their words meant</h2>")
    parts.append(table("cues", page_data["cues"], CUE_COLUMNS, empty="No resolved forecasts made with words.", row_key=("cue",)))
    parts.append("<h2>Calibration</h2>")
    bins = [row for row in page_data["calibration"].bins if row["n"]]
    if chart_svg:
        parts.append(figure(chart_svg, charts.calibration_title(name, options.today, page_data["calibration"].decomposition["n"])))
    elif bins:
        parts.append(f'<p class="note">The chart is drawn for the {CHARTED_FORECASTERS} forecasters with the most scored forecasts; '
                     "the table has the same figures.</p>")
    parts.append(table("calibration", bins, BIN_COLUMNS, empty="No scored forecasts.", row_key=("lower",)))
    return page(f"{name}: forecasts and scores", "".join(parts), home="../index.html")


def _scenario_sections(scenarios: list[dict], options: SiteOptions, charts_module) -> str:
    parts = []
    for number, scenario in enumerate(scenarios, start=1):
        parts.append(f"<h3>{escape(scenario['name'])}</h3>")
        if scenario["happened"]:
            parts.append(f'<p class="meta">Happened: {escape(scenario["happened"])}</p>')
        svg = charts_module.svg_text(charts_module.timeline_figure(scenario["line"], today=options.today or date.today()),
                                     f"timeline{number}")
        parts.append(figure(svg, f"Each forecaster's probability for each outcome over time, {_filter_words(options)}."))
        parts.append(table(f"scenario{number}", scenario["scores"], SCENARIO_COLUMNS,
                           empty="Not settled yet: no scores.", row_key=("forecaster",)))
    return "".join(parts) or '<p class="note">No scenarios.</p>'


def index_html(data: dict, options: SiteOptions, files: dict[str, str], calibration_svg: str, charts_module) -> str:
    scoreboard_columns = (("period",) if options.period else ()) + SCOREBOARD_COLUMNS
    renderers = {"group": lambda name: link(None, name) if name not in files else
                 f'<a href="who/{escape(files[name], quote=True)}">{escape(name)}</a>'}
    due = [dict(row, forecasters=row["forecasters"]) for row in data["due"]]
    calibration = data["calibration"]
    parts = [
        "<h1>Forecast ledger: the scoreboard</h1>",
        f'<p class="meta">{escape(_filter_words(options))}. Scores time-averaged over each question\'s window; '
        "ranked by peer score where forecasters share questions, then by time-averaged Brier (lower is better).</p>",
        "<h2>Scoreboard</h2>",
        table("scoreboard", data["scoreboard"], scoreboard_columns, empty="No resolved forecasts match.", renderers=renderers,
              row_key=scoreboard_columns[:2] if options.period else ("group",)),
        "<h2>Calibration</h2>",
        figure(calibration_svg, "Marker area in proportion to the number of forecasts; bars: forecasts per bin; "
               "error bars: 95 % Wilson intervals."),
        table("calibration", [row for row in calibration.bins if row["n"]], BIN_COLUMNS, empty="No scored forecasts.", row_key=("lower",)),
        "<h2>What the words meant</h2>",
        table("cues", data["cues"], (("period",) if options.period else ()) + CUE_COLUMNS, empty="No resolved forecasts.",
              row_key=("period", "cue") if options.period else ("cue",)),
        "<h2>Scenarios</h2>",
        _scenario_sections(data["scenarios"], options, charts_module),
        "<h2>Questions now due</h2>",
        '<p class="note">Past their resolve-by date and not resolved: waiting for <code>ledger resolve</code>.</p>',
        table("due", due, DUE_COLUMNS, empty="Nothing is due.", row_key=("question_id",)),
        "<h2>Forecasters</h2><ul>",
        "".join(f'<li><a href="who/{escape(file, quote=True)}">{escape(name)}</a></li>' for name, file in files.items()),
        "</ul>",
    ]
    return page("Forecast ledger: scoreboard", "".join(parts), home="index.html")


# ---- gathering and writing -----------------------------------------------------------------------


def site_data(ledger: Ledger, options: SiteOptions) -> dict:
    """Everything the pages show, from the report functions, for the options of `ledger report`."""
    from ledger import records
    from ledger.calibration import calibration, cue_report
    from ledger.forecasters import forecaster_pages
    from ledger.reports import score_report
    from ledger.scenario_scores import scenario_report, timeline
    from ledger.scenarios import list_scenarios

    report_filter = options.report_filter
    scoreboard = score_report(ledger, by="forecaster", period=options.period, report_filter=report_filter)
    cues = score_report(ledger, by="cue", period=options.period, report_filter=report_filter)
    summaries = scoreboard if not options.period else score_report(ledger, by="forecaster", report_filter=report_filter)
    cues_by_forecaster = cue_report(ledger, per_forecaster=True, report_filter=report_filter)
    scenario_scores = scenario_report(ledger, as_of=report_filter.as_of)
    as_of = report_filter.as_of
    scenarios = []
    for scenario in list_scenarios(ledger):
        line = timeline(ledger, scenario["name"], as_of=as_of)  # the indicators as of the day too
        if as_of is not None:
            line = dict(line, points=[p for p in line["points"] if p["stated_on"] <= as_of],
                        resolutions=[r for r in line["resolutions"] if r["resolved_on"] <= as_of])
        if report_filter.who:
            line = dict(line, points=[p for p in line["points"] if p["forecaster"].casefold() == report_filter.who.casefold()])
        scores = [row for row in scenario_scores if row["group"] == scenario["name"]
                  and (not report_filter.who or row["forecaster"].casefold() == report_filter.who.casefold())]
        happened = scores[0]["happened"] if scores else None
        scenarios.append({"name": scenario["name"], "line": line, "scores": scores, "happened": happened})
    due = list(records.list_questions(ledger, today=options.today or date.today(), status="due", who=report_filter.who, tag=report_filter.tag))
    return {
        "scoreboard": scoreboard,
        "cues": cues,
        "calibration": calibration(ledger, bins=CALIBRATION_BINS, report_filter=report_filter),
        "scenarios": scenarios,
        "due": due,
        "forecasters": forecaster_pages(ledger, report_filter, summaries, cues_by_forecaster),
    }


def write_site(ledger: Ledger, folder: str, options: SiteOptions, *, refuse_output: Callable[[str], None]) -> list[str]:
    """Write index.html and who/NAME.html into `folder` (created if missing); returns the files written."""
    from ledger import charts

    charts.require("ledger site")
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise LedgerError(f"{folder} is a file: give a folder for the site (it is created if missing)")
    data = site_data(ledger, options)
    files = page_names(page["forecaster"] for page in data["forecasters"])
    calibration = data["calibration"]
    who = options.report_filter.who
    calibration_svg = charts.svg_text(
        charts.calibration_figure(calibration.bins, title=charts.calibration_title(who, options.today, calibration.decomposition["n"])),
        "calibration",
    )
    index_path = os.path.join(folder, "index.html")
    paths = [index_path] + [os.path.join(folder, "who", files[page_data["forecaster"]]) for page_data in data["forecasters"]]
    for path in paths:
        refuse_output(path)
    most_scored = sorted(data["forecasters"], key=lambda page_data: -page_data["calibration"].decomposition["n"])
    charted = {page_data["forecaster"] for page_data in most_scored[:CHARTED_FORECASTERS] if page_data["calibration"].decomposition["n"]}

    def forecaster_page(number: int, page_data: dict) -> str:
        own = page_data["calibration"]
        svg = None
        if page_data["forecaster"] in charted:
            title = charts.calibration_title(page_data["forecaster"], options.today, own.decomposition["n"])
            svg = charts.svg_text(charts.calibration_figure(own.bins, title=title), f"who{number}")
        return forecaster_html(page_data, options, svg)

    try:
        os.makedirs(os.path.join(folder, "who"), exist_ok=True)
        # One page at a time: a thousand forecasters' pages never sit in memory together.
        _write(index_path, index_html(data, options, files, calibration_svg, charts))
        for number, (path, page_data) in enumerate(zip(paths[1:], data["forecasters"]), start=1):
            _write(path, forecaster_page(number, page_data))
    except OSError as error:
        raise LedgerError(f"cannot write the site to {folder!r} ({error.strerror or error}): give a writable folder") from None
    return paths


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
