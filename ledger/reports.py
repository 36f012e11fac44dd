"""Score reports, the cue report, calibration and a resolved question's scores, read in one pass over SQL rows.

Every report streams the forecasts on resolved questions once, ordered by question,
and scores each question as its rows go by: nothing holds one object per forecast.
The unit of a report is a forecaster's standing on a question: their last forecast
before the resolution (the headline scores) and all their forecasts on it carried
forward day by day (the time-averaged score and its coverage). docs/reports.md
explains every column.
"""

import math
import statistics
from array import array
from dataclasses import asdict, dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any, Iterable, Iterator, NamedTuple, Optional

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ledger import dates, scoring
from ledger.errors import LedgerError
from ledger.model import FORECAST, FORECASTER, QUESTION, SOURCE, TAG
from ledger.records import current_resolutions
from ledger.rules import forecaster_key
from ledger.rules import tags as normalised_tags
from ledger.store import Ledger

GROUPINGS = ("forecaster", "source", "tag", "question", "cue", "scenario", "none")
SCORED_OUTCOMES = ("yes", "no")
NUMBER_CUE = "(number)"
NO_SOURCE = "(no source)"
UNTAGGED = "(untagged)"
EVERYONE = "all"
LOG_FLOOR, LOG_CEILING = scoring.LOG_FLOOR, 1.0 - scoring.LOG_FLOOR
# Rows fetched per round trip; PostgreSQL then streams through a server-side cursor.
FETCH_ROWS = 10_000

REPORT_KEYS = (
    "n", "brier", "log_score", "skill_vs_even", "skill_vs_base_rate", "relative_brier", "peer_score",
    "compared", "time_averaged_brier", "coverage", "questions", "ambiguous", "annulled",
)
CUE_KEYS = ("n", "happened", "rate", "ci_low", "ci_high", "mean_probability", "ambiguous", "annulled")


@dataclass(frozen=True)
class ReportFilter:
    """Which resolved questions and forecasts a report reads, in the world's dates."""

    resolved_from: Optional[date] = None  # questions resolved on or after this day
    resolved_to: Optional[date] = None  # ... and on or before this day
    as_of: Optional[date] = None  # the ledger as it stood that day: forecasts stated and resolutions dated by then
    who: Optional[str] = None
    tag: Optional[str] = None


class Standing(NamedTuple):
    """One forecaster on one resolved question: the last forecast and the scores it earned.

    A named tuple rather than a dataclass: reports build one per forecaster and question, and these are cheap.
    """

    question_id: int
    forecaster_id: int
    outcome: str
    resolved_on: date
    forecast_id: int
    probability: float
    cue: Optional[str]
    source_id: Optional[int]
    brier: Optional[float] = None  # None when the question is ambiguous or annulled
    log_score: Optional[float] = None
    relative_brier: Optional[float] = None  # None also for a lone forecaster
    peer_score: Optional[float] = None
    time_averaged_brier: Optional[float] = None
    coverage: Optional[float] = None

    @property
    def scored(self) -> bool:
        return self.outcome in SCORED_OUTCOMES


def check_period(period: Optional[str]) -> Optional[str]:
    if period is not None and period not in dates.PERIODS:
        raise LedgerError(f"unknown period {period!r}: use one of {', '.join(dates.PERIODS)}")
    return period


def check_grouping(by: str) -> str:
    if by not in GROUPINGS:
        raise LedgerError(f"unknown grouping --by {by!r}: use one of {', '.join(GROUPINGS)}")
    return by


def check_bins(bins: int) -> int:
    if not 1 <= bins <= 100:
        raise LedgerError(f"--bins {bins} is out of range: give a whole number of bins from 1 to 100")
    return bins


def check_filter(report_filter: ReportFilter) -> ReportFilter:
    start, end = report_filter.resolved_from, report_filter.resolved_to
    if start is not None and end is not None and start > end:
        raise LedgerError(f"--from {start} is after --to {end}: give the earlier date first")
    return report_filter


# ---- reading the rows -----------------------------------------------------------------------


