"""Reading dates and deadline phrases ("end of this year", "Q3 2026") against the day they were said."""

import calendar
import re
from datetime import date, datetime, timedelta

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import relativedelta

from ledger.errors import LedgerError

PERIODS = ("week", "month", "quarter", "year")

DEADLINE_EXAMPLES = (
    "2019-12-31",
    "end of this year",
    "end of next year",
    "2026",
    "Q3 2026",
    "the first quarter of next year",
    "first half of next year",
    "H1 2027",
    "mid-2026",
    "within six months",
    "within 90 days",
    "next month",
    "next week",
    "before 2026-01-20",
)

DEADLINE_HELP = (
    "use a date (2019-12-31) or a phrase such as 'end of this year', 'Q3 2026', "
    "'first half of next year', 'mid-2026', 'within six months', 'next month'"
)

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_NUMBER = r"(?:\d+|" + "|".join(NUMBER_WORDS) + r")"
_UNIT = r"(?:day|week|month|year)s?"
_YEAR_REF = r"(?:\d{4}|this year|next year|the year)"
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"

# Words that may stand before a deadline without changing it, longest first.
_FILLERS = (
    "no later than ", "sometime in ", "some time in ", "at least ", "by ", "until ", "till ",
    "up to ", "through ", "during ", "in ", "the ", "end of ", "within the next ",
    "in the next ", "over the next ", "within ",
)


def parse_date(text: str) -> date:
    """A full calendar date from ISO 8601 or any unambiguous form dateutil reads ('Dec 31 2019')."""
    cleaned = " ".join(str(text).split())
    refusal = LedgerError(f"unreadable date {text!r}: use YYYY-MM-DD or a date such as 'Dec 31 2019'")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            raise refusal from None
    numeric = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}", cleaned)
    if numeric and numeric.group(1) != numeric.group(2) and max(map(int, numeric.groups())) <= 12:
        raise LedgerError(
            f"ambiguous date {text!r}: day and month could be either way round; use YYYY-MM-DD"
        )
    if not re.search(r"\d{4}", cleaned) and not re.search(rf"\b{_MONTH}\b", cleaned, re.IGNORECASE):
        raise refusal
    try:
        # Parsing twice with different defaults shows whether the text gave a year, month and day.
        first = dateutil_parser.parse(cleaned, default=datetime(2000, 1, 1))
        second = dateutil_parser.parse(cleaned, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError):
        raise refusal from None
    if first.date() != second.date():
        raise refusal
    return first.date()


def resolve_deadline(text: str, said_on: date) -> date:
    """The last day meant by a deadline such as 'end of this year' or 'within six months', said on said_on."""
    phrase = _normalise(text)
    if phrase.startswith("before the end of "):
        phrase = phrase[len("before "):]
    before = phrase.startswith("before ")
    if before:
        phrase = phrase[len("before "):]
    phrase = _strip_fillers(phrase)
    span = _relative_span(phrase, said_on) or _period(phrase, said_on)
    if span is not None:
        first_day, last_day = span
        return first_day - timedelta(days=1) if before else last_day
    try:
        day = parse_date(phrase)
    except LedgerError:
        raise LedgerError(f"unreadable deadline {text!r}: {DEADLINE_HELP}") from None
    return day - timedelta(days=1) if before else day


def find_deadline(sentence: str, said_on: date) -> tuple[str, date] | None:
    """The first deadline phrase in running text, as written there, with its date; None if there is none.

    Dates before said_on are skipped: in news text they are history ("rolled out in 2016"), not deadlines.
    """
    candidates = []
    for pattern in _DEADLINE_PATTERNS:
        for match in pattern.finditer(sentence):
            try:
                day = resolve_deadline(match.group(0), said_on)
            except LedgerError:
                continue
            if day >= said_on:
                candidates.append((match.start(), match.end(), match.group(0), day))
    kept = [
        c for c in candidates
        if not any(o[0] <= c[0] and c[1] <= o[1] and (o[1] - o[0]) > (c[1] - c[0]) for o in candidates)
    ]
    if not kept:
        return None
    start, end, phrase, day = min(kept, key=lambda c: (c[0], -(c[1] - c[0])))
    return phrase, day


def period_label(day: date, period: str) -> str:
    """The label of the week, month, quarter or year that contains day: '2019-W52', '2019-12', '2019-Q4', '2019'."""
    if period == "week":
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if period == "year":
        return str(day.year)
    raise LedgerError(f"unknown period {period!r}: use one of {', '.join(PERIODS)}")


def _normalise(text: str) -> str:
    phrase = " ".join(str(text).lower().replace("\u2013", "-").split())
    return phrase.strip(" .,;:!?\"'()")


def _strip_fillers(phrase: str) -> str:
    changed = True
    while changed:
        changed = False
        for filler in _FILLERS:
            if phrase.startswith(filler) and len(phrase) > len(filler):
                phrase = phrase[len(filler):]
                changed = True
    return phrase


def _relative_span(phrase: str, said_on: date) -> tuple[date, date] | None:
    match = re.fullmatch(rf"({_NUMBER}) ({_UNIT})(?: from now| time)?", phrase)
    if not match:
        return None
    count = NUMBER_WORDS.get(match.group(1)) or int(match.group(1))
    unit = match.group(2).rstrip("s") + "s"
    return said_on, said_on + relativedelta(**{unit: count})


