"""Tests for ledger.likelihood: numbers, words through scales, and cues in news text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.errors import LedgerError
from ledger.likelihood import SCALES, Reading, find_cue, find_cues, parse_probability, read_words, scale_rows


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0.3", 0.3), (".3", 0.3), ("30%", 0.3), ("30 %", 0.3), ("30 percent", 0.3),
        ("30 per cent", 0.3), ("30 Percent", 0.3), ("1", 1.0), ("0", 0.0), ("100%", 1.0),
        ("0%", 0.0), (" 0.25 ", 0.25), ("33.3%", 0.333),
    ],
)
def test_parse_probability(text, expected):
    assert parse_probability(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["130%", "1.5", "30", "-0.1"])
def test_parse_probability_refuses_out_of_range(text):
    with pytest.raises(LedgerError, match="from 0 to 1, or a percentage such as 30%"):
        parse_probability(text)


def test_parse_probability_message_names_the_input():
    with pytest.raises(LedgerError, match=r"^probability '130%' is out of range: give a number from 0 to 1"):
        parse_probability("130%")


@pytest.mark.parametrize("text", ["abc", "", "thirty percent", "0.3.3", "%"])
def test_parse_probability_refuses_what_is_not_a_number(text):
    with pytest.raises(LedgerError, match="percentage such as 30%"):
        parse_probability(text)


@given(percent=st.integers(min_value=0, max_value=100))
def test_percentages_round_trip(percent):
    assert parse_probability(f"{percent}%") == pytest.approx(percent / 100)
    assert parse_probability(f"{percent} percent") == parse_probability(f"{percent}%")


@given(millionths=st.integers(min_value=0, max_value=1_000_000))
def test_decimals_round_trip(millionths):
    assert parse_probability(f"{millionths / 1_000_000:.6f}") == pytest.approx(millionths / 1_000_000)


@pytest.mark.parametrize(
    "words, low, high",
    [
        ("almost no chance", 0.01, 0.05), ("remote", 0.01, 0.05),
        ("very unlikely", 0.05, 0.20), ("highly improbable", 0.05, 0.20),
        ("unlikely", 0.20, 0.45), ("improbable", 0.20, 0.45),
        ("roughly even chance", 0.45, 0.55), ("roughly even odds", 0.45, 0.55),
        ("likely", 0.55, 0.80), ("probable", 0.55, 0.80),
        ("very likely", 0.80, 0.95), ("highly probable", 0.80, 0.95),
        ("almost certain", 0.95, 0.99), ("nearly certain", 0.95, 0.99),
    ],
)
def test_icd203_words_take_their_official_ranges(words, low, high):
    reading = read_words(words)
    assert (reading.low, reading.high) == (low, high)
    assert reading.probability == pytest.approx((low + high) / 2)
    assert reading.scale == "icd203" and "ICD 203" in reading.basis


@pytest.mark.parametrize(
    "words, probability",
    [
        ("will", 0.85), ("would", 0.70), ("is expected to", 0.70), ("expected", 0.70), ("expects", 0.70),
        ("believes will", 0.70), ("believes ... will", 0.70), ("believes \u2026 will", 0.70),
        ("predicted", 0.70), ("may", 0.45), ("might", 0.40), ("could", 0.40), ("possibly", 0.40),
        ("might not", 0.30), ("may not", 0.275), ("could not", 0.30), ("will not", 0.075), ("won't", 0.075),
        ("does not expect", 0.15), ("did not expect", 0.15), ("ruled out", 0.03), ("is on track to", 0.80),
        ("is poised to", 0.80), ("is going to", 0.85), ("better than even", 0.60), ("inevitable", 0.97),
        ("unlikely to", 0.325), ("likely to", 0.675), ("doubts", 0.25), ("doubt", 0.25),
        ("more likely than not", 0.60), ("probably", 0.675), ("probably not", 0.25),
        ("is set to", 0.85), ("plans to", 0.65), ("intends to", 0.65), ("aims to", 0.55), ("hopes to", 0.40),
    ],
)
def test_news_phrases_have_point_values(words, probability):
    reading = read_words(words)
    assert reading.probability == pytest.approx(probability)
    assert reading.low <= reading.probability <= reading.high


@pytest.mark.parametrize(
    "words, same_as",
    [
        ("Is Expected To", "is expected to"), ("are expected to", "is expected to"),
        ("was expected to", "is expected to"), ("  MAY  ", "may"), ("believe will", "believes will"),
        ("Believes\u2026will", "believes will"), ("doubted", "doubts"), ("predicts", "predicted"),
        ("planned to", "plans to"), ("won\u2019t", "won't"), ("almost certainly", "almost certain"),
    ],
)
def test_read_words_normalises_case_spacing_and_verb_forms(words, same_as):
    assert read_words(words).probability == read_words(same_as).probability
    assert read_words(words).basis == read_words(same_as).basis


def test_read_words_keeps_the_words_as_given_with_whitespace_normalised():
    assert read_words("  is   expected to ").cue == "is expected to"


def test_intent_words_are_marked_as_intent():
    for words in ("plans to", "intends to", "aims to", "hopes to"):
        assert read_words(words).basis.startswith("intent")


def test_negated_hedges_lean_against_the_event_half_way_to_zero():
    # Mosteller & Youtz (1990): a negated phrase sits half as far from the other boundary.
    for negated, positive in (("might not", "might"), ("may not", "may"), ("will not", "will"), ("would not", "would")):
        assert read_words(negated).probability == pytest.approx((1 - read_words(positive).probability) / 2)
        assert read_words(negated).probability < 0.5 < 1 - read_words(negated).probability
    assert "Mosteller" in read_words("might not").basis


def test_a_sceptic_scores_below_an_optimist():
    # Schriver's "might not happen ... within the first year" against Hong Min's "may" for the same meeting.
    assert read_words("might not").probability < read_words("may").probability


@pytest.mark.parametrize("words", ["perchance", "sooner than expected", "", "soon"])
def test_unknown_words_are_refused_with_examples(words):
    with pytest.raises(LedgerError) as refusal:
        read_words(words)
    message = str(refusal.value)
    assert message.startswith(f"unknown likelihood words {words!r}: ") and "use --prob" in message
    assert "'is expected to'" in message and "ledger scale" in message


def test_kent_scale():
    reading = read_words("Probable", scale="kent")
    assert reading == Reading("Probable", "kent", 0.63, 0.87, 0.75, reading.basis)
    assert read_words("almost certain", "kent").probability == 0.93
    assert read_words("chances about even", "kent").probability == 0.50
    assert read_words("probably not", "kent").probability == 0.30
    assert read_words("almost certainly not", "kent").probability == 0.07
    assert read_words("certain", "kent").probability == 1.0
    assert read_words("impossible", "kent").probability == 0.0
    with pytest.raises(LedgerError, match="unknown likelihood words 'may'"):
        read_words("may", "kent")


def test_unknown_scale_lists_the_scales():
    with pytest.raises(LedgerError, match="unknown scale 'ipcc': use one of icd203, kent"):
        read_words("likely", "ipcc")
    with pytest.raises(LedgerError, match="icd203, kent"):
        scale_rows("nope")


def test_scale_rows():
    for name in SCALES:
        rows = scale_rows(name)
        assert rows and all(set(row) == {"words", "low", "high", "probability", "basis"} for row in rows)
        assert all(0 <= row["low"] <= row["probability"] <= row["high"] <= 1 for row in rows)
        for row in rows:
            assert read_words(row["words"], name).probability == row["probability"]


@pytest.mark.parametrize(
    "sentence, cue, probability",
    [
        (
            "Kim's open expression of a desire for talks with Trump, albeit time-restricted, is expected to "
            "facilitate the resumption of the nuclear dialogue between the two countries that has been stalled "
            "since the Hanoi summit, observers said.",
            "is expected to", 0.70,
        ),
        (
            "Schriver, who was deeply involved in the planning of summits between Trump and Kim, said the "
            "bilateral talks might not happen on Trump's first day in office or even within the first year, "
            "but he believes Trump will seek another meeting with Kim.",
            "believes \u2026 will", 0.70,
        ),
        (
            "Hong expected that the bilateral talks might arrive much earlier in the process of resolving "
            "the war between Russia and Ukraine.",
            "might", 0.40,
        ),
        ("'Washington-Pyongyang summit may be held sooner than expected,' says N. Korea expert", "may", 0.45),
        (
            "In bridging that gap, South Korean President Moon may step up his role as intermediary.",
            "may", 0.45,
        ),
        (
            "Speculation has also emerged that Moon could send a special envoy to Pyongyang to find a "
            "solution for a nuclear deal with Washington.",
            "could", 0.40,
        ),
        ("As a result, he expected the scope of negotiations to expand significantly.", "expected", 0.70),
        ("The talks might not happen this year.", "might not", 0.30),
        ("The deal could not be signed before the election.", "could not", 0.30),
        ("The bank did not expect a cut this year.", "did not expect", 0.15),
        ("The minister ruled out a snap election.", "ruled out", 0.03),
        ("The firm is on track to meet its target.", "is on track to", 0.80),
        ("Prices are going to fall.", "are going to", 0.85),
        ("A recession is inevitable.", "inevitable", 0.97),
        ("Talks are widely expected to resume.", "are widely expected to", 0.70),
        ("A deal is more likely than not.", "more likely than not", 0.60),
        ("Analysts doubt the talks will resume.", "doubt", 0.25),
        ("The summit is probably not going ahead.", "probably not", 0.25),
    ],
)
def test_find_cue_in_news_text(sentence, cue, probability):
    reading = find_cue(sentence)
    assert reading is not None
    assert (reading.cue, reading.probability) == (cue, pytest.approx(probability))


@pytest.mark.parametrize(
    "sentence",
    [
        "Kim's willingness for dialogue brightens prospect of summit diplomacy",
        "The summit was held on May 5, 2019 in Hanoi.",
        "Talks resumed in May and collapsed in June.",
        "Prime Minister Theresa May met the president.",
        "It lacks the political will to change course.",
        "Against the will of the people, the vote went ahead.",
        "Talks progressed faster than expected.",
        "There is no doubt about it.",
        "The deadline appears intended to highlight the pressure.",
        "He walked away from the summit in Hanoi.",
        "The country flexed its military might.",
        "",
    ],
)
def test_find_cue_ignores_false_friends(sentence):
    assert find_cue(sentence) is None


def test_may_at_the_start_of_a_sentence_is_a_cue():
    assert find_cue("May the talks resume soon?").cue == "May"


def test_find_cues_lists_every_cue_in_order():
    sentence = "The talks might not happen soon, but he believes Trump will seek another meeting."
    assert [reading.cue for reading in find_cues(sentence)] == ["might not", "believes \u2026 will"]


def test_find_cue_with_the_kent_scale():
    assert find_cue("A deal is probable this year.", scale="kent").probability == 0.75
    assert find_cue("A deal may come.", scale="kent") is None


@pytest.mark.parametrize("words, same_as", [
    ("will likely", "likely"), ("is unlikely to", "unlikely"), ("very likely to", "very likely"),
    ("probably won't", "probably not"), ("no chance", "almost no chance"), ("It is likely", "likely"),
])
def test_the_words_people_type_read_as_the_scale_phrase_they_inflect(words, same_as):
    assert read_words(words).probability == read_words(same_as).probability
    assert read_words(words).cue == words


def test_a_negated_phrase_not_on_the_scale_takes_the_negation_rule():
    likely = read_words("likely")
    negated = read_words("not likely")
    assert negated.probability == pytest.approx((1 - likely.probability) / 2)
    assert negated.low == pytest.approx((1 - likely.high) / 2) and negated.high == pytest.approx((1 - likely.low) / 2)


def test_unknown_words_suggest_the_nearest_entries():
    with pytest.raises(LedgerError, match="did you mean 'likely'"):
        read_words("likley")


@pytest.mark.parametrize("sentence, cue, probability", [
    ("Rates are not expected to rise.", "not expected to", 0.15),
    ("Rates are not likely to rise.", "not likely to", 0.1625),
    ("Rates will never rise.", "will never", 0.075),
    ("There is little chance of a rise.", "little chance", 0.125),
    ("There is a slim chance of a rise.", "slim chance", 0.125),
    ("There is a good chance of a rise.", "good chance", 0.675),
])
def test_negations_in_running_text_turn_a_cue_over_by_the_mosteller_youtz_rule(sentence, cue, probability):
    reading = find_cue(sentence)
    assert (reading.cue, reading.probability) == (cue, pytest.approx(probability))
