"""The ledger's records as SQLModel tables: sources, forecasters, questions, forecasts, resolutions.

Every record is written once and never updated: a change of view is a new
forecast, a corrected resolution is a new resolution that amends the earlier one.
Derived facts (a question's current outcome, when it opened) are computed by
queries, not stored. Each table has `recorded_at`, the moment the row was typed
into the ledger (UTC), as opposed to the world's dates (`stated_on`, `resolved_on`).
"""

from datetime import date, datetime
from typing import Optional

from sqlmodel import Field, SQLModel, UniqueConstraint


class Source(SQLModel, table=True):
    """Where forecasts were made: an article, a speech, a podcast."""

    id: Optional[int] = Field(default=None, primary_key=True)
    title: str
    outlet: Optional[str] = None
    url: Optional[str] = None
    published_on: Optional[date] = None
    path: Optional[str] = None  # the text file as it was given
    sha256: Optional[str] = Field(default=None, index=True)  # of the text: the same article twice is one source
    text: Optional[str] = None  # kept so that extraction and review work from the ledger alone
    recorded_at: datetime


class Forecaster(SQLModel, table=True):
    """Who made a forecast: a person, an organisation, or an unnamed group such as "observers"."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str  # as first written, Unicode kept
    name_key: str = Field(unique=True)  # casefolded: names match case-insensitively
    recorded_at: datetime


class Scenario(SQLModel, table=True):
    """A named set of mutually exclusive, exhaustive questions (its outcomes)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    ordered: bool = False  # outcomes lie on a scale (time bins, ranges)
    resolve_by: Optional[date] = None
    recorded_at: datetime


class Question(SQLModel, table=True):
    """A claim about the future that will be resolved yes or no by a date."""

    id: Optional[int] = Field(default=None, primary_key=True)
    statement: str
    criteria: Optional[str] = None
    resolve_by: date = Field(index=True)
    scenario_id: Optional[int] = Field(default=None, foreign_key="scenario.id", index=True)
    scenario_position: Optional[int] = None  # the outcome's place within its scenario, from 0
    recorded_at: datetime