def _forecaster_id(connection: Connection, who: str) -> int:
    found = connection.execute(select(FORECASTER.c.id).where(FORECASTER.c.name_key == forecaster_key(who))).scalar()
    if found is None:
        raise LedgerError(f"no forecaster named {who!r} in the ledger: see 'ledger list' for who forecast what")
    return found


def _tag_name(connection: Connection, tag: str) -> str:
    names = normalised_tags([tag])
    if not names or connection.execute(select(TAG.c.id).where(TAG.c.tag == names[0]).limit(1)).first() is None:
        raise LedgerError(f"no question is tagged {tag!r}: give a tag used with 'ledger add --tag'")
    return names[0]


def _resolved_query(report_filter: ReportFilter, columns: list, question_id: Optional[int] = None):
    """Forecasts on questions resolved (as of the filter's day), ordered by question, forecaster, date."""
    resolution = current_resolutions(report_filter.as_of)
    named = {"outcome": resolution.c.outcome, "resolved_on": resolution.c.resolved_on}
    query = (
        select(*(named[column] if column in named else FORECAST.c[column] for column in columns))
        .join(resolution, resolution.c.question_id == FORECAST.c.question_id)
        # Entry refuses forecasts stated after their question's resolution; an amended,
        # earlier resolution date could still leave one behind, and it cannot be scored.
        .where(FORECAST.c.stated_on <= resolution.c.resolved_on)
        .order_by(FORECAST.c.question_id, FORECAST.c.forecaster_id, FORECAST.c.stated_on, FORECAST.c.id)
    )
    if report_filter.as_of is not None:
        query = query.where(FORECAST.c.stated_on <= report_filter.as_of)
    if report_filter.resolved_from is not None:
        query = query.where(resolution.c.resolved_on >= report_filter.resolved_from)
    if report_filter.resolved_to is not None:
        query = query.where(resolution.c.resolved_on <= report_filter.resolved_to)
    if report_filter.tag is not None:
        query = query.where(FORECAST.c.question_id.in_(select(TAG.c.question_id).where(TAG.c.tag == report_filter.tag)))
    if question_id is not None:
        query = query.where(FORECAST.c.question_id == question_id)
    return query


def _resolved_forecasts(connection: Connection, report_filter: ReportFilter, question_id: Optional[int] = None):
    """The resolved forecasts as SQLAlchemy rows; the columns' order is the row layout score_question and cue_report unpack."""
    columns = ["question_id", "forecaster_id", "id", "probability", "cue", "source_id", "stated_on", "outcome", "resolved_on"]
    return connection.execution_options(yield_per=FETCH_ROWS).execute(_resolved_query(report_filter, columns, question_id))


def _plain_tuples(connection: Connection, query) -> Iterator[tuple]:
    """The query's rows as plain tuples; on SQLite straight from the driver's cursor, dates left as their ISO text.

    SQLAlchemy's per-row processing (Row objects, text to date) was most of a million-forecast report's time.
    """
    if connection.dialect.name != "sqlite":
        yield from connection.execution_options(yield_per=FETCH_ROWS).execute(query)
        return
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    values = compiled.construct_params()
    parameters = [values[name].isoformat() if isinstance(values[name], date) else values[name] for name in compiled.positiontup]
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        while batch := cursor.fetchmany(FETCH_ROWS):
            yield from batch
    finally:
        cursor.close()


