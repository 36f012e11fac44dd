"""Tests for ledger.extract: furniture, attribution, what counts as a forecast, and the gold figures."""

from datetime import date

import pytest

from ledger.extract import Candidate, extract_candidates, normalised, paragraphs, split_sentences
from tests import evaluate_extract

SAID_ON = date(2024, 11, 22)


def speakers_of(text: str, **options) -> dict[str, str]:
    return {c.sentence: c.speaker for c in extract_candidates(text, SAID_ON, **options)}


def only(text: str, **options) -> Candidate:
    (found,) = extract_candidates(text, SAID_ON, **options)
    return found


# ---------------------------------------------------------------- scraped pages

SCRAPED = """Settings

ⓕ font-size

  • -2
  • +1

Could the rate cut come early?

  • Facebook share button
  • Mail share button
'Rates may fall in March,' says bond expert
By Anna J. Park

Traders watch screens in Seoul, Friday. The won may weaken further, a caption says. Yonhap

Traders watch screens in Seoul, Friday. The won may weaken further, a caption says. Yonhap

A bond expert said on Friday that the central bank might cut rates sooner than expected.

Lee Ji-ho, a senior fellow at the Capital Institute, said the cut was overdue.

Park Ji-won annajpark@koreatimes.co.kr


X
CLOSE

Top 10 Stories

Back To Top

go top LETTER"""


def test_furniture_is_dropped():
    kept = paragraphs(SCRAPED)
    for furniture in ["Settings", "ⓕ font-size", "-2", "+1", "Facebook share button", "By Anna J. Park",
                      "X", "CLOSE", "Top 10 Stories", "Back To Top", "go top LETTER"]:
        assert furniture not in kept
    assert not any("@" in line for line in kept)
    assert "Could the rate cut come early?" in kept


def test_question_headline_is_not_a_forecast():
    assert not any(c.sentence.endswith("?") for c in extract_candidates(SCRAPED, SAID_ON))


def test_caption_printed_twice_is_reported_once():
    sentences = [normalised(c.sentence) for c in extract_candidates(SCRAPED, SAID_ON)]
    assert len(sentences) == len(set(sentences))
    assert sum("won may weaken" in s for s in sentences) == 1


@pytest.mark.parametrize("article", list(evaluate_extract.PUBLISHED_ON))
def test_no_sentence_reported_twice_in_the_gold_articles(article):
    text = evaluate_extract.article_path(article).read_text(encoding="utf-8")
    found = [(normalised(c.sentence), c.statement) for c in extract_candidates(text, evaluate_extract.PUBLISHED_ON[article])]
    assert len(found) == len(set(found))


def test_a_sentence_broken_over_two_lines_is_mended():
    text = "Pyongyang can still endure the pressure of the sanctions regime, as the U.S.\n\nstresses sanctions as its main tool."
    assert paragraphs(text) == ["Pyongyang can still endure the pressure of the sanctions regime, as the U.S. stresses sanctions as its main tool."]


def test_splitter_keeps_abbreviations_and_splits_inside_quotes():
    paragraph = ('"A deal may still be far off, but talks may come much earlier. Trump has four years in office," '
                 "the expert said on Feb. 28 in the U.S. capital.")
    assert split_sentences(paragraph) == [
        '"A deal may still be far off, but talks may come much earlier.',
        'Trump has four years in office," the expert said on Feb. 28 in the U.S. capital.',
    ]


# ---------------------------------------------------------------- who said it

def test_said_x_and_x_said_and_according_to():
    text = (
        "Rates will fall again next year, said Jane Doe, chief economist at Northbank.\n\n"
        "John Smith, a strategist at Eastfund, said the currency will weaken.\n\n"
        "According to Mary Jones of Westbank, there is a 60 percent chance of a recession by the end of next year."
    )
    assert list(speakers_of(text).values()) == ["Jane Doe", "John Smith", "Mary Jones"]


def test_he_said_and_a_surname_refer_back_to_the_full_name():
    text = (
        "Ann Lee, a professor at Seoul National University, said prices are high.\n\n"
        '"Prices could fall by the spring," she noted.\n\n'
        "Lee expected that the central bank would cut rates in March."
    )
    assert list(speakers_of(text).values()) == ["Ann Lee", "Ann Lee"]


