"""Tests for ledger.dates: dates, deadline phrases, deadlines in news text and period labels."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.dates import (
    DEADLINE_EXAMPLES,
    PERIODS,
    find_deadline,
    parse_date,
    period_label,
    resolve_deadline,
)
from ledger.errors import LedgerError

SAID_ON = date(2019, 4, 13)  # the 2019 seed article


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2019-12-31", date(2019, 12, 31)),
        ("Dec 31 2019", date(2019, 12, 31)),
        ("31 December 2019", date(2019, 12, 31)),
        ("December 31, 2019", date(2019, 12, 31)),
        ("  2019-12-31 ", date(2019, 12, 31)),
    ],
)
def test_parse_date_reads_full_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["foo", "", "2019", "Dec 2019", "2019-02-30", "1 2 3", "soonish"])
def test_parse_date_refuses_what_is_not_a_full_date(text):
    with pytest.raises(LedgerError, match="YYYY-MM-DD"):
        parse_date(text)


def test_parse_date_refuses_day_month_ambiguity():
    with pytest.raises(LedgerError, match="ambiguous"):
        parse_date("01/02/2019")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2019-12-31", date(2019, 12, 31)),
        ("Dec 31 2019", date(2019, 12, 31)),
        ("end of this year", date(2019, 12, 31)),
        ("end of the year", date(2019, 12, 31)),
        ("until the end of the year", date(2019, 12, 31)),
        ("by the end of this year", date(2019, 12, 31)),
        ("before the end of this year", date(2019, 12, 31)),
        ("  By   THE end of this Year. ", date(2019, 12, 31)),
        ("end of next year", date(2020, 12, 31)),
        ("by the end of 2026", date(2026, 12, 31)),
        ("end of 2026", date(2026, 12, 31)),
        ("2026", date(2026, 12, 31)),
        ("in 2026", date(2026, 12, 31)),
        ("the first quarter of next year", date(2020, 3, 31)),
        ("Q3 2026", date(2026, 9, 30)),
        ("2026 Q1", date(2026, 3, 31)),
        ("third quarter of 2026", date(2026, 9, 30)),
        ("first half of next year", date(2020, 6, 30)),
        ("second half of 2026", date(2026, 12, 31)),
        ("H1 2027", date(2027, 6, 30)),
        ("mid-2026", date(2026, 6, 30)),
        ("mid-next year", date(2020, 6, 30)),
        ("within six months", date(2019, 10, 13)),
        ("within 90 days", date(2019, 7, 12)),
        ("within two years", date(2021, 4, 13)),
        ("within a year", date(2020, 4, 13)),
        ("within 3 weeks", date(2019, 5, 4)),
        ("in six months", date(2019, 10, 13)),
        ("next month", date(2019, 5, 31)),
        ("next year", date(2020, 12, 31)),
        ("this month", date(2019, 4, 30)),
        ("this year", date(2019, 12, 31)),
        ("end of this month", date(2019, 4, 30)),
        ("next week", date(2019, 4, 21)),  # said on a Saturday: next week ends Sunday the 21st
        ("next quarter", date(2019, 9, 30)),
        ("before 2026-01-20", date(2026, 1, 19)),
        ("by 2026-01-20", date(2026, 1, 20)),
        ("before 2026", date(2025, 12, 31)),
        ("end of May", date(2019, 5, 31)),
        ("by June 2026", date(2026, 6, 30)),
    ],
)
def test_resolve_deadline(text, expected):
    assert resolve_deadline(text, SAID_ON) == expected


def test_month_without_year_means_the_next_one_to_end():
    assert resolve_deadline("end of March", SAID_ON) == date(2020, 3, 31)


@pytest.mark.parametrize("text", ["soonish", "", "within the first year", "end of time", "Q5 2026"])
def test_resolve_deadline_refuses_with_the_accepted_forms(text):
    with pytest.raises(LedgerError) as refusal:
        resolve_deadline(text, SAID_ON)
    message = str(refusal.value)
    assert "\n" not in message
    assert "2019-12-31" in message and "end of this year" in message and "within six months" in message


def test_every_deadline_example_resolves():
    for example in DEADLINE_EXAMPLES:
        assert resolve_deadline(example, SAID_ON) >= SAID_ON


@pytest.mark.parametrize(
    "sentence, said_on, expected",
    [
        (
            "leader Kim Jong-un made clear his desire to stick to nuclear negotiations with the "
            "United States, at least until the end of this year.",
            SAID_ON,
            ("until the end of this year", date(2019, 12, 31)),
        ),
        (
            'Despite the mention a possible third summit with Trump, Kim does not appear willing to wait '
            'for long, as he called for Washington\'s "courageous decision until the end of the year."',
            SAID_ON,
            ("until the end of the year", date(2019, 12, 31)),
        ),
        (
            "Should there not be any substantial progress by the end of this year, Trump may find it "
            "difficult to present his diplomacy with Kim as his legacy.",
            SAID_ON,
            ("by the end of this year", date(2019, 12, 31)),
        ),
        (
            "as he may need to score a foreign policy coup ahead of a full-blown election battle next year.",
            SAID_ON,
            ("next year", date(2020, 12, 31)),
        ),
        (
            "as well as a five-year national development scheme rolled out in 2016.",
            SAID_ON,
            None,
        ),
        (
            "said the bilateral talks might not happen on Trump's first day in office or even within the "
            "first year, but he believes Trump will seek another meeting with Kim.",
            date(2024, 11, 22),
            None,
        ),
        (
            "He referred to his earlier summits with Trump in 2018 and 2019, during the latter's first presidency.",
            date(2024, 11, 22),
            None,
        ),
        ("A summit is expected by  2026-01-20, officials said.", date(2024, 11, 22), ("by  2026-01-20", date(2026, 1, 20))),
        ("Talks could resume in the first quarter of next year.", SAID_ON, ("in the first quarter of next year", date(2020, 3, 31))),
        ("A deal is likely within six months.", SAID_ON, ("within six months", date(2019, 10, 13))),
        ("Growth should pick up by mid-2026 at the latest.", SAID_ON, ("by mid-2026", date(2026, 6, 30))),
        ("The plant opens in Q3 2026.", SAID_ON, ("in Q3 2026", date(2026, 9, 30))),
        ("No date here at all.", SAID_ON, None),
    ],
)
def test_find_deadline_in_news_text(sentence, said_on, expected):
    assert find_deadline(sentence, said_on) == expected


def test_find_deadline_returns_the_earliest_phrase():
    sentence = "Talks may start next month and a deal may follow by the end of 2026."
    assert find_deadline(sentence, SAID_ON) == ("next month", date(2019, 5, 31))


@pytest.mark.parametrize(
    "day, period, label",
    [
        (date(2019, 12, 31), "week", "2020-W01"),
        (date(2019, 12, 28), "week", "2019-W52"),
        (date(2019, 12, 31), "month", "2019-12"),
        (date(2019, 12, 31), "quarter", "2019-Q4"),
        (date(2019, 4, 13), "quarter", "2019-Q2"),
        (date(2019, 12, 31), "year", "2019"),
    ],
)
def test_period_label(day, period, label):
    assert period_label(day, period) == label


def test_period_label_refuses_unknown_periods():
    with pytest.raises(LedgerError, match="week, month, quarter, year"):
        period_label(SAID_ON, "fortnight")
    assert PERIODS == ("week", "month", "quarter", "year")


RELATIVE_PHRASES = st.sampled_from(
    [
        "end of this year", "next year", "next month", "this month", "next week", "end of next year",
        "first half of next year", "the first quarter of next year", "mid-next year", "next quarter",
        "within six months", "within 90 days", "within two years", "within a year", "within 3 weeks",
    ]
)


@given(phrase=RELATIVE_PHRASES, said_on=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_relative_deadlines_never_fall_before_the_day_they_were_said(phrase, said_on):
    assert resolve_deadline(phrase, said_on) >= said_on


@given(day=st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_iso_dates_round_trip(day):
    assert parse_date(day.isoformat()) == day
    assert resolve_deadline(day.isoformat(), date(1000, 1, 1)) == day
    assert resolve_deadline(f"before {day.isoformat()}", date(1000, 1, 1)) == day - timedelta(days=1) or day == date(1000, 1, 1)


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), period=st.sampled_from(PERIODS))
def test_period_label_starts_with_the_year_the_label_belongs_to(day, period):
    label = period_label(day, period)
    assert label[:4] == str(day.isocalendar().year if period == "week" else day.year)


AUGUST = date(2025, 8, 10)


@pytest.mark.parametrize(
    "sentence, phrase, expected",
    [
        ("Sales will rise in fiscal 2026, the company said.", "in fiscal 2026", date(2026, 12, 31)),
        ("Margins should widen in fiscal year 2027.", "in fiscal year 2027", date(2027, 12, 31)),
        ("Revenue will top $2bn by FY2028.", "by FY2028", date(2028, 12, 31)),
        ("Costs will fall in FY26.", "in FY26", date(2026, 12, 31)),
        ("The line will reopen by spring.", "by spring", date(2026, 5, 31)),
        ("Talks will drag on until summer 2026.", "until summer 2026", date(2026, 8, 31)),
        ("The plant will be finished before winter.", "before winter", date(2025, 11, 30)),  # the day before it starts
        ("Demand will double by the end of the decade.", "by the end of the decade", date(2029, 12, 31)),
        ("Emissions will halve within the next decade.", "within the next decade", date(2035, 8, 10)),
        ("The country will be carbon neutral by mid-century.", "by mid-century", date(2050, 12, 31)),
    ],
)
def test_fiscal_years_seasons_decades_and_mid_century_in_news_text(sentence, phrase, expected):
    assert find_deadline(sentence, AUGUST) == (phrase, expected)


@pytest.mark.parametrize("sentence", [
    "Prices will fall by 5% next to nothing.",  # "fall by": a verb, not the season
    "The party will win a majority by the next election.",  # no date the text gives
    "Profits will grow in the next fiscal year.",  # whose fiscal calendar is not said
    "Prices could rise in the coming weeks.",
])
def test_time_frames_that_cannot_be_dated_get_no_date(sentence):
    assert find_deadline(sentence, AUGUST) is None


@pytest.mark.parametrize("text, expected", [
    ("fiscal 2026", date(2026, 12, 31)), ("FY27", date(2027, 12, 31)), ("by spring", date(2026, 5, 31)),
    ("mid-century", date(2050, 12, 31)), ("within the next decade", date(2035, 8, 10)),
])
def test_the_new_forms_work_for_by_too(text, expected):
    assert resolve_deadline(text, AUGUST) == expected


@pytest.mark.parametrize("text, expected", [
    ("over the next year", date(2026, 8, 10)),  # a span of one year from the day said
    ("within the next year", date(2026, 8, 10)),
    ("in the next two years", date(2027, 8, 10)),
    ("over the coming month", date(2025, 9, 10)),
    ("during the next year", date(2026, 12, 31)),  # "during" names the calendar year
    ("the next year", date(2026, 12, 31)),
])
def test_the_next_unit_is_a_span_from_the_day_said(text, expected):
    assert resolve_deadline(text, AUGUST) == expected


def test_the_next_unit_is_found_in_running_text():
    assert find_deadline("House prices could fall 10% over the next year, the agency said.", AUGUST) == (
        "over the next year", date(2026, 8, 10))


def test_a_hyphenated_quarter_or_half_is_read_as_the_period():
    assert find_deadline("The firm forecast third-quarter sales above estimates.", AUGUST) == ("third-quarter", date(2025, 9, 30))
    assert resolve_deadline("second-half", AUGUST) == date(2025, 12, 31)


@pytest.mark.parametrize("sentence, phrase, expected", [
    ("A recession in 2025-26 is likely, the bank said.", "in 2025-26", date(2026, 12, 31)),  # a span: its far end
    ("Northbet's odds for the 2025/26 season are out.", "for the 2025/26 season", date(2026, 5, 31)),
    ("Shipments will pick up come 2027.", "come 2027", date(2027, 12, 31)),
    ("The envoys will meet late next week.", "late next week", date(2025, 8, 17)),
    ("The envoys will meet early next week.", "early next week", date(2025, 8, 13)),
])
def test_year_spans_two_year_seasons_come_and_early_or_late_weeks(sentence, phrase, expected):
    assert find_deadline(sentence, AUGUST) == (phrase, expected)


def test_a_period_of_last_year_is_history_not_a_deadline():
    assert find_deadline("Bills will be three times as high as in the autumn of last year.", AUGUST) is None


def test_two_weekdays_are_a_span_to_the_second():
    assert find_deadline("The storm will move across the state on Tuesday and Wednesday.", AUGUST) == (
        "on Tuesday and Wednesday", date(2025, 8, 13))


# ---------------------------------------------------------------- fourth round

@pytest.mark.parametrize("sentence, phrase, expected", [
    ("The grocer now expects a 2025/26 underlying profit of about £500 million.", "2025/26", date(2026, 3, 31)),
    ("Borrowing will overshoot in the financial year 2025-26, the office said.", "2025-26", date(2026, 3, 31)),
    ("We expect a recession in 2025-26 to be driven by prices.", "in 2025-26", date(2026, 12, 31)),  # no results word: the span
])
def test_a_two_year_span_before_a_results_word_is_a_financial_year_ending_in_march(sentence, phrase, expected):
    assert find_deadline(sentence, AUGUST) == (phrase, expected)


@pytest.mark.parametrize("sentence, phrase", [
    ("Sales should grow 4% for the year, the retailer said.", "for the year"),
    ("Inflation should keep easing as the year progresses.", "as the year progresses"),
    ("Output will pick up as the year goes on.", "as the year goes on"),
])
def test_the_year_and_as_the_year_progresses_are_this_year(sentence, phrase):
    assert find_deadline(sentence, AUGUST) == (phrase, date(2025, 12, 31))


def test_the_year_to_a_month_is_a_fiscal_period_not_this_year():
    assert find_deadline("Profit for the year to March was flat.", AUGUST) != ("for the year", date(2025, 12, 31))