def score_question(rows: list) -> list[Standing]:
    """Every forecaster's standing on one resolved question, from its rows ordered by forecaster and date.

    A row is (question_id, forecaster_id, forecast_id, probability, cue, source_id, stated_on, outcome,
    resolved_on), as _resolved_forecasts selects it; rows are unpacked, not read by attribute, for speed.
    """
    question_id, outcome, resolved_on = rows[0][0], rows[0][7], rows[0][8]
    histories: list[tuple[int, list]] = []  # (forecaster_id, [(stated_on, probability, forecast_id, cue, source_id)])
    previous = None
    opened_on = None
    for _question, forecaster_id, forecast_id, probability, cue, source_id, stated_on, _outcome, _resolved in rows:
        if forecaster_id != previous:
            history: list = []
            histories.append((forecaster_id, history))
            previous = forecaster_id
        history.append((stated_on, probability, forecast_id, cue, source_id))
        # The question opened with its first forecast; its life runs from then to the resolution.
        if opened_on is None or stated_on < opened_on:
            opened_on = stated_on
    if outcome not in SCORED_OUTCOMES:
        return [
            Standing(question_id, forecaster_id, outcome, resolved_on, history[-1][2], history[-1][1], history[-1][3], history[-1][4])
            for forecaster_id, history in histories
        ]
    happened = outcome == "yes"
    lasts = [history[-1] for _, history in histories]
    briers = [scoring.brier(last[1], happened) for last in lasts]
    # The median is taken once per question: scoring.relative_brier would take it per forecaster.
    median_brier = statistics.median(briers) if len(briers) > 1 else None
    peers = scoring.peer_log_scores([last[1] if happened else 1.0 - last[1] for last in lasts])
    standings = []
    for (forecaster_id, history), (_stated, probability, forecast_id, cue, source_id), own_brier, peer in zip(histories, lasts, briers, peers):
        averaged_brier, coverage = _time_averaged(history, opened_on, resolved_on, happened, own_brier)
        standings.append(
            Standing(
                question_id, forecaster_id, outcome, resolved_on, forecast_id, probability, cue, source_id,
                own_brier,
                scoring.log_score(probability, happened),
                None if median_brier is None else own_brier - median_brier,  # relative Brier
                peer,
                averaged_brier,
                coverage,
            )
        )
    return standings


def _time_averaged(history: list, opened_on: date, resolved_on: date, happened: bool, last_brier: float) -> tuple[float, float]:
    """The time-averaged Brier and coverage of one forecaster's forecasts on a question."""
    if len(history) == 1:
        # Most forecasters speak once; their average is their one Brier, and the coverage
        # counts days exactly as scoring.time_averaged_brier does (the tests hold the two together).
        first_day = min(opened_on.toordinal() + 1, resolved_on.toordinal())
        last_day = resolved_on.toordinal()
        covered = last_day - max(history[0][0].toordinal(), first_day) + 1
        return last_brier, covered / (last_day - first_day + 1)
    averaged = scoring.time_averaged_brier([(stated_on, probability) for stated_on, probability, *_ in history], opened_on, resolved_on, happened)
    return averaged.brier, averaged.coverage


class _Days(dict):
    """Day numbers of the few distinct dates a report meets, each worked out once: days[day] is its ordinal.

    A date comes as a date, or on SQLite as its ISO text (see _plain_tuples).
    """

    def __missing__(self, day) -> int:
        found = self[day] = _as_date(day).toordinal()
        return found


def _as_date(day) -> date:
    return day if isinstance(day, date) else date.fromisoformat(day)