def _year_of(ref: str | None, said_on: date) -> int:
    if ref is None or ref in ("this year", "the year"):
        return said_on.year
    if ref == "next year":
        return said_on.year + 1
    return int(ref)


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _months_span(year: int, first_month: int, count: int) -> tuple[date, date]:
    return date(year, first_month, 1), _month_span(year, first_month + count - 1)[1]


def _period(phrase: str, said_on: date) -> tuple[date, date] | None:
    """The first and last day of a named period such as 'next month' or 'q3 2026', or None."""
    match = re.fullmatch(r"(?:(this|next|the) )?(year|month|week|quarter)", phrase)
    if match:
        step = 1 if match.group(1) == "next" else 0
        unit = match.group(2)
        if unit == "year":
            return _months_span(said_on.year + step, 1, 12)
        if unit == "month":
            first = said_on.replace(day=1) + relativedelta(months=step)
            return _month_span(first.year, first.month)
        if unit == "quarter":
            first = date(said_on.year, 3 * ((said_on.month - 1) // 3) + 1, 1) + relativedelta(months=3 * step)
            return _months_span(first.year, first.month, 3)
        monday = said_on - timedelta(days=said_on.weekday()) + timedelta(weeks=step)
        return monday, monday + timedelta(days=6)
    if re.fullmatch(r"\d{4}", phrase):
        return _months_span(int(phrase), 1, 12)
    quarter = (
        re.fullmatch(rf"q([1-4])(?: ?({_YEAR_REF}))?", phrase)
        or re.fullmatch(rf"({'|'.join(ORDINALS)}) quarter(?: (?:of )?({_YEAR_REF}))?", phrase)
    )
    if quarter:
        number = ORDINALS.get(quarter.group(1)) or int(quarter.group(1))
        return _months_span(_year_of(quarter.group(2), said_on), 3 * number - 2, 3)
    quarter = re.fullmatch(r"(\d{4}) ?q([1-4])", phrase)
    if quarter:
        return _months_span(int(quarter.group(1)), 3 * int(quarter.group(2)) - 2, 3)
    half = (
        re.fullmatch(rf"h([12])(?: ?({_YEAR_REF}))?", phrase)
        or re.fullmatch(rf"(first|second|1st|2nd) half(?: (?:of )?({_YEAR_REF}))?", phrase)
    )
    if half:
        number = ORDINALS.get(half.group(1)) or int(half.group(1))
        return _months_span(_year_of(half.group(2), said_on), 6 * number - 5, 6)
    half = re.fullmatch(r"(\d{4}) ?h([12])", phrase)
    if half:
        return _months_span(int(half.group(1)), 6 * int(half.group(2)) - 5, 6)
    middle = re.fullmatch(rf"(?:mid-? ?|middle of (?:the )?)({_YEAR_REF}|year)", phrase)
    if middle:
        year = _year_of(None if middle.group(1) == "year" else middle.group(1), said_on)
        return _month_span(year, 6)
    month = re.fullmatch(rf"({_MONTH})\.?(?: (\d{{4}}))?", phrase)
    if month:
        number = MONTHS[month.group(1)]
        if month.group(2):
            return _month_span(int(month.group(2)), number)
        span = _month_span(said_on.year, number)
        # A month named without a year means the next one to end.
        return span if span[1] >= said_on else _month_span(said_on.year + 1, number)
    return None


_LEAD = r"(?:(?:by|until|till|before|through|during|in|no\s+later\s+than)\s+)?"
_END = r"(?:the\s+)?end\s+of\s+"
_RUNNING_YEAR_REF = r"(?:\d{4}|this\s+year|next\s+year|the\s+year)"
_DEADLINE_PATTERNS = tuple(
    re.compile(r"\b" + pattern + r"\b", re.IGNORECASE)
    for pattern in (
        _LEAD + _END + r"(?:the|this|next)\s+(?:year|month|week|quarter)",
        _LEAD + _END + r"\d{4}",
        _LEAD + _END + _MONTH + r"(?:\s+\d{4})?",
        _LEAD + r"(?:the\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+(?:of\s+)?"
        + _RUNNING_YEAR_REF + r")?",
        _LEAD + r"(?:the\s+)?(?:first|second|1st|2nd)\s+half(?:\s+(?:of\s+)?" + _RUNNING_YEAR_REF + r")?",
        _LEAD + r"(?:q[1-4](?:\s*\d{4})?|\d{4}\s*q[1-4]|h[12]\s*\d{4}|\d{4}\s*h[12])",
        _LEAD + r"mid-?\s*(?:\d{4}|next\s+year|this\s+year)",
        _LEAD + r"(?:the\s+)?middle\s+of\s+" + _RUNNING_YEAR_REF,
        _LEAD + r"(?:this|next)\s+(?:year|month|week|quarter)",
        r"(?:within|in)\s+(?:the\s+next\s+)?" + _NUMBER + r"\s+" + _UNIT,
        _LEAD + r"\d{4}-\d{2}-\d{2}",
        _LEAD + _MONTH + r"\.?\s+\d{1,2},?\s+\d{4}",
        _LEAD + r"\d{1,2}\s+" + _MONTH + r"\.?\s+\d{4}",
        r"(?:by|until|till|before|through|during|in)\s+" + _MONTH + r"\.?\s+\d{4}",
        r"(?:by|until|till|before|through|during|in)\s+(?:19|20)\d{2}",
    )
)
