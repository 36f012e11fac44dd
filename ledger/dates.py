"""Reading dates and deadline phrases ("end of this year", "Q3 2026") against the day they were said."""

import calendar
import functools
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
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18,
    "twenty-four": 24, "thirty": 30, "few": 3, "couple of": 2,
}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
LAST = {"quarter": 4, "half": 2}  # "the last quarter of 2023", "the final half"
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
    "in the next ", "over the next ", "within ", "over the coming ", "in the coming ", "the next ", "the coming ",
    "around ", "about ", "roughly ", "on ", "from ", "come ", "for ", "some ", "over ", "sometime ", "some time ", "as soon as ", "as early as ",
)
SEASON_END = {"spring": (5, 0), "summer": (8, 0), "fall": (11, 0), "autumn": (11, 0), "winter": (2, 1)}
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
_WEEKDAY = r"(?:" + "|".join(WEEKDAYS) + r")"


def parse_date(text: str) -> date:
    """A full calendar date from ISO 8601 or any unambiguous form dateutil reads ('Dec 31 2019')."""
    try:
        return _parse_date(text)
    except OUTSIDE_CALENDAR:
        raise LedgerError(f"unreadable date {text!r}: it falls outside the calendar (years 1 to 9999); use YYYY-MM-DD") from None


def _parse_date(text: str) -> date:
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


OUTSIDE_CALENDAR = (ValueError, OverflowError)  # what date arithmetic raises past year 1 or 9999


_ISO_DAY = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")


def resolve_deadline(text: str, said_on: date) -> date:
    """The last day meant by a deadline such as 'end of this year' or 'within six months', said on said_on."""
    if _ISO_DAY.fullmatch(text):  # the usual --by, a day as it is: read without compiling every phrase pattern
        try:
            return parse_date(text)
        except LedgerError:
            pass  # not a day of the calendar: the full reading words the refusal
    try:
        return _resolve_deadline(text, said_on)
    except OUTSIDE_CALENDAR:
        raise LedgerError(
            f"deadline {text!r}, read against {said_on}, falls outside the calendar (years 1 to 9999): give a date such as 2027-12-31"
        ) from None


def _resolve_deadline(text: str, said_on: date) -> date:
    phrase = _normalise(text)
    phrase = re.sub(r"\b(first|second|third|fourth|1st|2nd|3rd|4th|last|final)-(quarter|half)\b", r"\1 \2", phrase)  # "third-quarter earnings"
    phrase = re.sub(r"^(within|over|during|in)\s+(?:the\s+)?(?:next|coming)\s+decade$", r"\1 ten years", phrase)
    # "over the next year" is a span of one year from the day said; "during the next year" the calendar year.
    phrase = re.sub(r"^(?:within|over|in)\s+the\s+(?:next|coming|following)\s+(year|month|week|day)$", r"1 \1", phrase)
    phrase = re.sub(r"^the\s+(?:next|coming)\s+(year|month|week|quarter)$", r"next \1", phrase)
    if phrase.startswith("before the end of "):
        phrase = phrase[len("before "):]
    phrase = re.sub(r"^(?:earlier than|sooner than|prior to|ahead of)\s+", "before ", phrase)
    phrase = re.sub(r"^before (the (?:month|quarter|year)(?: and the (?:month|quarter|year))? (?:is|are) (?:over|out|done))$", r"\1", phrase)
    before = phrase.startswith("before ")
    if before:
        phrase = phrase[len("before "):]
    phrase = _strip_fillers(phrase)
    span_years = re.fullmatch(r"(?:the )?((?:19|20)\d{2}) ?[-/–] ?((?:19|20)\d{2}|\d{2})( season)?", phrase)
    if span_years:
        first, second = int(span_years.group(1)), span_years.group(2)
        last_year = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if last_year <= first:
            raise LedgerError(f"unreadable deadline {text!r}: {DEADLINE_HELP}")
        # A season across two years ends in the second; leagues that play across the new year end in May.
        if before:
            return date(first, 12, 31) if span_years.group(3) else date(first - 1, 12, 31)
        return date(last_year, 5, 31) if span_years.group(3) else date(last_year, 12, 31)
    early_week = re.fullmatch(r"(early|late) (this|next) week", phrase)
    if early_week:
        sunday = said_on + timedelta(days=6 - said_on.weekday() + (7 if early_week.group(2) == "next" else 0))
        return sunday - timedelta(days=4) if early_week.group(1) == "early" else sunday  # early: by the Wednesday
    span = _relative_span(phrase, said_on) or _period(phrase, said_on) or _named_span(phrase, said_on)
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
    found = find_deadlines(sentence, said_on)
    return (found[0][0], found[0][1]) if found else None