def _question_standings(rows: list, days: _Days) -> tuple[list, str, Any]:
    """score_question for the score report, lean: ([(forecaster_id, source_id, scores or None)], outcome, resolved_on).

    A row is (question_id, forecaster_id, probability, source_id, stated_on, outcome, resolved_on), ordered by
    forecaster and date; scores are GroupTally.add's arguments, from the same arithmetic as score_question.
    """
    outcome, resolved_on = rows[0][5], rows[0][6]
    forecasters = [row[1] for row in rows]
    if len(set(forecasters)) == len(rows):  # the usual case: everyone spoke once
        lasts, spans = rows, None
    else:
        lasts, spans = [], []  # each forecaster's last row, and the slice of rows that is their history
        for _forecaster, history in groupby(range(len(rows)), key=forecasters.__getitem__):
            history = list(history)
            lasts.append(rows[history[-1]])
            spans.append((history[0], history[-1] + 1))
    if outcome not in SCORED_OUTCOMES:
        return [(row[1], row[3], None) for row in lasts], outcome, resolved_on
    happened = outcome == "yes"
    target = 1.0 if happened else 0.0
    briers = [(row[2] - target) ** 2 for row in lasts]
    given = [row[2] for row in lasts] if happened else [1.0 - row[2] for row in lasts]
    # scoring.clip_for_log written out: the calls cost more than the logs.
    logs = [math.log(LOG_FLOOR if p < LOG_FLOOR else LOG_CEILING if p > LOG_CEILING else p) for p in given]
    count = len(lasts)
    compared = count > 1
    if compared:
        # As scoring.peer_log_scores, whose logs are these same log scores; the median taken once per question.
        median_brier = statistics.median(briers)
        mean_log = math.fsum(logs) / count
        scale = 100.0 * count / (count - 1)
    # The question opened with its first forecast; its life runs from then to the resolution.
    opened_on = min(row[4] for row in rows)
    last_day = days[resolved_on]
    first_day = min(days[opened_on] + 1, last_day)
    life = last_day - first_day + 1
    standings = []
    for position, row in enumerate(lasts):
        own_brier, own_log = briers[position], logs[position]
        if spans is None or spans[position][1] - spans[position][0] == 1:
            # As _time_averaged's one-forecast shortcut.
            stated_day = days[row[4]]
            averaged_brier, coverage = own_brier, (last_day - (stated_day if stated_day > first_day else first_day) + 1) / life
        else:
            start, end = spans[position]
            history = [(_as_date(stated_on), probability) for _q, _f, probability, _s, stated_on, *_ in rows[start:end]]
            averaged = scoring.time_averaged_brier(history, _as_date(opened_on), _as_date(resolved_on), happened)
            averaged_brier, coverage = averaged.brier, averaged.coverage
        scores = (
            happened, own_brier, own_log,
            own_brier - median_brier if compared else None,
            scale * (own_log - mean_log) if compared else None,
            averaged_brier, coverage,
        )
        standings.append((row[1], row[3], scores))
    return standings, outcome, resolved_on


# ---- the score report -----------------------------------------------------------------------


class GroupTally:
    """Running sums for one row of the score report, in constant memory."""

    def __init__(self) -> None:
        self.n = 0
        self.happened = 0
        self.brier_sum = 0.0
        self.log_sum = 0.0
        self.relative_sum = 0.0
        self.compared = 0
        self.peer_sum = 0.0
        self.averaged_sum = 0.0
        self.coverage_sum = 0.0
        self.averaged = 0
        self.questions = 0
        self.ambiguous = 0
        self.annulled = 0

    def add(self, happened: bool, brier: float, log_score: float, relative_brier, peer_score, time_averaged_brier, coverage) -> None:
        """One scored standing (ambiguous and annulled ones are only counted, by count_question)."""
        self.n += 1
        self.happened += happened
        self.brier_sum += brier
        self.log_sum += log_score
        if relative_brier is not None:
            self.relative_sum += relative_brier
            self.peer_sum += peer_score
            self.compared += 1
        if time_averaged_brier is not None:
            self.averaged_sum += time_averaged_brier
            self.coverage_sum += coverage
            self.averaged += 1

    def count_question(self, outcome: str) -> None:
        if outcome in SCORED_OUTCOMES:
            self.questions += 1
        elif outcome == "ambiguous":
            self.ambiguous += 1
        else:
            self.annulled += 1

    def row(self) -> dict:
        brier = self.brier_sum / self.n if self.n else None
        return {
            "n": self.n,
            "brier": brier,
            "log_score": self.log_sum / self.n if self.n else None,
            "skill_vs_even": scoring.brier_skill(brier, scoring.EVEN_ODDS_BRIER) if self.n else None,
            # Against always forecasting the group's own base rate, known only in hindsight.
            "skill_vs_base_rate": scoring.brier_skill(brier, scoring.base_rate_brier(self.happened / self.n)) if self.n else None,
            "relative_brier": _settled(self.relative_sum / self.compared) if self.compared else None,
            "peer_score": _settled(self.peer_sum / self.compared) if self.compared else None,
            "compared": self.compared,
            "time_averaged_brier": self.averaged_sum / self.averaged if self.averaged else None,
            "coverage": self.coverage_sum / self.averaged if self.averaged else None,
            "questions": self.questions,
            "ambiguous": self.ambiguous,
            "annulled": self.annulled,
        }


