"""What the other sites' layouts share: timestamps read as the UTC day, binary rows in our layout, multiple-choice questions."""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Optional, Union


def utc_day(cell: str) -> str:
    """The UTC date of an ISO 8601 timestamp ('2024-09-30T21:02:10-05:00' is 2024-10-01); other text as it is.

    A timestamp without an offset is taken as UTC. Text that is no timestamp is left for the
    date rule, whose refusal says what it accepts.
    """
    text = cell.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return cell
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.date().isoformat()


def epoch_day(value: Union[int, float, str, None], unit: float = 1.0) -> str:
    """The UTC date of a count of seconds (unit 1) or milliseconds (unit 1000) since 1970."""
    if value is None or value == "":
        return ""
    return datetime.fromtimestamp(float(value) / unit, tz=timezone.utc).date().isoformat()


@dataclass
class ChoiceForecast:
    """One forecaster's dated forecast on a multiple-choice question: a whole vector, or one option's probability."""

    line: int
    forecaster: str
    stated_on: str
    vector: Optional[list] = None
    option: Optional[str] = None
    probability: Any = None


@dataclass
class ChoiceQuestion:
    """A multiple-choice question as a site's export holds it; it becomes a scenario with one outcome per option."""

    line: int
    name: str
    options: list[str]
    resolve_by: str
    opened_on: str
    source: tuple  # title, url
    resolution: Any = None  # an option's text, 'ambiguous', 'annulled', a Refused, or None while open
    resolved_on: str = ""
    forecasts: list[ChoiceForecast] = field(default_factory=list)


@dataclass
class SiteExport:
    """What a site's export holds: rows of our layout for binary questions, and its multiple-choice questions."""

    rows: Iterable[tuple[int, dict]]
    choices: list[ChoiceQuestion] = field(default_factory=list)
    names: dict = field(default_factory=dict)  # our column -> the site's field, for messages


def binary_row(*, statement: str, resolve_by: str, forecaster: str, probability: Any, stated_on: str, outcome: Any,
               resolved_on: str, source: tuple, criteria: Optional[str] = None, tags: Optional[str] = None,
               quote: Optional[str] = None) -> dict:
    """A row of our layout for one forecast on a binary question of another site."""
    return {"question_id": None, "statement": statement, "resolve_by": resolve_by, "forecaster": forecaster,
            "probability": probability, "stated_on": stated_on, "outcome": outcome or None,
            "resolved_on": resolved_on or None, "source": source[0], "source_url": source[1],
            "criteria": criteria, "tags": tags, "quote": quote}