def find_deadlines(sentence: str, said_on: date) -> list[tuple[str, date, int]]:
    """Every deadline phrase in running text (see _find_deadlines); none where the text runs off the calendar."""
    try:
        return _find_deadlines(sentence, said_on)
    except OUTSIDE_CALENDAR:
        return []


def _find_deadlines(sentence: str, said_on: date) -> list[tuple[str, date, int]]:
    """Every deadline phrase in running text that no longer one contains: (phrase, date, position), in order."""
    candidates = []
    for pattern in _deadline_patterns():
        for match in pattern.finditer(sentence):
            try:
                day = resolve_deadline(match.group(0), said_on)
                recent = _just_ended_month(match.group(0), said_on)
                day = recent or _with_year_of_sentence(sentence, (match.start(), match.end(), match.group(0), day), said_on)[3]
                day = _financial_year(sentence, match) or day
            except LedgerError:
                continue
            if re.match(r"\s+(?:of\s+)?last\s+year\b", sentence[match.end():], re.IGNORECASE):
                continue  # "the autumn of last year": history
            if day >= said_on or recent:
                candidates.append((match.start(), match.end(), match.group(0), day))
    kept = [
        c for c in candidates
        if not any(o[0] <= c[0] and c[1] <= o[1] and (o[1] - o[0]) > (c[1] - c[0]) for o in candidates)
    ]
    kept += _elliptical_quarters(sentence, said_on, kept)
    kept.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    result, last_end = [], -1
    for start, end, phrase, day in kept:
        if start >= last_end:
            result.append((phrase, day, start))
            last_end = end
    return result


_TWO_YEARS = re.compile(r"(?:.*\s)?((?:19|20)\d{2})\s*[-/–]\s*(\d{2}|(?:19|20)\d{2})")
_RESULTS = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:profits?|earnings|revenues?|sales|results|guidance|dividends?|budget)\b", re.IGNORECASE)