def _settled(value: float) -> float:
    """Comparisons that sum to zero over a question come back as ±1e-15: show them as the 0 they are."""
    return round(value, 12) + 0.0


def _question_groups(by: str, question_id: int, tags: dict) -> list:
    """The groups of every standing on a question, when the grouping goes by question: tag, question or none."""
    if by == "tag":
        return tags.get(question_id) or [UNTAGGED]
    if by == "question":
        return [question_id]
    return [EVERYONE]


def _lookup_names(connection: Connection, by: str) -> tuple[dict, dict]:
    """The small tables a grouping needs, read once: forecaster or source names, question tags."""
    if by == "forecaster":
        return dict(connection.execute(select(FORECASTER.c.id, FORECASTER.c.name)).all()), {}
    if by == "source":
        return dict(connection.execute(select(SOURCE.c.id, SOURCE.c.title)).all()), {}
    if by == "tag":
        tags: dict[int, list[str]] = {}
        for question_id, tag in connection.execute(select(TAG.c.question_id, TAG.c.tag).order_by(TAG.c.question_id, TAG.c.tag)):
            tags.setdefault(question_id, []).append(tag)
        return {}, tags
    return {}, {}


def _resolved_filter(connection: Connection, report_filter: ReportFilter) -> tuple[ReportFilter, Optional[int]]:
    """The filter with its tag normalised, and the --who forecaster's id (both checked against the ledger)."""
    check_filter(report_filter)
    who_id = _forecaster_id(connection, report_filter.who) if report_filter.who is not None else None
    if report_filter.tag is not None:
        report_filter = ReportFilter(
            report_filter.resolved_from, report_filter.resolved_to, report_filter.as_of, report_filter.who,
            _tag_name(connection, report_filter.tag),
        )
    return report_filter, who_id


def _best_first(row: dict) -> tuple:
    brier = row["brier"]
    return (row.get("period", ""), brier is None, brier if brier is not None else 0.0, -row["n"], str(row["group"]))


def score_report(
    ledger: Ledger,
    *,
    by: str = "forecaster",
    period: Optional[str] = None,
    per_forecaster: bool = False,
    report_filter: ReportFilter = ReportFilter(),
) -> list[dict]:
    """One row per group (and period of resolution), sorted best first: lowest Brier, then most forecasts.

    by="cue" gives the cue report instead (see cue_report); per_forecaster splits only that one.
    """
    check_grouping(by)
    check_period(period)
    if by == "cue":
        return cue_report(ledger, period=period, per_forecaster=per_forecaster, report_filter=report_filter)
    if by == "scenario":
        if period or report_filter.who or report_filter.tag or report_filter.resolved_from or report_filter.resolved_to:
            raise LedgerError("--by scenario takes only --as-of: it scores each forecaster's probability vectors per scenario")
        from ledger.scenarios import scenario_report

        return scenario_report(ledger, as_of=report_filter.as_of)
    if per_forecaster:
        raise LedgerError("--per-forecaster splits the cue report: use it with --by cue (--by forecaster already splits)")
    tallies: dict[tuple, GroupTally] = {}
    with ledger.reading() as connection:
        report_filter, who_id = _resolved_filter(connection, report_filter)
        names, tags = _lookup_names(connection, by)
        columns = ["question_id", "forecaster_id", "probability", "source_id", "stated_on", "outcome", "resolved_on"]
        days, labels = _Days(), {}
        for question_id, question_rows in groupby(_plain_tuples(connection, _resolved_query(report_filter, columns)), key=itemgetter(0)):
            standings, outcome, resolved_on = _question_standings(list(question_rows), days)
            if period and resolved_on not in labels:
                labels[resolved_on] = dates.period_label(_as_date(resolved_on), period)
            label = labels[resolved_on] if period else None
            touched = set()
            # Tags, the question and "all" are the same for every standing on the question.
            question_groups = None if by in ("forecaster", "source") else _question_groups(by, question_id, tags)
            for forecaster_id, source_id, scores in standings:
                if who_id is not None and forecaster_id != who_id:
                    continue
                if question_groups is not None:
                    groups = question_groups
                elif by == "forecaster":
                    groups = (names[forecaster_id],)
                else:
                    groups = (names.get(source_id, NO_SOURCE),)
                for group in groups:
                    key = (label, group)
                    tally = tallies.get(key)
                    if tally is None:
                        tally = tallies[key] = GroupTally()
                    if scores is not None:
                        tally.add(*scores)
                    touched.add(key)
            for key in touched:
                tallies[key].count_question(outcome)
        statements = _statements(connection, [group for _, group in tallies]) if by == "question" else {}
    rows = []
    for (label, group), tally in tallies.items():
        row: dict[str, Any] = {"period": label} if period else {}
        if by == "question":
            row.update(question_id=group, group=statements[group])
        else:
            row["group"] = group
        row.update(tally.row())
        rows.append(row)
    rows.sort(key=_best_first)
    return rows


