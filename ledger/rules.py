"""Reading and checking one source, question, forecast or resolution: pure, the same for every way in.

The CLI, the importers (our CSV/JSON, Fatebook, the seed file) and extract's review all check
records here, so a rule and its message exist once. A refusal is a `Problem`: a `LedgerError`
that also names the field it is about, so an importer can say which cell of which row was wrong.
"""

import re
import unicodedata
from datetime import date
from typing import Iterable, Optional

from ledger import dates, likelihood
from ledger.errors import LedgerError

OUTCOMES = ("yes", "no", "ambiguous", "annulled")
SCORED_OUTCOMES = ("yes", "no")


class Problem(LedgerError):
    """Input refused by a rule; `field` names what it was about (a column, an option)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def text(value: Optional[str]) -> Optional[str]:
    """Free text as stored: NFC, surrounding space removed, empty as None."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", str(value)).strip()
    return value or None


# Control characters, and the Unicode ones that reorder text, have no place in a name, a
# statement or a tag, and printed raw they could drive a terminal (ESC ] 0 ; retitles it).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def one_line(value: Optional[str], field: str = "text") -> str:
    """A name, statement or tag: NFC, whitespace runs collapsed to one space, no control characters."""
    clean = " ".join(unicodedata.normalize("NFC", str(value or "")).split())
    control = _CONTROL.search(clean)
    if control:
        code = ord(control.group())
        raise Problem(
            field,
            f"the {field.replace('_', ' ')} holds a control character (U+{code:04X} at position {control.start() + 1}): "
            "names, statements and tags are plain text",
        )
    return clean


def forecaster_key(name: str) -> str:
    """The key two spellings of one forecaster share: NFC, spacing and case folded away."""
    return one_line(name).casefold()


def tags(values: Iterable[str]) -> list[str]:
    """Tags as stored: lower case, spacing collapsed, each once, in the order given (commas also separate)."""
    names: list[str] = []
    for value in values:
        for part in str(value).split(","):
            name = one_line(part, "tag").lower()
            if name and name not in names:
                names.append(name)
    return names


def read_date(value, default: Optional[date] = None, field: str = "date") -> Optional[date]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, date):
        return value
    try:
        return dates.parse_date(str(value))
    except LedgerError as error:
        raise Problem(field, str(error)) from None


def read_outcome(outcome: str) -> str:
    word = str(outcome).strip().lower()
    if word not in OUTCOMES:
        raise Problem("outcome", f"unknown outcome {outcome!r}: use yes, no, ambiguous or annulled (yes/no say whether the event happened)")
    return word


# A number below zero is out of range, not "not a number" (the likelihood reader knows no sign).
_NEGATIVE_NUMBER = re.compile(r"- ?(\d+(?:\.\d*)?|\.\d+) ?(%|percent|per cent|pct)?")
_SCIENTIFIC = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+")


def read_probability(probability=None, says: Optional[str] = None, scale: str = "icd203", cue: Optional[str] = None) -> dict:
    """The forecast's number and words: a number given (--prob) or words read through a scale (--says).

    `cue` keeps the words that came with a number ("70 percent chance") when they are not scale words.
    """
    if (probability is None) == (says is None):
        raise Problem("probability", "give the forecast as either --prob (0.3, 30%, '30 percent') or --says (the words used), not both")
    if says is not None:
        try:
            reading = likelihood.read_words(says, scale)
        except LedgerError as error:
            raise Problem("cue", str(error)) from None
        return {"probability": reading.probability, "cue": reading.cue, "scale": reading.scale,
                "range_low": reading.low, "range_high": reading.high}
    if isinstance(probability, bool) or not isinstance(probability, (int, float, str)):
        raise Problem("probability", f"probability {probability!r} is not a number: give a number from 0 to 1, or a percentage such as 30%")
    if isinstance(probability, str) and _NEGATIVE_NUMBER.fullmatch(" ".join(probability.lower().split())):
        raise Problem("probability", f"probability {probability} is out of range: give a number from 0 to 1, or a percentage such as 30%")
    try:
        value = float(probability) if isinstance(probability, (int, float)) else likelihood.parse_probability(probability)
    except LedgerError as error:
        # Exports write small numbers as Python does ('1e-05'): the scale's reader takes only decimals and percentages.
        if not isinstance(probability, str) or not _SCIENTIFIC.fullmatch(probability.strip()):
            raise Problem("probability", str(error)) from None
        value = float(probability)
    if not 0.0 <= value <= 1.0:
        raise Problem("probability", f"probability {probability} is out of range: give a number from 0 to 1, or a percentage such as 30%")
    return {"probability": value, "cue": text(cue), "scale": "number", "range_low": value, "range_high": value}


