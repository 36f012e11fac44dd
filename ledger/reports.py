"""The score report and a resolved question's scores, each built in one pass over SQL rows and returned as a document.

Every report streams the forecasts on resolved questions once, ordered by question, scores
each question with standings.score_question as its rows go by, and adds the standings to
running sums per group: nothing holds one object per forecast. docs/reports.md explains every
column; calibration and the cue report are in ledger/calibration.py.
"""

from itertools import groupby
from operator import itemgetter
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ledger import dates, people, scoring
from ledger.errors import LedgerError
from ledger.output import Document, Section
from ledger.model import FORECAST, FORECASTER, QUESTION, SOURCE, TAG
from ledger.report_rows import (  # noqa: F401 - the report options, re-exported for the CLI
    GROUPINGS, ReportFilter, check_bins, check_filter, check_grouping, check_period, names,
    resolved_filter, resolved_query,
)
from ledger.standings import COLUMNS, SCORED_OUTCOMES, Days, as_date, score_question
from ledger.store import Ledger, plain_rows

UNNAMED_KINDS = ("group", "newsroom")
NO_SOURCE = "(no source)"
UNTAGGED = "(untagged)"
EVERYONE = "all"

# The score report's columns, in the order shown; JSON rows have the same keys.
SCORE_COLUMNS = (
    "group", "n", "questions", "peer_score", "baseline_score", "time_averaged_brier", "coverage", "compared",
    "last_brier", "last_log_score", "last_relative_brier", "last_peer_score", "skill_vs_even", "skill_vs_base_rate",
    "ambiguous", "annulled",
)
# What `report` shows unless asked for --all-columns or --columns: the group, how many forecasts
# it scores, the headline scores, and how much of each question's window the forecasts covered.
COMPACT_SCORE_COLUMNS = ("group", "n", "peer_score", "baseline_score", "time_averaged_brier", "coverage")
SCENARIO_COLUMNS = ("group", "forecaster", "n", "brier", "log_score", "ordered_brier", "happened")
QUESTION_SCORE_COLUMNS = (
    "forecast_id", "forecaster", "stated_on", "probability", "cue", "counts", "latest", "brier", "log_score",
    "peer_score", "baseline_score", "time_averaged_brier", "coverage",
)
EMPTY_REPORT = "(no resolved forecasts match)"
COMPACT_NOTE = (
    "Ranked by peer_score (time-averaged over each question's window) where forecasters share questions, "
    "then by time_averaged_brier. --all-columns shows every score, --columns a,b,c the ones named. See 'ledger help reports'."
)
RANKING_NOTE = (
    "Ranked by peer_score (time-averaged over each question's window) where forecasters share questions, "
    "then by time_averaged_brier; the last_* columns score each forecaster's last forecast alone. See 'ledger help reports'."
)


# ---- the score report -----------------------------------------------------------------------