def _statements(connection: Connection, question_ids: list[int]) -> dict[int, str]:
    query = select(QUESTION.c.id, QUESTION.c.statement)
    if len(question_ids) < 500:
        query = query.where(QUESTION.c.id.in_(question_ids))
    return dict(connection.execute(query).all())


# ---- the cue report ---------------------------------------------------------------------------


class CueTally:
    """How often claims made with one phrase came true."""

    def __init__(self) -> None:
        self.n = 0
        self.happened = 0
        self.probability_sum = 0.0
        self.ambiguous = 0
        self.annulled = 0

    def add(self, probability: float, outcome: str) -> None:
        if outcome == "ambiguous":
            self.ambiguous += 1
        elif outcome == "annulled":
            self.annulled += 1
        else:
            self.n += 1
            self.happened += 1 if outcome == "yes" else 0
            self.probability_sum += probability

    def row(self) -> dict:
        if not self.n:
            rate = ci_low = ci_high = mean_probability = None
        else:
            rate = self.happened / self.n
            ci_low, ci_high = scoring.wilson_interval(self.happened, self.n)
            mean_probability = self.probability_sum / self.n
        return {
            "n": self.n, "happened": self.happened, "rate": rate, "ci_low": ci_low, "ci_high": ci_high,
            "mean_probability": mean_probability, "ambiguous": self.ambiguous, "annulled": self.annulled,
        }


def cue_report(
    ledger: Ledger, *, period: Optional[str] = None, per_forecaster: bool = False, report_filter: ReportFilter = ReportFilter()
) -> list[dict]:
    """Per cue (and forecaster, and period): every forecast made with those words, and how often the event happened.

    Sorted by the mean probability the words stand for, most confident first.
    """
    check_period(period)
    tallies: dict[tuple, CueTally] = {}
    with ledger.reading() as connection:
        report_filter, who_id = _resolved_filter(connection, report_filter)
        split = per_forecaster or who_id is not None
        names = dict(connection.execute(select(FORECASTER.c.id, FORECASTER.c.name)).all()) if split else {}
        labels: dict[date, str] = {}
        for _question, forecaster_id, _id, probability, cue, _source, _stated, outcome, resolved_on in _resolved_forecasts(
            connection, report_filter
        ):
            if who_id is not None and forecaster_id != who_id:
                continue
            if period and resolved_on not in labels:
                labels[resolved_on] = dates.period_label(resolved_on, period)
            key = (
                labels[resolved_on] if period else None,
                " ".join(cue.lower().split()) if cue is not None else NUMBER_CUE,  # "Doubts" and "doubts" are one cue
                names[forecaster_id] if split else None,
            )
            tally = tallies.get(key)
            if tally is None:
                tally = tallies[key] = CueTally()
            tally.add(probability, outcome)
    rows = []
    for (label, cue, forecaster), tally in tallies.items():
        row: dict[str, Any] = {"period": label} if period else {}
        row["cue"] = cue
        if split:
            row["forecaster"] = forecaster
        row.update(tally.row())
        rows.append(row)
    rows.sort(key=lambda row: (
        row.get("period", ""), row["mean_probability"] is None, -(row["mean_probability"] or 0.0),
        row["cue"], str(row.get("forecaster", "")),
    ))
    return rows


