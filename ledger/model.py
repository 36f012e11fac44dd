"""The ledger's records as SQLAlchemy Core tables: sources, forecasters, questions, forecasts, resolutions.

Every record is written once and never updated: a change of view is a new
forecast, a corrected resolution is a new resolution that amends the earlier one.
Derived facts (a question's current outcome, when it opened) are computed by
queries, not stored. Each table has `recorded_at`, the moment the row was typed
into the ledger (UTC), as opposed to the world's dates (`stated_on`, `resolved_on`).

Plain Core tables rather than ORM or pydantic classes: every module reads and writes rows
through these handles, and declaring them costs nothing at start-up.
"""

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import Boolean, Column, Date, Float, ForeignKey, Integer, MetaData, String, Table, UniqueConstraint
from sqlalchemy.types import DateTime, TypeDecorator

METADATA = MetaData()


class UTCDateTime(TypeDecorator):
    """An aware moment, stored in UTC and read back as UTC (SQLite keeps no offset, so one is put back)."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: Optional[datetime], dialect) -> Optional[datetime]:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("a recorded_at moment must carry its time zone: use datetime.now(timezone.utc)")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: Optional[datetime], dialect) -> Optional[datetime]:
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


# Where forecasts were made: an article, a speech, a podcast.
SOURCE = Table(
    "source", METADATA,
    Column("id", Integer, primary_key=True),
    Column("title", String, nullable=False),
    Column("outlet", String),
    Column("url", String),
    Column("published_on", Date),
    Column("path", String),  # the text file as it was given
    Column("sha256", String, index=True),  # of the text: the same article twice is one source
    Column("text", String),  # kept so that extraction and review work from the ledger alone
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# Who made a forecast: a person, an organisation, or an unnamed group such as "observers".
FORECASTER = Table(
    "forecaster", METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False),  # as first written, Unicode kept
    Column("name_key", String, nullable=False, unique=True),  # casefolded: names match case-insensitively
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# A named set of mutually exclusive, exhaustive questions (its outcomes).
SCENARIO = Table(
    "scenario", METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False, unique=True),
    Column("ordered", Boolean, nullable=False, default=False),  # outcomes lie on a scale (time bins, ranges)
    Column("resolve_by", Date),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# A claim about the future that will be resolved yes or no by a date.
QUESTION = Table(
    "question", METADATA,
    Column("id", Integer, primary_key=True),
    Column("statement", String, nullable=False),
    Column("criteria", String),
    Column("resolve_by", Date, nullable=False, index=True),
    Column("scenario_id", Integer, ForeignKey("scenario.id"), index=True),
    Column("scenario_position", Integer),  # the outcome's place within its scenario, from 0
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# A question's tags, one row each.
TAG = Table(
    "question_tag", METADATA,
    Column("id", Integer, primary_key=True),
    Column("question_id", Integer, ForeignKey("question.id"), nullable=False, index=True),
    Column("tag", String, nullable=False, index=True),
    Column("recorded_at", UTCDateTime(), nullable=False),
    UniqueConstraint('question_id', 'tag'),
)

# One forecaster's probability vector over a scenario; its parts are forecasts on the outcomes.
SCENARIO_FORECAST = Table(
    "scenario_forecast", METADATA,
    Column("id", Integer, primary_key=True),
    Column("scenario_id", Integer, ForeignKey("scenario.id"), nullable=False, index=True),
    Column("forecaster_id", Integer, ForeignKey("forecaster.id"), nullable=False),
    Column("stated_on", Date, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# One forecaster's probability for one question, on one date, from one source.
FORECAST = Table(
    "forecast", METADATA,
    Column("id", Integer, primary_key=True),
    Column("question_id", Integer, ForeignKey("question.id"), nullable=False, index=True),
    Column("forecaster_id", Integer, ForeignKey("forecaster.id"), nullable=False, index=True),
    Column("source_id", Integer, ForeignKey("source.id"), index=True),
    Column("scenario_forecast_id", Integer, ForeignKey("scenario_forecast.id")),
    Column("probability", Float, nullable=False),
    Column("cue", String),  # the words used ("is expected to"); None when a number was given
    Column("scale", String, nullable=False),  # "number", or the likelihood scale the words were read through ("icd203")
    Column("range_low", Float, nullable=False),  # the range the scale gives for the words; equal to probability for numbers
    Column("range_high", Float, nullable=False),
    Column("stated_on", Date, nullable=False, index=True),
    Column("quote", String),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# Whether a question's event happened, dated; a later row may amend an earlier one.
RESOLUTION = Table(
    "resolution", METADATA,
    Column("id", Integer, primary_key=True),
    Column("question_id", Integer, ForeignKey("question.id"), nullable=False, index=True),
    Column("outcome", String, nullable=False),  # yes | no | ambiguous | annulled
    Column("resolved_on", Date, nullable=False),
    Column("note", String),
    Column("evidence", String),
    Column("amends_id", Integer, ForeignKey("resolution.id")),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# A conditional question counts only if another question resolves as stated; else it is annulled.
CONDITION = Table(
    "question_condition", METADATA,
    Column("id", Integer, primary_key=True),
    Column("question_id", Integer, ForeignKey("question.id"), nullable=False, unique=True),
    Column("condition_id", Integer, ForeignKey("question.id"), nullable=False, index=True),
    Column("condition_outcome", String, nullable=False),  # yes | no
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# An observable event tied to a scenario, with how likely it is to be seen under each outcome.
INDICATOR = Table(
    "indicator", METADATA,
    Column("id", Integer, primary_key=True),
    Column("scenario_id", Integer, ForeignKey("scenario.id"), nullable=False, index=True),
    Column("text", String, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# The probability of seeing an indicator if one outcome (a question of its scenario) is the true future.
LIKELIHOOD = Table(
    "indicator_likelihood", METADATA,
    Column("id", Integer, primary_key=True),
    Column("indicator_id", Integer, ForeignKey("indicator.id"), nullable=False, index=True),
    Column("question_id", Integer, ForeignKey("question.id"), nullable=False),
    Column("likelihood", Float, nullable=False),
    Column("rating", String),  # the word given (Heuer's consistent / inconsistent / neutral), if any
    Column("recorded_at", UTCDateTime(), nullable=False),
    UniqueConstraint('indicator_id', 'question_id'),
)

# A dated observation that an indicator was seen (or not seen by then), quoted from a source.
SIGHTING = Table(
    "sighting", METADATA,
    Column("id", Integer, primary_key=True),
    Column("indicator_id", Integer, ForeignKey("indicator.id"), nullable=False, index=True),
    Column("seen", Boolean, nullable=False),
    Column("observed_on", Date, nullable=False),
    Column("source_id", Integer, ForeignKey("source.id")),
    Column("quote", String),
    Column("note", String),
    Column("amends_id", Integer, ForeignKey("sighting.id")),  # a correction; the amended one no longer counts
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# Another spelling of a forecaster's name ("Kim Jong Un" for "Kim Jong-un"): it finds the same forecaster.
ALIAS = Table(
    "forecaster_alias", METADATA,
    Column("id", Integer, primary_key=True),
    Column("forecaster_id", Integer, ForeignKey("forecaster.id"), nullable=False, index=True),
    Column("alias", String, nullable=False),
    Column("alias_key", String, nullable=False, unique=True),  # as Forecaster.name_key
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# Two forecasters found to be one: the merged one's forecasts count as the other's (the latest merge of an id wins).
MERGE = Table(
    "forecaster_merge", METADATA,
    Column("id", Integer, primary_key=True),
    Column("merged_id", Integer, ForeignKey("forecaster.id"), nullable=False, index=True),
    Column("into_id", Integer, ForeignKey("forecaster.id"), nullable=False),
    Column("note", String),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# What a forecaster is: a person, an organisation, a group such as "observers", or the newsroom itself (the latest wins).
KIND = Table(
    "forecaster_kind", METADATA,
    Column("id", Integer, primary_key=True),
    Column("forecaster_id", Integer, ForeignKey("forecaster.id"), nullable=False, index=True),
    Column("kind", String, nullable=False),  # person | organisation | group | newsroom
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# One run of `ledger digest`: the days it covered. The next digest starts where the last one ended.
DIGEST_RUN = Table(
    "digest_run", METADATA,
    Column("id", Integer, primary_key=True),
    Column("since", Date, nullable=False),  # the first day covered
    Column("ran_on", Date, nullable=False),  # the day it spoke for (--today): the last day covered, and the next digest's `since`
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# Where and when a source's web page was fetched; the source's text is the page's main text as read then.
SOURCE_FETCH = Table(
    "source_fetch", METADATA,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("source.id"), nullable=False, index=True),
    Column("url", String, nullable=False),  # the address the page was read from, after redirects
    # ISO 8601 text in UTC, not a DateTime: the chain's fast readers take every DateTime column for recorded_at.
    Column("fetched_at", String, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# The forecaster's affiliation or role when they made a forecast, as the source gives it
# ("senior researcher at the Korea Institute for National Unification"): one per forecast, at most.
FORECAST_ROLE = Table(
    "forecast_role", METADATA,
    Column("id", Integer, primary_key=True),
    Column("forecast_id", Integer, ForeignKey("forecast.id"), nullable=False, unique=True),
    Column("role", String, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

# One link of the hash chain over every write; see ledger/chain.py for the encoding. The record itself is
# not copied here: `entry_hash` covers the record's row as it is in its own table, so changing, deleting or
# inserting a row breaks the chain.
CHAIN = Table(
    "chain_entry", METADATA,
    Column("id", Integer, primary_key=True),
    Column("table_name", String, nullable=False),
    Column("record_id", Integer, nullable=False),
    Column("previous_hash", String, nullable=False, index=True, unique=True),  # two entries never follow the same one: no forks
    Column("entry_hash", String, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    UniqueConstraint('table_name', 'record_id'),
)


# The tables the hash chain covers, in the order a record can depend on another.
RECORD_TABLES = (
    SOURCE, FORECASTER, SCENARIO, QUESTION, TAG, SCENARIO_FORECAST, FORECAST, RESOLUTION, CONDITION, INDICATOR, LIKELIHOOD,
    SIGHTING, ALIAS, MERGE, KIND, DIGEST_RUN, SOURCE_FETCH, FORECAST_ROLE,
)

# In the order a record can depend on another: the order the writer inserts a batch in.
WRITE_ORDER = (SOURCE, FORECASTER, SCENARIO, QUESTION, TAG, SCENARIO_FORECAST, FORECAST, RESOLUTION,
               CONDITION, INDICATOR, LIKELIHOOD, SIGHTING, ALIAS, MERGE, KIND, DIGEST_RUN, SOURCE_FETCH,
               FORECAST_ROLE)