class GroupTally:
    """Running sums for one row of the score report, in constant memory."""

    __slots__ = ("n", "happened", "averaged_sum", "baseline_sum", "coverage_sum", "last_brier_sum", "last_log_sum",
                 "compared", "peer_sum", "relative_sum", "last_peer_sum", "questions", "ambiguous", "annulled",
                 "edge_n", "edge_sum")

    def __init__(self) -> None:
        for name in self.__slots__:
            setattr(self, name, 0)

    def add(self, happened: bool, standing) -> None:
        """One scored standing (ambiguous and annulled ones are only counted, by count_question)."""
        self.n += 1
        self.happened += happened
        self.averaged_sum += standing.time_averaged_brier
        self.baseline_sum += standing.baseline_score
        self.coverage_sum += standing.coverage
        self.last_brier_sum += standing.last_brier
        self.last_log_sum += standing.last_log_score
        if standing.peer_score is not None:
            self.compared += 1
            self.peer_sum += standing.peer_score
            self.relative_sum += standing.last_relative_brier
            self.last_peer_sum += standing.last_peer_score

    def add_edge(self, edge: float) -> None:
        """How much better the last counting forecast scored than the consensus standing when it was made."""
        self.edge_n += 1
        self.edge_sum += edge

    def count_question(self, outcome: str) -> None:
        if outcome in SCORED_OUTCOMES:
            self.questions += 1
        elif outcome == "ambiguous":
            self.ambiguous += 1
        else:
            self.annulled += 1

    def row(self) -> dict:
        n, compared = self.n, self.compared
        averaged = self.averaged_sum / n if n else None
        return {
            "n": n,
            "questions": self.questions,
            "peer_score": _settled(self.peer_sum / compared) if compared else None,
            "baseline_score": self.baseline_sum / n if n else None,
            "time_averaged_brier": averaged,
            "coverage": self.coverage_sum / n if n else None,
            "compared": compared,
            "last_brier": self.last_brier_sum / n if n else None,
            "last_log_score": self.last_log_sum / n if n else None,
            "last_relative_brier": _settled(self.relative_sum / compared) if compared else None,
            "last_peer_score": _settled(self.last_peer_sum / compared) if compared else None,
            "skill_vs_even": scoring.brier_skill(averaged, scoring.EVEN_ODDS_BRIER) if n else None,
            # Against always forecasting the group's own base rate, known only in hindsight.
            "skill_vs_base_rate": scoring.brier_skill(averaged, scoring.base_rate_brier(self.happened / n)) if n else None,
            "ambiguous": self.ambiguous,
            "annulled": self.annulled,
            **({"beat_consensus": self.edge_sum / self.edge_n, "against_consensus": self.edge_n} if self.edge_n else {}),
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
        return names(connection, FORECASTER), {}
    if by == "source":
        return names(connection, SOURCE), {}
    if by == "tag":
        tags: dict[int, list[str]] = {}
        for question_id, tag in connection.execute(select(TAG.c.question_id, TAG.c.tag).order_by(TAG.c.question_id, TAG.c.tag)):
            tags.setdefault(question_id, []).append(tag)
        return {}, tags
    return {}, {}


def rank_key(row: dict) -> tuple:
    """Best first: the higher peer score where the group shares questions, else the lower time-averaged Brier;
    named people and organisations before unnamed groups and newsrooms, which are ranked apart."""
    peer, averaged = row.get("peer_score"), row.get("time_averaged_brier")
    return (
        row.get("period", ""), row.get("kind") in UNNAMED_KINDS, peer is None, -(peer or 0.0), averaged is None, averaged or 0.0,
        -row["n"], str(row["group"]),
    )


def score_report(
    ledger: Ledger,
    *,
    by: str = "forecaster",
    period: Optional[str] = None,
    per_forecaster: bool = False,
    report_filter: ReportFilter = ReportFilter(),
    consensus: bool = False,
) -> list[dict]:
    """One row per group (and period of the event's date), best first (see rank_key).

    by="cue" gives the cue report and by="scenario" the scenario report instead; per_forecaster splits only the cue report.
    consensus (by forecaster): the consensus of the standing forecasts is scored as one more forecaster,
    "consensus", and each forecaster gets beat_consensus: the Brier of the consensus standing when their
    last counting forecast was made, less that forecast's own Brier (positive: they beat what was being said).
    """
    check_grouping(by)
    check_period(period)
    if by == "cue":
        from ledger.calibration import cue_report

        return cue_report(ledger, period=period, per_forecaster=per_forecaster, report_filter=report_filter)
    if by == "scenario":
        if period or report_filter.who or report_filter.tag or report_filter.resolved_from or report_filter.resolved_to:
            raise LedgerError("--by scenario takes only --as-of: it scores each forecaster's probability vectors per scenario")
        from ledger.scenario_scores import scenario_report

        return scenario_report(ledger, as_of=report_filter.as_of)
    if per_forecaster:
        raise LedgerError("--per-forecaster splits the cue report: use it with --by cue (--by forecaster already splits)")
    tallies: dict[tuple, GroupTally] = {}
    with ledger.reading() as connection:
        report_filter, who_id = resolved_filter(connection, report_filter)
        group_names, tags = _lookup_names(connection, by)
        days, labels = Days(), {}
        for question_id, question_rows in groupby(plain_rows(connection, resolved_query(report_filter, COLUMNS, by_date=True, merged=people.any_merges(connection))), key=itemgetter(0)):
            question_rows = list(question_rows)
            scores = score_question(question_rows, days)
            outcome, resolved_on = scores.outcome, scores.resolved_on
            if period and resolved_on not in labels:
                labels[resolved_on] = dates.period_label(resolved_on, period)
            label = labels[resolved_on] if period else None
            happened = outcome == "yes"
            scored = outcome in SCORED_OUTCOMES
            touched = set()
            # Tags, the question and "all" are the same for every standing on the question.
            question_groups = None if by in ("forecaster", "source") else _question_groups(by, question_id, tags)
            for standing in scores.standings:
                if who_id is not None and standing.forecaster_id != who_id:
                    continue
                if question_groups is not None:
                    groups = question_groups
                elif by == "forecaster":
                    groups = (group_names[standing.forecaster_id],)
                else:
                    groups = (group_names.get(standing.source_id, NO_SOURCE),)
                for group in groups:
                    key = (label, group)
                    tally = tallies.get(key)
                    if tally is None:
                        tally = tallies[key] = GroupTally()
                    if scored:
                        tally.add(happened, standing)
                    touched.add(key)
            for key in touched:
                tallies[key].count_question(outcome)
            if consensus and by == "forecaster" and scored:
                _tally_consensus(tallies, label, question_rows, scores, days, who_id, group_names)
        statements = _statements(connection, [group for _, group in tallies]) if by == "question" else {}
        kinds = {group_names[forecaster]: kind for forecaster, kind in people.kinds(connection).items() if forecaster in group_names} if by == "forecaster" else {}
    rows = []
    for (label, group), tally in tallies.items():
        row: dict[str, Any] = {"period": label} if period else {}
        if by == "question":
            row.update(question_id=group, group=statements[group])
        else:
            row["group"] = group
        if by == "forecaster":
            row["kind"] = kinds.get(group)
        row.update(tally.row())
        rows.append(row)
    rows.sort(key=rank_key)
    return rows


def _tally_consensus(tallies: dict, label, rows: list, scores, days: Days, who_id, group_names: dict) -> None:
    """The consensus as a forecaster of its own on one question, and every forecaster's edge over it."""
    from ledger import consensus

    happened = scores.outcome == "yes"
    alone = score_question(consensus.as_forecaster(rows), days)
    key = (label, consensus.CONSENSUS)
    tally = tallies.setdefault(key, GroupTally())
    for standing in alone.standings:
        tally.add(happened, standing)
    tally.count_question(scores.outcome)
    said_before = consensus.before_each(rows)
    for standing in scores.standings:
        if standing.forecast_id in said_before and (who_id is None or standing.forecaster_id == who_id):
            edge = scoring.brier(said_before[standing.forecast_id], happened) - standing.last_brier
            tallies[(label, group_names[standing.forecaster_id])].add_edge(edge)


def _statements(connection: Connection, question_ids: list[int]) -> dict[int, str]:
    query = select(QUESTION.c.id, QUESTION.c.statement)
    if len(question_ids) < 500:
        query = query.where(QUESTION.c.id.in_(question_ids))
    return dict(connection.execute(query).all())


def chosen_columns(columns: list[str], chosen: Optional[str], *, all_columns: bool, compact: bool) -> list[str]:
    """The columns a report shows: --columns a,b,c (checked), all of them, or the compact set where there is one."""
    if chosen:
        names = [name.strip() for name in chosen.split(",") if name.strip()]
        unknown = [name for name in names if name not in columns]
        if unknown or not names:
            raise LedgerError(f"unknown column {(unknown or [chosen])[0]!r} for --columns: choose from {', '.join(columns)}")
        return names
    if all_columns or not compact or not set(COMPACT_SCORE_COLUMNS) <= set(columns):
        return columns
    return [name for name in columns if name in COMPACT_SCORE_COLUMNS or name in ("period", "question_id")]


def report_document(
    rows: list[dict], *, by: str, period: Optional[str] = None, split_by_forecaster: bool = False,
    chosen: Optional[str] = None, all_columns: bool = False, compact: bool = True,
) -> Document:
    """The rows of score_report as a document: one table, with the columns of its kind of report.

    `compact` shows the headline columns only unless `all_columns`; `chosen` ("a,b,c") picks them.
    """
    if by == "cue":
        from ledger.calibration import cue_columns

        columns = cue_columns(split_by_forecaster)
        title, notes = "What the words meant: how often claims made with each cue came true", []
    elif by == "scenario":
        columns = list(SCENARIO_COLUMNS)
        title = "Scenario scores: each forecaster's last vector before the scenario was settled"
        notes = ["Multi-category scores of the standing vector (docs/reports.md)."] if rows else []
        from ledger.signposts import INDICATORS_FORECASTER

        if any(row["forecaster"] == INDICATORS_FORECASTER for row in rows):
            notes.append("indicators: the vector the scenario's sightings implied the day before it was settled "
                         "(Bayes' rule from the forecasters' consensus at the first sighting; see 'ledger indicator list').")
    else:
        columns = (["question_id"] if by == "question" else []) + list(SCORE_COLUMNS)
        if any("beat_consensus" in row for row in rows):
            columns += ["beat_consensus", "against_consensus"]
        title = f"Scores by {by}" if by != "none" else "Scores, everyone together"
        notes = [RANKING_NOTE] if rows else []
    if period:
        columns = ["period"] + columns
    columns = chosen_columns(columns, chosen, all_columns=all_columns, compact=compact)
    if notes == [RANKING_NOTE] and not any(name.startswith("last_") for name in columns):
        notes = [COMPACT_NOTE]
    return Document(sections=[Section("rows", title, rows, columns, empty=EMPTY_REPORT)], notes=notes)


# ---- one question, as resolved --------------------------------------------------------------


def question_scores(ledger: Ledger, question_id: int) -> list[dict]:
    """Every forecast on a resolved question, oldest first: whether it counts, its own scores, and on each
    forecaster's last counting forecast (`latest`) the forecaster's scores on the question, from score_question."""
    with ledger.reading() as connection:
        query = resolved_query(ReportFilter(), COLUMNS, question_id=question_id, counting_only=False, by_date=True)
        rows = list(plain_rows(connection, query))
        if not rows:
            return []
        details = {
            row.id: row for row in connection.execute(
                select(FORECAST.c.id, FORECAST.c.cue, FORECASTER.c.name)
                .join(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
                .where(FORECAST.c.question_id == question_id)
            )
        }
    scores = score_question(rows)
    standings = {standing.forecast_id: standing for standing in scores.standings}
    scored = scores.outcome in SCORED_OUTCOMES
    happened = scores.outcome == "yes"
    result = []
    for row in sorted(rows, key=lambda row: (as_date(row[5]), row[2])):
        forecast_id, probability = row[2], row[3]
        counts = scores.counts(row[5])
        standing = standings.get(forecast_id)
        result.append({
            "forecast_id": forecast_id,
            "forecaster": details[forecast_id].name,
            "stated_on": as_date(row[5]),
            "probability": probability,
            "cue": details[forecast_id].cue,
            "counts": counts,
            "latest": standing is not None,
            "brier": scoring.brier(probability, happened) if scored and counts else None,
            "log_score": scoring.log_score(probability, happened) if scored and counts else None,
            "peer_score": standing.peer_score if standing else None,
            "baseline_score": standing.baseline_score if standing else None,
            "time_averaged_brier": standing.time_averaged_brier if standing else None,
            "coverage": standing.coverage if standing else None,
            "last_relative_brier": standing.last_relative_brier if standing else None,
            "last_peer_score": standing.last_peer_score if standing else None,
        })
    return result


def resolution_document(record: dict, scores: list[dict]) -> Document:
    """What `ledger resolve` prints: the resolution written, then every forecast on the question with its scores."""
    scored = record["outcome"] in SCORED_OUTCOMES
    title = "Scores" if scored else f"Scores (none: {record['outcome']} questions are not scored)"
    notes = []
    late = [score["forecast_id"] for score in scores if not score["counts"]]
    if late:
        which = f"Forecast {late[0]} was" if len(late) == 1 else f"Forecasts {', '.join(map(str, late))} were"
        notes.append(f"{which} stated after forecasting ended (the event's date, {record['resolved_on']}): never counted.")
    return Document(
        record=record,
        sections=[Section("scores", title, scores, list(QUESTION_SCORE_COLUMNS), empty="(no forecasts)")],
        notes=notes,
        main="scores",
    )