# ---- calibration ------------------------------------------------------------------------------


def _headline_forecasts(rows: Iterable) -> Iterator[tuple[int, float, str]]:
    """(forecaster_id, probability, outcome) of each forecaster's last forecast on each question.

    Rows come ordered by question, forecaster and date, so the last is the one before the next pair starts.
    """
    previous = None
    for question_id, forecaster_id, probability, outcome in rows:
        if previous is not None and (question_id, forecaster_id) != previous[:2]:
            yield previous[1:]
        previous = (question_id, forecaster_id, probability, outcome)
    if previous is not None:
        yield previous[1:]


@dataclass(frozen=True)
class Calibration:
    bins: list[dict]  # one per bin, empty ones too: lower, upper, n, mean_probability, observed, ci_low, ci_high
    decomposition: dict  # reliability, resolution, uncertainty, brier, n (None values when nothing was scored)


def calibration(ledger: Ledger, *, bins: int = 10, report_filter: ReportFilter = ReportFilter()) -> Calibration:
    """The calibration table and Murphy decomposition over the headline forecasts (each forecaster's last per question)."""
    check_bins(bins)
    # Two compact columns rather than a list of tuples: a million forecasts stay a few megabytes.
    probabilities = array("d")
    happened = bytearray()
    with ledger.reading() as connection:
        report_filter, who_id = _resolved_filter(connection, report_filter)
        rows = _plain_tuples(connection, _resolved_query(report_filter, ["question_id", "forecaster_id", "probability", "outcome"]))
        for forecaster_id, probability, outcome in _headline_forecasts(rows):
            if outcome in SCORED_OUTCOMES and (who_id is None or forecaster_id == who_id):
                probabilities.append(probability)
                happened.append(outcome == "yes")

    def pairs():
        return zip(probabilities, map(bool, happened))

    table = [asdict(calibration_bin) for calibration_bin in scoring.calibration_bins(pairs(), bins)]
    if probabilities:
        decomposition = asdict(scoring.murphy_decomposition(pairs(), bins))
    else:
        decomposition = {"reliability": None, "resolution": None, "uncertainty": None, "brier": None, "n": 0}
    return Calibration(table, decomposition)


# ---- one question, as resolved --------------------------------------------------------------


def question_scores(ledger: Ledger, question_id: int) -> list[dict]:
    """Every forecast on a resolved question with its scores; the comparisons sit on each forecaster's last one."""
    with ledger.reading() as connection:
        rows = list(_resolved_forecasts(connection, ReportFilter(), question_id=question_id))
        if not rows:
            return []
        names = dict(
            connection.execute(
                select(FORECASTER.c.id, FORECASTER.c.name).where(FORECASTER.c.id.in_({row.forecaster_id for row in rows}))
            ).all()
        )
    standings = {standing.forecast_id: standing for standing in score_question(rows)}
    scored = rows[0].outcome in SCORED_OUTCOMES
    happened = rows[0].outcome == "yes"
    ordered = sorted(rows, key=lambda row: (row.stated_on, row.id))
    result = []
    for row in ordered:
        standing = standings.get(row.id)
        result.append({
            "forecast_id": row.id,
            "forecaster": names[row.forecaster_id],
            "stated_on": row.stated_on,
            "probability": row.probability,
            "cue": row.cue,
            "brier": scoring.brier(row.probability, happened) if scored else None,
            "log_score": scoring.log_score(row.probability, happened) if scored else None,
            "latest": standing is not None,
            "relative_brier": standing.relative_brier if standing else None,
            "peer_score": standing.peer_score if standing else None,
            "time_averaged_brier": standing.time_averaged_brier if standing else None,
            "coverage": standing.coverage if standing else None,
        })
    return result