class QuestionTag(SQLModel, table=True):
    __tablename__ = "question_tag"
    __table_args__ = (UniqueConstraint("question_id", "tag"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    tag: str = Field(index=True)
    recorded_at: datetime


class ScenarioForecast(SQLModel, table=True):
    """One forecaster's probability vector over a scenario; its parts are forecasts on the outcomes."""

    __tablename__ = "scenario_forecast"

    id: Optional[int] = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True)
    forecaster_id: int = Field(foreign_key="forecaster.id")
    stated_on: date
    recorded_at: datetime


class Forecast(SQLModel, table=True):
    """One forecaster's probability for one question, on one date, from one source."""

    id: Optional[int] = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    forecaster_id: int = Field(foreign_key="forecaster.id", index=True)
    source_id: Optional[int] = Field(default=None, foreign_key="source.id", index=True)
    scenario_forecast_id: Optional[int] = Field(default=None, foreign_key="scenario_forecast.id")
    probability: float
    cue: Optional[str] = None  # the words used ("is expected to"); None when a number was given
    scale: str  # "number", or the likelihood scale the words were read through ("icd203")
    range_low: float  # the range the scale gives for the words; equal to probability for numbers
    range_high: float
    stated_on: date = Field(index=True)
    quote: Optional[str] = None
    recorded_at: datetime


class Resolution(SQLModel, table=True):
    """Whether a question's event happened, dated; a later row may amend an earlier one."""

    id: Optional[int] = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    outcome: str  # yes | no | ambiguous | annulled
    resolved_on: date
    note: Optional[str] = None
    evidence: Optional[str] = None
    amends_id: Optional[int] = Field(default=None, foreign_key="resolution.id")
    recorded_at: datetime


class DigestRun(SQLModel, table=True):
    """One run of `ledger digest`: the days it covered. The next digest starts where the last one ended."""

    __tablename__ = "digest_run"

    id: Optional[int] = Field(default=None, primary_key=True)
    since: date  # the first day covered
    ran_on: date  # the day it spoke for (--today): the last day covered, and the next digest's `since`
    recorded_at: datetime


class ChainEntry(SQLModel, table=True):
    """One link of the hash chain over every write; see ledger/chain.py for the encoding.

    The record itself is not copied here: `entry_hash` covers the record's row as
    it is in its own table, so changing, deleting or inserting a row breaks the chain.
    """

    __tablename__ = "chain_entry"
    __table_args__ = (UniqueConstraint("table_name", "record_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    table_name: str
    record_id: int
    previous_hash: str = Field(index=True, unique=True)  # two entries never follow the same one: no forks
    entry_hash: str
    recorded_at: datetime


class QuestionCondition(SQLModel, table=True):
    """A conditional question counts only if another question resolves as stated; else it is annulled."""

    __tablename__ = "question_condition"

    id: Optional[int] = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", unique=True)
    condition_id: int = Field(foreign_key="question.id", index=True)
    condition_outcome: str  # yes | no
    recorded_at: datetime


class Indicator(SQLModel, table=True):
    """An observable event tied to a scenario, with how likely it is to be seen under each outcome."""

    id: Optional[int] = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True)
    text: str
    recorded_at: datetime


class IndicatorLikelihood(SQLModel, table=True):
    """The probability of seeing an indicator if one outcome (a question of its scenario) is the true future."""

    __tablename__ = "indicator_likelihood"
    __table_args__ = (UniqueConstraint("indicator_id", "question_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    question_id: int = Field(foreign_key="question.id")
    likelihood: float
    rating: Optional[str] = None  # the word given (Heuer's consistent / inconsistent / neutral), if any
    recorded_at: datetime


class Sighting(SQLModel, table=True):
    """A dated observation that an indicator was seen (or not seen by then), quoted from a source."""

    id: Optional[int] = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    seen: bool
    observed_on: date
    source_id: Optional[int] = Field(default=None, foreign_key="source.id")
    quote: Optional[str] = None
    note: Optional[str] = None
    amends_id: Optional[int] = Field(default=None, foreign_key="sighting.id")  # a correction; the amended one no longer counts
    recorded_at: datetime


class ForecasterAlias(SQLModel, table=True):
    """Another spelling of a forecaster's name ("Kim Jong Un" for "Kim Jong-un"): it finds the same forecaster."""

    __tablename__ = "forecaster_alias"

    id: Optional[int] = Field(default=None, primary_key=True)
    forecaster_id: int = Field(foreign_key="forecaster.id", index=True)
    alias: str
    alias_key: str = Field(unique=True)  # as Forecaster.name_key
    recorded_at: datetime


class ForecasterMerge(SQLModel, table=True):
    """Two forecasters found to be one: the merged one's forecasts count as the other's (the latest merge of an id wins)."""

    __tablename__ = "forecaster_merge"

    id: Optional[int] = Field(default=None, primary_key=True)
    merged_id: int = Field(foreign_key="forecaster.id", index=True)
    into_id: int = Field(foreign_key="forecaster.id")
    note: Optional[str] = None
    recorded_at: datetime


class ForecasterKind(SQLModel, table=True):
    """What a forecaster is: a person, an organisation, a group such as "observers", or the newsroom itself (the latest wins)."""

    __tablename__ = "forecaster_kind"

    id: Optional[int] = Field(default=None, primary_key=True)
    forecaster_id: int = Field(foreign_key="forecaster.id", index=True)
    kind: str  # person | organisation | group | newsroom
    recorded_at: datetime


class SourceFetch(SQLModel, table=True):
    """Where and when a source's web page was fetched; the source's text is the page's main text as read then."""

    __tablename__ = "source_fetch"

    id: Optional[int] = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    url: str  # the address the page was read from, after redirects
    # ISO 8601 text in UTC, not a DateTime: the chain's fast readers take every DateTime column for recorded_at.
    fetched_at: str
    recorded_at: datetime


class ForecastRole(SQLModel, table=True):
    """The forecaster's affiliation or role when they made a forecast, as the source gives it
    ("senior researcher at the Korea Institute for National Unification"): one per forecast, at most."""

    __tablename__ = "forecast_role"

    id: Optional[int] = Field(default=None, primary_key=True)
    forecast_id: int = Field(foreign_key="forecast.id", unique=True)
    role: str
    recorded_at: datetime


# The tables the hash chain covers, in the order a record can depend on another.
RECORD_TABLES = (
    Source, Forecaster, Scenario, Question, QuestionTag, ScenarioForecast, Forecast, Resolution,
    QuestionCondition, Indicator, IndicatorLikelihood, Sighting, ForecasterAlias, ForecasterMerge, ForecasterKind, DigestRun,
    SourceFetch, ForecastRole,
)

# The one set of table handles: every module reads and writes through these.
SOURCE = Source.__table__
FORECASTER = Forecaster.__table__
SCENARIO = Scenario.__table__
QUESTION = Question.__table__
TAG = QuestionTag.__table__
SCENARIO_FORECAST = ScenarioForecast.__table__
FORECAST = Forecast.__table__
RESOLUTION = Resolution.__table__
DIGEST_RUN = DigestRun.__table__
CHAIN = ChainEntry.__table__
CONDITION = QuestionCondition.__table__
INDICATOR = Indicator.__table__
LIKELIHOOD = IndicatorLikelihood.__table__
SIGHTING = Sighting.__table__
ALIAS = ForecasterAlias.__table__
MERGE = ForecasterMerge.__table__
KIND = ForecasterKind.__table__
SOURCE_FETCH = SourceFetch.__table__
FORECAST_ROLE = ForecastRole.__table__
# In the order a record can depend on another: the order the writer inserts a batch in.
WRITE_ORDER = (SOURCE, FORECASTER, SCENARIO, QUESTION, TAG, SCENARIO_FORECAST, FORECAST, RESOLUTION,
               CONDITION, INDICATOR, LIKELIHOOD, SIGHTING, ALIAS, MERGE, KIND, DIGEST_RUN, SOURCE_FETCH,
               FORECAST_ROLE)