def _financial_year(sentence: str, match: re.Match) -> date | None:
    """'a 2023/24 underlying pretax profit', 'the financial year 2023-24': a financial year, ending March 31.

    A company's or a government's year written across two calendar years most often runs April to
    March (the UK, Japan, India); where another calendar applies, --by says so.
    """
    span = _TWO_YEARS.fullmatch(match.group(0))
    if not span:
        return None
    before = sentence[: match.start()]
    if not (_RESULTS.match(sentence, match.end()) or re.search(r"\b(?:financial|fiscal)\s+year\s+$", before, re.IGNORECASE)):
        return None
    first, second = int(span.group(1)), span.group(2)
    return date(int(second) if len(second) == 4 else first // 100 * 100 + int(second), 3, 31)


_YEARLESS = re.compile(r"(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:half|quarter)(?:\s+of\s+the\s+year)?$|\bh[12]$|\bq[1-4]$", re.IGNORECASE)


def _with_year_of_sentence(sentence: str, found: tuple, said_on: date) -> tuple:
    """'2017 ... weaken in the first half of the year before rebounding in its second half': 2017's halves."""
    start, end, phrase, day = found
    if not _YEARLESS.search(phrase.strip()):
        return found
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", sentence[:start]) if int(y) >= said_on.year]
    if not years:
        return found
    core = re.sub(r"\s+of\s+the\s+year$", "", phrase.strip(), flags=re.IGNORECASE)
    try:
        return start, end, phrase, resolve_deadline(f"{core} {years[-1]}", said_on)
    except LedgerError:
        return found


def _elliptical_quarters(sentence: str, said_on: date, kept: list) -> list:
    """'3.2% for the third quarter and 3.5% for the fourth': the fourth quarter, said once."""
    extra = []
    named = re.search(r"\b(?:first|second|third|fourth)\s+quarter\b", sentence, re.IGNORECASE)
    if not named:
        return extra
    for match in re.finditer(r"\b(?:for|in)\s+the\s+(first|second|third|fourth)\b(?!\s+(?:quarter|half|time|day|week|month|year|round|term|place))",
                             sentence[named.end():], re.IGNORECASE):
        start = named.end() + match.start()
        try:
            day = resolve_deadline(f"{match.group(1)} quarter", said_on)
        except LedgerError:
            continue
        if day >= said_on and not any(c[0] <= start < c[1] for c in kept):
            extra.append((start, named.end() + match.end(), match.group(0), day))
    return extra


def _just_ended_month(phrase: str, said_on: date) -> date | None:
    """'in May' said on June 30: the May figure not yet out, not next May (only 'in', only within two months)."""
    match = re.fullmatch(rf"in\s+({_MONTH})\.?", _normalise(phrase))
    if not match:
        return None
    last = _month_span(said_on.year, MONTHS[match.group(1)])[1]
    return last if timedelta(0) < said_on - last <= timedelta(days=62) else None


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
        for filler in sorted(_FILLERS, key=len, reverse=True):
            if phrase.startswith(filler) and len(phrase) > len(filler):
                phrase = phrase[len(filler):]
                changed = True
    return phrase


def _relative_span(phrase: str, said_on: date) -> tuple[date, date] | None:
    phrase = re.sub(r"[’']s? time$", "", phrase)
    match = re.fullmatch(rf"(?:{_NUMBER}(?: to |-| or ))?({_NUMBER}) ({_UNIT})(?: from now| time| ahead)?", phrase)
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
        or re.fullmatch(rf"({'|'.join(ORDINALS)}|last|final) quarter(?: (?:of )?({_YEAR_REF}))?", phrase)
    )
    if quarter:
        ordinal = quarter.group(1)
        number = LAST["quarter"] if ordinal in ("last", "final") else ORDINALS.get(ordinal) or int(ordinal)
        return _months_span(_year_of(quarter.group(2), said_on), 3 * number - 2, 3)
    quarter = re.fullmatch(r"(\d{4}) ?q([1-4])", phrase)
    if quarter:
        return _months_span(int(quarter.group(1)), 3 * int(quarter.group(2)) - 2, 3)
    half = (
        re.fullmatch(rf"h([12])(?: ?({_YEAR_REF}))?", phrase)
        or re.fullmatch(rf"(first|second|1st|2nd|last|final) half(?: (?:of )?({_YEAR_REF}))?", phrase)
    )
    if half:
        number = LAST["half"] if half.group(1) in ("last", "final") else ORDINALS.get(half.group(1)) or int(half.group(1))
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