def test_quoted_speech_over_several_sentences_belongs_to_whoever_closes_it():
    text = (
        "Tom Brady, an analyst at Cityfund, spoke on Monday.\n\n"
        '"The market may rebound in January. Prices have fallen for months," Brady said.'
    )
    assert list(speakers_of(text).values()) == ["Tom Brady"]


def test_the_expert_in_a_headline_deck_is_the_expert_named_next():
    text = (
        "Mayor Ken Ito opened the new line on Monday.\n\n"
        "'Fares may rise next year,' says transport expert\n\n"
        "A transport expert said on Friday that the line might lose money within two years.\n\n"
        "Sara Kim, a transport researcher at the City Institute, said the line was busy."
    )
    assert set(speakers_of(text).values()) == {"Sara Kim"}


def test_unnamed_groups_are_kept_as_groups():
    text = (
        "The merger is expected to close in March, observers said.\n\n"
        "Analysts say the merger could collapse.\n\n"
        "Some observers have said that the chief executive may resign.\n\n"
        "Speculation has also emerged that the board could sell the company."
    )
    assert list(speakers_of(text).values()) == ["observers", "analysts", "observers", "speculation"]


def test_unattributed_claims_belong_to_the_article_or_the_named_default():
    text = "The company may cut jobs next year."
    assert only(text).speaker == "the article"
    assert only(text, default_speaker="Reuters").speaker == "Reuters"


# ---------------------------------------------------------------- what counts as a forecast

def test_past_facts_and_present_descriptions_are_not_forecasts():
    text = (
        "Kim spoke at the assembly on Friday.\n\n"
        "The second summit in Hanoi fell apart in February.\n\n"
        "The dialogue has been stalled since the Hanoi summit.\n\n"
        '"The term is completely new," Hong said.\n\n'
        "It was his first public statement on the process."
    )
    assert extract_candidates(text, SAID_ON) == []


def test_interpretation_with_a_modal_is_not_a_forecast():
    assert extract_candidates("The remark may reflect an attempt to avoid provoking Trump.", SAID_ON) == []


def test_a_conditional_keeps_its_condition():
    found = only('"If the U.S. proposes a summit with a right attitude, we will attend it," the leader said.')
    assert found.kind == "conditional"
    assert found.condition == "If the U.S. proposes a summit with a right attitude"
    assert "proposes" not in found.statement


def test_cue_probability_deadline_and_statement():
    found = only("The summit may be held by the end of this year, observers said.")
    assert found.cue == "may"
    assert 0 < found.probability < 1
    assert found.deadline_phrase == "by the end of this year"
    assert found.resolve_by == date(2024, 12, 31)
    assert found.statement == "The summit is held by 2024-12-31"
    assert found.kind == "forecast" and found.condition is None


def test_no_deadline_date_without_a_publication_date():
    (found,) = extract_candidates("The summit may be held by the end of this year.", None)
    assert found.resolve_by is None and found.deadline_phrase is None


def test_as_dict_has_the_json_keys_and_iso_dates():
    record = only("The summit may be held by the end of this year.").as_dict()
    assert list(record) == ["sentence", "speaker", "speaker_kind", "cue", "probability", "deadline_phrase",
                            "resolve_by", "statement", "condition", "kind", "borderline"]
    assert record["resolve_by"] == "2024-12-31"


# ---------------------------------------------------------------- measured quality

@pytest.mark.parametrize("article", list(evaluate_extract.PUBLISHED_ON))
def test_quality_targets_hold_on_each_gold_article(article):
    score = evaluate_extract.evaluate(article)
    assert score.recall >= 0.9
    assert score.precision >= 0.8
    assert score.speaker_accuracy >= 0.9


def test_quality_targets_hold_overall():
    score = evaluate_extract.total([evaluate_extract.evaluate(a) for a in evaluate_extract.PUBLISHED_ON])
    assert score.recall >= 0.9
    assert score.precision >= 0.8
    assert score.speaker_accuracy >= 0.9


def test_spacy_is_imported_only_when_extracting():
    import subprocess
    import sys

    code = ("import sys, ledger.cli, ledger.extract, ledger.review; "
            "assert 'spacy' not in sys.modules, 'spacy imported at import time'; "
            "from ledger.extract import nlp; assert nlp.pipeline.cache_info().currsize == 0")
    subprocess.run([sys.executable, "-c", code], check=True)