def statement(value: Optional[str]) -> str:
    clean = one_line(value, "statement")
    if not clean:
        raise Problem("statement", "the statement is empty: give the claim to be resolved, e.g. 'A third US-North Korea summit is held'")
    return clean


def forecaster(name: Optional[str]) -> str:
    clean = one_line(name, "forecaster")
    if not clean:
        raise Problem("forecaster", "a forecast needs --who: the forecaster's name, or a group such as 'observers'")
    return clean


ROLE_LENGTH = 200  # a role is an apposition ("senior researcher at ..."), not a biography


def role(value: Optional[str]) -> Optional[str]:
    """The forecaster's affiliation or role when they spoke, as the source gives it; None when not given."""
    if value is None:
        return None
    clean = one_line(value, "role")
    if not clean:
        raise Problem("role", "the role is empty: give the forecaster's role as the source says it "
                              "('senior researcher at the Korea Institute for National Unification'), or leave --role out")
    if len(clean) > ROLE_LENGTH:
        raise Problem("role", f"the role is {len(clean)} characters long: give at most {ROLE_LENGTH}, "
                              "the affiliation or title as the source says it")
    return clean


def resolve_by(by, stated_on: date) -> date:
    """The deadline: a date, or a phrase read against the day the forecast was made."""
    if isinstance(by, date):
        deadline = by
    else:
        try:
            deadline = dates.resolve_deadline(str(by), stated_on)
        except LedgerError as error:
            raise Problem("resolve_by", _date_reader_message(str(by)) or str(error)) from None
    if deadline < stated_on:
        raise Problem("resolve_by", f"resolve-by date {deadline} is before the stated date {stated_on}: a forecast is about the future")
    return deadline


def _date_reader_message(value: str) -> Optional[str]:
    """What the date reader says of a deadline that looks like a date ("ambiguous day and month"), if it says more."""
    try:
        dates.parse_date(value)
    except LedgerError as error:
        return str(error) if "ambiguous" in str(error) else None
    return None


def stated_on(day: date, *, today: date, deadline: date) -> date:
    """A forecast is recorded once it is made, and made before its question's deadline."""
    if day > today:
        raise Problem("stated_on", f"stated date {day} is after today ({today}): a forecast is recorded once it is made")
    if day > deadline:
        raise Problem("stated_on", f"stated date {day} is after the resolve-by date {deadline}: a forecast must be made before its deadline")
    return day


def resolved_on(day: date, *, today: date) -> date:
    if day > today:
        raise Problem("resolved_on", f"resolution date {day} is after today ({today}): resolve a question once its outcome is known")
    return day


def condition(value) -> Optional[tuple[int, str]]:
    """--if QUESTION_ID[=yes|no]: the question this one counts under, and how it must resolve (default yes)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, tuple):
        return value
    number, _, outcome = str(value).strip().partition("=")
    outcome = (outcome or "yes").strip().lower()
    if not number.strip().isdigit() or outcome not in SCORED_OUTCOMES or len(number.strip()) > 18:
        raise Problem("condition", f"unreadable condition {value!r}: give --if QUESTION_ID, or QUESTION_ID=yes / QUESTION_ID=no")
    return int(number), outcome


def event_date(outcome: str, on: Optional[date], *, deadline: date, today: date) -> date:
    """When the outcome was settled in the world: --on, else the deadline for 'did not happen by then', else today."""
    if on is not None:
        return resolved_on(on, today=today)
    if outcome == "no" and deadline < today:
        return deadline  # "no" past the deadline: it had not happened by the deadline
    return today