def _named_span(phrase: str, said_on: date) -> tuple[date, date] | None:
    """Months with a modifier, 'X or Y', seasons, weekdays, today, the weekend, year-end, a named quarter."""
    early = re.match(r"(?:early|the start of|the beginning of)\s+(\d{4}|this year|next year)$", phrase)
    if early:
        return _months_span(_year_of(early.group(1), said_on), 1, 3)
    if phrase in ("mid-century", "midcentury", "mid century", "the middle of the century"):
        middle = said_on.year - said_on.year % 100 + 50
        return date(middle, 1, 1), date(middle, 12, 31)
    phrase = re.sub(r"^(?:early|late|mid-?|the middle of|the start of|the beginning of|the end of)\s*", "", phrase)
    if phrase in ("today", "tonight", "this evening", "this afternoon", "this morning"):
        return said_on, said_on
    if phrase == "tomorrow":
        return said_on + timedelta(days=1), said_on + timedelta(days=1)
    if phrase in ("weekend", "the weekend", "this weekend"):
        sunday = said_on + timedelta(days=(6 - said_on.weekday()) % 7)
        return sunday - timedelta(days=1), sunday
    if phrase == "next weekend":
        sunday = said_on + timedelta(days=(6 - said_on.weekday()) % 7 + 7)
        return sunday - timedelta(days=1), sunday
    if phrase in ("year-end", "year end", "the year-end", "full-year", "full year", "the full year", "the year", "the whole year",
                  "the current year", "the calendar year", "later this year", "the rest of the year", "the remainder of the year") \
            or re.fullmatch(r"as the year (?:progresses|goes on|wears on|unfolds|continues)", phrase):
        return _months_span(said_on.year, 1, 12)
    hurricanes = re.fullmatch(r"(?:the )?(?:(\d{4}) )?(?:atlantic )?hurricane season", phrase)
    if hurricanes:
        # The Atlantic season runs June 1 to November 30 (NOAA); the next one to end.
        year = int(hurricanes.group(1)) if hurricanes.group(1) else said_on.year + (said_on > date(said_on.year, 11, 30))
        return date(year, 6, 1), date(year, 11, 30)
    over = re.fullmatch(r"(?:the )?(month|quarter|year)(?: and the (month|quarter|year))? (?:is|are) (?:over|out|done)", phrase)
    if over:
        return _period("this " + (over.group(2) or over.group(1)), said_on)
    if phrase in ("current quarter", "the current quarter", "this quarter"):
        return _period("this quarter", said_on)
    fiscal = re.fullmatch(r"(?:the\s+)?(?:fiscal(?:\s+year)?|fy)\s*-?\s*('?\d{2}|\d{4})", phrase)
    if fiscal:
        # Without the organisation's calendar, the fiscal year named N is read as ending by December 31 of N:
        # the US government's and most US companies' fiscal year N ends within calendar year N.
        digits = fiscal.group(1).lstrip("'")
        year = int(digits) if len(digits) == 4 else 2000 + int(digits)
        return _months_span(year, 1, 12)
    if phrase in ("next decade", "the next decade"):
        start = said_on.year - said_on.year % 10 + 10
        return date(start, 1, 1), date(start + 9, 12, 31)
    if phrase in ("decade", "the decade", "this decade", "the end of the decade"):
        start = said_on.year - said_on.year % 10
        return date(start, 1, 1), date(start + 9, 12, 31)
    two_days = re.fullmatch(rf"(?:this |next |on )?({_WEEKDAY}) (?:and|or|to|through|into) ({_WEEKDAY})", phrase)
    if two_days:
        # "on Tuesday and Wednesday": the span's far end, the second day on or after the first.
        first = said_on + timedelta(days=(WEEKDAYS[two_days.group(1)] - said_on.weekday()) % 7)
        return first, first + timedelta(days=(WEEKDAYS[two_days.group(2)] - first.weekday()) % 7)
    weekday = re.fullmatch(rf"(?:this |next |on )?({_WEEKDAY})(?:['’]s)?(?: (?:morning|afternoon|evening|night))?", phrase)
    if weekday:
        day = said_on + timedelta(days=(WEEKDAYS[weekday.group(1)] - said_on.weekday()) % 7)
        if phrase.startswith("next ") and day - said_on < timedelta(days=7):
            day += timedelta(days=7)
        return day, day
    season = re.fullmatch(rf"(?:(this|next|the) )?({_SEASON})(?: (?:of )?({_YEAR_REF}))?", phrase)
    if season:
        month, offset = SEASON_END[season.group(2)]
        year = _year_of(season.group(3), said_on) + offset if season.group(3) else said_on.year + offset
        if season.group(1) == "next" and not season.group(3):
            year += 1
        last = _month_span(year, month)[1]
        if last < said_on and not season.group(3):
            year += 1
            last = _month_span(year, month)[1]
        # Meteorological seasons: three whole months ending with the one named in SEASON_END.
        first = date(year, month, 1) - relativedelta(months=2)
        return first, last
    quarter = re.fullmatch(rf"(?:the )?({_MONTH}) quarter", phrase)
    if quarter and MONTHS[quarter.group(1)] % 3 == 0:
        month = MONTHS[quarter.group(1)]
        year = said_on.year if _month_span(said_on.year, month)[1] >= said_on else said_on.year + 1
        return _months_span(year, month - 2, 3)
    years = re.fullmatch(rf"this year,? or (?:in )?(?:any of )?the next ({_NUMBER})(?: years)?", phrase)
    if years:
        count = NUMBER_WORDS.get(years.group(1)) or int(years.group(1))
        return date(said_on.year, 1, 1), date(said_on.year + count, 12, 31)
    between = re.fullmatch(r"between now and (\d{4})", phrase)
    if between:
        return said_on, date(int(between.group(1)), 12, 31)
    either = re.fullmatch(rf"({_MONTH}) (?:or|and|to|through|-) (?:early |late |mid-?)?({_MONTH})\.?(?: (?:of )?({_YEAR_REF}))?", phrase)
    if either:
        return _month_of(either.group(2), either.group(3), said_on)
    month = re.fullmatch(rf"({_MONTH})\.?(?: (\d{{1,2}})(?:st|nd|rd|th)?)?,?(?: (?:of )?({_YEAR_REF}))?", phrase)
    if month:
        if month.group(2):
            day_number = int(month.group(2))
            first, last = _month_of(month.group(1), month.group(3), said_on)
            try:
                day = last.replace(day=day_number)
            except ValueError:
                return None
            if day < said_on and not month.group(3):
                day = day.replace(year=day.year + 1)
            return day, day
        return _month_of(month.group(1), month.group(3), said_on)
    day_month = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH})\.?(?: ({_YEAR_REF}))?", phrase)
    if day_month:
        return _named_span(f"{day_month.group(2)} {day_month.group(1)}" + (f" {day_month.group(3)}" if day_month.group(3) else ""), said_on)
    year = re.fullmatch(rf"({_YEAR_REF})", phrase)
    if year:
        return _months_span(_year_of(year.group(1), said_on), 1, 12)
    return None


def _month_of(name: str, year_ref: str | None, said_on: date) -> tuple[date, date]:
    """A month named with or without a year; without one it is the next such month to end."""
    number = MONTHS[name]
    if year_ref:
        return _month_span(_year_of(year_ref, said_on), number)
    span = _month_span(said_on.year, number)
    return span if span[1] >= said_on else _month_span(said_on.year + 1, number)


_LEAD = r"(?:(?:by|until|till|before|through|during|in|no\s+later\s+than)\s+)?"
_CAPITAL_MONTH = r"(?:" + "|".join(sorted((name for name in calendar.month_name if name), key=len, reverse=True)) + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_END = r"(?:the\s+)?end\s+of\s+"
_RUNNING_YEAR_REF = r"(?:\d{4}|this\s+year|next\s+year|the\s+year)"
@functools.cache
def _deadline_patterns() -> tuple[re.Pattern, ...]:
    """The deadline phrases _find_deadlines looks for, compiled on first use: a command that only reads
    `--by 2027-06-30` never pays for them."""
    return tuple(
        re.compile(r"\b" + pattern + r"\b", re.IGNORECASE)
        for pattern in (
            _LEAD + _END + r"(?:the|this|next)\s+(?:year|month|week|quarter)",
            _LEAD + _END + r"\d{4}",
            _LEAD + _END + _MONTH + r"(?:\s+\d{4})?",
            _LEAD + r"(?:the\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th|last|final)[\s-]+quarter(?:\s+(?:of\s+)?"
            + _RUNNING_YEAR_REF + r")?",
            _LEAD + r"(?:the\s+)?(?:first|second|1st|2nd|last|final)[\s-]+half(?:\s+(?:of\s+)?" + _RUNNING_YEAR_REF + r")?",
            _LEAD + r"(?:q[1-4](?:\s*\d{4})?|\d{4}\s*q[1-4]|h[12]\s*\d{4}|\d{4}\s*h[12])",
            _LEAD + r"mid-?\s*(?:\d{4}|next\s+year|this\s+year)",
            _LEAD + r"(?:the\s+)?middle\s+of\s+" + _RUNNING_YEAR_REF,
            _LEAD + r"(?:this|next)\s+(?:year|month|week|quarter)",
            r"(?:within|in)\s+(?:the\s+next\s+)?" + _NUMBER + r"\s+" + _UNIT,
            r"(?:within|in|over|during)\s+the\s+(?:next|coming|following)\s+(?:" + _NUMBER + r"\s+)?" + _UNIT,
            _LEAD + r"\d{4}-\d{2}-\d{2}",
            _LEAD + _MONTH + r"\.?\s+\d{1,2},?\s+\d{4}",
            _LEAD + r"\d{1,2}\s+" + _MONTH + r"\.?\s+\d{4}",
            r"(?:by|until|till|before|through|during|in)\s+" + _MONTH + r"\.?\s+\d{4}",
            r"(?:by|until|till|before|through|during|in|earlier\s+than|prior\s+to)\s+(?:19|20)\d{2}",
        )
    ) + tuple(
        # Month names only as capitalised words: "may" is a modal, "march" a verb.
        re.compile(r"\b" + pattern + r"\b")
        for pattern in (
            r"(?i:(?:by|until|till|before|through|during|in|on|from|since|no\s+later\s+than|sometime\s+in)\s+)?"
            r"(?i:(?:early|late|mid-?)\s*)?" + _CAPITAL_MONTH + r"\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?\b)?"
            r"(?:\s+(?:or|and|to|through)\s+(?i:(?:early|late|mid-?)\s*)?" + _CAPITAL_MONTH + r")?"
            r"(?:,?\s+(?i:(?:of\s+)?(?:\d{4}|this\s+year|next\s+year)))?",
            r"(?:(?i:by|until|before|on|from)\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _CAPITAL_MONTH + r"\b\.?",
        )
    ) + tuple(
        re.compile(r"\b" + pattern + r"\b", re.IGNORECASE)
        for pattern in (
            # "fall" is a verb and "spring" a noun unless a determiner, a year or a deadline word comes with them.
            r"(?:by|until|till|before)\s+(?:spring|summer|autumn|winter|fall(?=\s*(?:[.,;:!?)]|$|\s+(?:of\s+)?\d{4})))",
            r"(?:(?:by|until|before|in|during|for|through)\s+)?(?:the\s+)?(?:fiscal(?:\s+year)?\s*(?:19|20)\d{2}|fiscal\s+'?\d{2}|fy\s*-?\s*(?:(?:19|20)\d{2}|'?\d{2}))",
            r"(?:(?:by|before|until|around)\s+)?(?:mid-?\s*century|the\s+middle\s+of\s+the\s+century)",
            r"(?:within|over|during)\s+(?:the\s+)?(?:next|coming)\s+decade",
            _LEAD + r"(?:(?:this|next|the|early|late)\s+)" + _SEASON + r"(?:\s+(?:of\s+)?(?:\d{4}|this\s+year|next\s+year))?",
            # ... but "prices could fall next year" is the verb: a bare "fall" needs "of" or a word before it.
            _LEAD + r"(?:spring|summer|autumn|winter)\s+(?:of\s+)?(?:\d{4}|this\s+year|next\s+year)",
            r"(?:(?:by|until|till|before|through|during|in)\s+fall\s+(?:of\s+)?|fall\s+of\s+)(?:\d{4}|this\s+year|next\s+year)",
            r"(?:(?:by|until|on|before)\s+)?(?:(?:this|next)\s+)?" + _WEEKDAY + r"(?:['’]s)?(?:\s+(?:morning|afternoon|evening|night))?",
            r"(?:(?:by|until|on|before)\s+)?(?:(?:this|next)\s+)?" + _WEEKDAY + r"\s+(?:and|or|to|through|into)\s+" + _WEEKDAY,
            r"(?:(?:by|until|before|for)\s+)?(?:today|tonight|tomorrow|(?:this|next|the)\s+weekend)",
            r"(?:(?:by|until|before|at|in)\s+)?(?:the\s+)?(?:year[-\s]end|full[-\s]year|current\s+quarter|rest\s+of\s+the\s+year|later\s+this\s+year)",
            # "for the year" is the current one; "for the year to March" is a fiscal period, not this.
            r"(?:for|over)\s+the\s+(?:whole\s+)?year(?!\s+(?:to|ended|ending|before|earlier|ago|after)\b)(?![-\w])",
            r"as\s+the\s+year\s+(?:progresses|goes\s+on|wears\s+on|unfolds|continues)",
            r"(?:(?:in|over|during|for)\s+)?(?:the\s+)?(?:march|june|september|december)\s+quarter",
            r"(?:(?:by|before|until|in)\s+)?(?:the\s+)?(?:end\s+of\s+)?(?:the\s+|this\s+|next\s+)?decade",
            r"(?:over|in|within|during|for)\s+(?:the\s+)?(?:next|coming|following)\s+(?:" + _NUMBER + r"\s+(?:to|or|-)\s+)?" + _NUMBER + r"\s+" + _UNIT,
            r"(?:in|within)\s+(?:around\s+|about\s+|roughly\s+|some\s+)?(?:" + _NUMBER + r"\s*(?:to|or|-)\s*)?" + _NUMBER + r"\s+" + _UNIT + r"(?:['’]s?\s+time)?",
            r"between\s+now\s+and\s+(?:19|20)\d{2}",
            r"this\s+year,?\s+or\s+(?:in\s+)?(?:any\s+of\s+)?the\s+next\s+" + _NUMBER + r"(?:\s+years)?",
            r"(?:(?:by|before|during|in|through)\s+)?(?:the\s+)?(?:(?:19|20)\d{2}\s+)?(?:atlantic\s+)?hurricane\s+season",
            r"before\s+the\s+(?:month|quarter|year)(?:\s+and\s+the\s+(?:month|quarter|year))?\s+(?:is|are)\s+(?:over|out|done)",
            # A year as the subject of a forecast: "2016 is not going to be any better".
            r"(?:19|20)\d{2}(?=\s+(?:is|will|would|might|may|could|should|looks|promises|is\s+set)\b)",
            r"(?:early|late)\s+(?:next\s+year|this\s+year|(?:19|20)\d{2})",
            # "in 2022-23", "for 2024/25": the span's far end; "the 2019/20 season": a season across two years.
            r"(?:(?:in|by|for|during|through|over)\s+)?(?:the\s+)?(?:19|20)\d{2}\s*[-/–]\s*(?:(?:19|20)\d{2}|\d{2})(?![-/\d])(?:\s+season)?",
            r"come\s+(?:19|20)\d{2}",
            r"(?:early|late)\s+(?:this|next)\s+week",
        )
    )
