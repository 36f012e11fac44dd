"""Probabilities from numbers ("30%") and from the words forecasters use ("likely", "might not"), by documented scales."""

import difflib
import re
from dataclasses import dataclass

from ledger.errors import LedgerError

PROBABILITY_HELP = "give a number from 0 to 1, or a percentage such as 30%"


@dataclass(frozen=True)
class Expression:
    """One row of a scale: words, the range the scale gives them, the point value stored and its source."""

    words: str
    low: float
    high: float
    probability: float
    basis: str


@dataclass(frozen=True)
class Reading:
    """What a forecaster's words were taken to mean: the cue, its scale, range, point value and source."""

    cue: str
    scale: str
    low: float
    high: float
    probability: float
    basis: str


def _icd(words: str, low: float, high: float, official: str | None = None) -> Expression:
    name = f"synonym of '{official}'" if official else f"'{words}'"
    return Expression(words, low, high, round((low + high) / 2, 4), f"ICD 203 {name}: {low:.0%}-{high:.0%}, midpoint")


_ZONINATION = "zonination perceptions survey (n=46)"


def _negated(words: str, probability: float) -> str:
    """Negation moves a phrase to the other side, half as far from the boundary (Mosteller & Youtz 1990)."""
    return f"negated '{words}': (1 - {probability:.2f}) / 2, Mosteller & Youtz 1990 rule"
_MAUBOUSSIN = "Mauboussin probability survey, first 81 rows"

ICD203 = (
    _icd("almost no chance", 0.01, 0.05),
    _icd("remote", 0.01, 0.05, "almost no chance"),
    _icd("very unlikely", 0.05, 0.20),
    _icd("highly improbable", 0.05, 0.20, "very unlikely"),
    _icd("unlikely", 0.20, 0.45),
    _icd("improbable", 0.20, 0.45, "unlikely"),
    _icd("unlikely to", 0.20, 0.45, "unlikely"),
    _icd("roughly even chance", 0.45, 0.55),
    _icd("roughly even odds", 0.45, 0.55, "roughly even chance"),
    _icd("likely", 0.55, 0.80),
    _icd("probable", 0.55, 0.80, "likely"),
    _icd("probably", 0.55, 0.80, "likely"),
    _icd("likely to", 0.55, 0.80, "likely"),
    _icd("very likely", 0.80, 0.95),
    _icd("highly probable", 0.80, 0.95, "very likely"),
    _icd("almost certain", 0.95, 0.99),
    _icd("nearly certain", 0.95, 0.99, "almost certain"),
    # The phrases news uses: no official scale defines them (see docs/likelihood.md).
    Expression("will", 0.75, 0.95, 0.85, "project judgement: an unhedged 'will'"),
    Expression("will not", 0.025, 0.125, 0.075, _negated("will", 0.85)),
    Expression("won't", 0.025, 0.125, 0.075, _negated("will", 0.85)),
    Expression("would", 0.55, 0.80, 0.70, "project judgement: reported or conditional 'will'"),
    Expression("would not", 0.10, 0.225, 0.15, _negated("would", 0.70)),
    Expression("is expected to", 0.60, 0.80, 0.70, "project judgement, read as 'likely' (survey medians 70-75)"),
    Expression("expected", 0.60, 0.80, 0.70, "project judgement, read as 'likely' (survey medians 70-75)"),
    Expression("expects", 0.60, 0.80, 0.70, "project judgement, read as 'likely' (survey medians 70-75)"),
    Expression("predicted", 0.60, 0.80, 0.70, "project judgement, as 'expects'"),
    Expression("believes \u2026 will", 0.60, 0.80, 0.70, f"'We Believe' median 70, IQR 60-80, {_ZONINATION}"),
    Expression("more likely than not", 0.50, 0.70, 0.60, "IPCC AR5 '>50%'; 0.60 and 0.70 project judgement"),
    Expression("may", 0.30, 0.50, 0.45, f"between 'maybe' (50) and 'might happen' (40) medians, {_MAUBOUSSIN}"),
    Expression("might", 0.30, 0.50, 0.40, f"'might happen' median 40, IQR 30-50, {_MAUBOUSSIN}"),
    Expression("could", 0.30, 0.50, 0.40, f"read as 'possibly': median 40, IQR 30-50, {_MAUBOUSSIN}"),
    Expression("possibly", 0.30, 0.50, 0.40, f"'possibly' median 40, IQR 30-50, {_MAUBOUSSIN}"),
    Expression("may not", 0.25, 0.35, 0.275, _negated("may", 0.45)),
    Expression("might not", 0.25, 0.35, 0.30, _negated("might", 0.40)),
    Expression("could not", 0.05, 0.35, 0.30, _negated("could", 0.40) + "; range down to 'cannot'"),
    Expression("does not expect", 0.10, 0.20, 0.15, _negated("expects", 0.70)),
    Expression("does not think \u2026 will", 0.10, 0.20, 0.15, _negated("believes \u2026 will", 0.70)),
    Expression("ruled out", 0.01, 0.05, 0.03, "project judgement: excluded, read as ICD 203 'almost no chance'"),
    Expression("rejected the possibility", 0.01, 0.05, 0.03, "project judgement: as 'ruled out'"),
    Expression("is on track to", 0.70, 0.90, 0.80, "project judgement: a trend said to lead there"),
    Expression("is poised to", 0.70, 0.90, 0.80, "project judgement: as 'is on track to'"),
    Expression("is going to", 0.75, 0.95, 0.85, "project judgement: as an unhedged 'will'"),
    Expression("played down hopes", 0.10, 0.30, 0.20, "project judgement: hopes discounted, as 'probably not' (median 26.5) or less"),
    Expression("won't be long until", 0.75, 0.95, 0.85, "project judgement: an idiom for 'will soon', as 'will'"),
    Expression("is forecast to", 0.60, 0.80, 0.70, "project judgement, as 'is expected to'"),
    Expression("is seen", 0.60, 0.80, 0.70, "project judgement, as 'is expected to' ('is seen slowing to')"),
    Expression("raised its forecast", 0.60, 0.80, 0.70, "project judgement: a revised forecast, as 'expects'"),
    Expression("should", 0.55, 0.75, 0.65, "project judgement: predictive 'should', between 'likely' and 'may'"),
    Expression("confidence is high", 0.70, 0.90, 0.80, "project judgement: stated high confidence, below 'very likely'"),
    Expression("there is potential for", 0.30, 0.50, 0.40, "project judgement, as 'could'"),
    Expression("is not going to", 0.025, 0.125, 0.075, _negated("is going to", 0.85)),
    Expression("better than even", 0.50, 0.70, 0.60, "project judgement: above 'roughly even chance' (ICD 203 45-55%)"),
    Expression("inevitable", 0.95, 0.99, 0.97, "project judgement: read as ICD 203 'almost certain'"),
    Expression("probably not", 0.20, 0.40, 0.25, f"'Probably Not' median 26.5, IQR 20-40, {_ZONINATION}"),
    _icd("little chance", 0.05, 0.20, "very unlikely"),
    _icd("good chance", 0.55, 0.80, "likely"),
    _icd("very good chance", 0.80, 0.95, "very likely"),
    Expression("doubts", 0.15, 0.35, 0.25, f"'We Doubt' median 25, IQR 14-34, {_ZONINATION}"),
    Expression("is set to", 0.75, 0.95, 0.85, "schedule: announced arrangement, project judgement"),
    Expression("plans to", 0.50, 0.80, 0.65, "intent: the actor's stated plan, project judgement"),
    Expression("intends to", 0.50, 0.80, 0.65, "intent: the actor's stated intention, project judgement"),
    Expression("aims to", 0.40, 0.70, 0.55, "intent: the actor's stated aim, project judgement"),
    Expression("hopes to", 0.25, 0.55, 0.40, "intent: the actor's stated hope, project judgement"),
)

_KENT = "Sherman Kent 1964, Words of Estimative Probability"
KENT = (
    Expression("certain", 1.00, 1.00, 1.00, f"{_KENT}: 100%"),
    Expression("almost certain", 0.87, 0.99, 0.93, f"{_KENT}: 93% give or take about 6%"),
    Expression("probable", 0.63, 0.87, 0.75, f"{_KENT}: 75% give or take about 12%"),
    Expression("chances about even", 0.40, 0.60, 0.50, f"{_KENT}: 50% give or take about 10%"),
    Expression("probably not", 0.20, 0.40, 0.30, f"{_KENT}: 30% give or take about 10%"),
    Expression("almost certainly not", 0.02, 0.12, 0.07, f"{_KENT}: 7% give or take about 5%"),
    Expression("impossible", 0.00, 0.00, 0.00, f"{_KENT}: 0%"),
)

SCALES = {"icd203": ICD203, "kent": KENT}

_SCALE_EXAMPLES = {
    "icd203": "'likely', 'may', 'is expected to', 'very unlikely'",
    "kent": "'probable', 'chances about even', 'probably not', 'almost certain'",
}

# How each expression is written in running text; expressions not listed are matched word for word.
_FORMS = {
    "remote": r"remote(?=\s+(?:chance|possibility|prospect))",
    "improbable": r"improbabl[ey]",
    "almost certain": r"almost\s+certain(?:ly)?",
    "almost certainly not": r"almost\s+certainly\s+not",
    "will not": r"will\s+not",
    "won't": r"won['\u2019]t",
    "would not": r"would\s+not|wouldn['\u2019]t",
    "could not": r"could\s+not|couldn['\u2019]t",
    "might not": r"might\s+not|mightn['\u2019]t",
    "is expected to": r"(?:(?:is|are|was|were|be|been|being|am|['\u2019]s|['\u2019]re)\s+)?"
    r"(?:widely\s+|also\s+|now\s+|generally\s+)?expected\s+to",
    "expects": r"expects?|expecting",
    "predicted": r"predict(?:s|ed|ing)?",
    "believes \u2026 will": r"(believ(?:e|es|ed|ing))((?:\s+(?!will\b)[\w'\u2019\u2026.,-]+|\s*\u2026){0,6}?)\s+(will)",
    "doubts": r"doubt(?:s|ed|ing)?",
    "is set to": r"(?:is|are|was|were|['\u2019]s|['\u2019]re)\s+(?:now\s+|also\s+)?set\s+to",
    "does not expect": r"(?:do|does|did)(?:\s+not|n['\u2019]t)\s+(?:expect|anticipate|foresee|see)",
    "does not think \u2026 will": r"(?:do|does|did)(?:\s+not|n['\u2019]t)\s+(?:think|believe|reckon)(?:\s+that)?\s+[\w'\u2019 ,-]{1,60}?\s+(?:will|would)",
    "ruled out": r"rul(?:ed|es|ing)\s+out",
    "rejected the possibility": r"(?:reject(?:ed|s)?|dismiss(?:ed|es)?)\s+(?:the\s+)?(?:possibility|prospect|idea)",
    "is on track to": r"(?:(?:is|are|was|were|['\u2019]s|['\u2019]re)\s+)?(?:still\s+)?on\s+(?:track|course)\s+(?:to|for)",
    "is poised to": r"(?:(?:is|are|was|were|['\u2019]s|['\u2019]re)\s+)?poised\s+(?:to|for)",
    "is forecast to": r"(?:is|are|was|were|be|['\u2019]s|['\u2019]re)\s+(?:now\s+|also\s+)?(?:forecast|projected|predicted|estimated)\s+to",
    "is seen": r"(?:is|are)\s+(?:now\s+|also\s+)?seen\s+(?=[a-z]+ing\b|at\b)",
    "raised its forecast": r"(?:rais|increas|lift|cut|lower|trimm|reduc|boost|hik)\w*\s+(?:its|their|the)\s+(?:[\w-]+\s+){0,3}(?:forecasts?|outlook|guidance|projections?|estimates?)",
    "should": r"should(?!\s+(?:have|not\s+have|be\s+(?:noted|allowed|able|careful|considered|given|made|done)|we|I|you)\b)",
    "confidence is high": r"confidence\s+is\s+(?:high|very\s+high)",
    "there is potential for": r"there\s+is\s+(?:the\s+|a\s+)?potential\s+(?:here\s+)?(?:for|of)",
    "is going to": r"(?:is|are|am|['\u2019]s|['\u2019]re|['\u2019]m)\s+going\s+to(?=\s+[a-z])",
    "is not going to": r"(?:is|are|am|['\u2019]s|['\u2019]re|['\u2019]m)(?:\s+not|n['\u2019]t)\s+going\s+to(?=\s+[a-z])",
    "played down hopes": r"(?:downplay(?:ed|s|ing)?|play(?:ed|s|ing)?\s+down)\s+(?:the\s+)?(?:hopes|expectations|prospects?|chances)"
    r"|caution(?:ed|s|ing)?\s+against\s+expecting"
    r"|(?:(?:is|was|would\s+be|will\s+be|it['\u2019]s)\s+)(?:wrong|unrealistic|premature|naive|na\u00efve|a\s+mistake)\s+to\s+expect",
    "won't be long until": r"(?:won['\u2019]t|will\s+not)\s+be\s+long\s+(?:until|before)",
    "better than even": r"better[-\s]than[-\s]even",
    "little chance": r"(?:little|slim|small|scant|slight)\s+(?:chance|likelihood|probability|prospect)",
    "good chance": r"(?:good|strong|high|decent|real)\s+(?:chance|likelihood|probability|prospect)",
    "very good chance": r"very\s+(?:good|strong|high)\s+(?:chance|likelihood|probability)",
    "plans to": r"plan(?:s|ned|ning)?\s+to",
    "intends to": r"intend(?:s|ed|ing)?\s+to",
    "aims to": r"aim(?:s|ed|ing)?\s+to",
    "hopes to": r"hop(?:e|es|ed|ing)\s+to",
}
# Reporting verbs say who expects something; a modal in the same sentence says how strongly.
_REPORTING = {"expected", "expects", "predicted"}
_NOUN_BEFORE = re.compile(
    r"(?:\b(?:the|a|political|good|free|ill|his|her|their|its|our|my|your|own|strong|popular|"
    r"military|economic|naval|full|all|people['\u2019]s)|['\u2019]s)\s+$",
    re.IGNORECASE,
)


def parse_probability(text: str) -> float:
    """A probability from '0.3', '.3', '30%', '30 percent' or '30 per cent'; '1' means certainty, not 1%."""
    cleaned = " ".join(str(text).lower().split())
    match = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+) ?(%|percent|per cent|pct)?", cleaned)
    if not match:
        raise LedgerError(f"probability {text!r} is not a number: {PROBABILITY_HELP}")
    value = float(match.group(1)) / (100 if match.group(2) else 1)
    if not 0 <= value <= 1:
        raise LedgerError(f"probability {text!r} is out of range: {PROBABILITY_HELP}")
    return value


def read_words(words: str, scale: str = "icd203") -> Reading:
    """The Reading a scale gives the words a forecaster used, after normalising case, spacing and verb forms."""
    entries = _scale(scale)
    by_words = {entry.words: entry for entry in entries}
    normalised = _normalise(words)
    entry = _entry(normalised, entries, by_words)
    if entry is None:
        # The common inflections people type: "will likely", "is unlikely to", "probably won't".
        entry = _entry(_without_auxiliaries(normalised), entries, by_words)
    if entry is None:
        negated = _after_negation(normalised)
        positive = _entry(_without_auxiliaries(negated), entries, by_words) if negated else None
        if positive is not None:
            low, high = (1 - positive.high) / 2, (1 - positive.low) / 2
            probability = round((1 - positive.probability) / 2, 4)
            return Reading(" ".join(str(words).split()), scale, low, high, probability, _negated(positive.words, positive.probability))
    if entry is None:
        nearest = difflib.get_close_matches(normalised, list(by_words), n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(repr(word) for word in nearest)}? " if nearest else ""
        raise LedgerError(
            f"unknown likelihood words {words!r}: {hint}use --prob, or words such as "
            f"{_SCALE_EXAMPLES[scale]} (see 'ledger scale')"
        )
    return _reading(" ".join(str(words).split()), scale, entry)


# Words around a scale phrase that do not change its meaning, and the plain phrases no scale lists.
_AUXILIARIES = {"will", "is", "are", "be", "it", "it's", "its", "that", "to", "quite", "seems", "seem", "looks", "look"}
_PLAIN = {"no chance": "almost no chance", "not a chance": "almost no chance", "certain": "almost certain", "even chance": "roughly even chance",
          "fifty-fifty": "roughly even chance", "50-50": "roughly even chance", "toss-up": "roughly even chance"}
_NEGATIONS = ("not ", "never ", "no longer ")


def _entry(phrase: str, entries, by_words: dict) -> Expression | None:
    for wording in (phrase, _PLAIN.get(phrase)):
        if wording is None:
            continue
        found = by_words.get(wording) or next((e for e in entries if re.fullmatch(_form(e.words), wording, re.IGNORECASE)), None)
        if found is not None:
            return found
    return None


def _without_auxiliaries(phrase: str) -> str:
    words = phrase.replace("won't", "will not").replace("n't", " not").split()
    kept = [word for word in words if word not in _AUXILIARIES]
    return " ".join(kept) if kept else phrase


def _after_negation(phrase: str) -> str | None:
    """The phrase a negation applies to ("not likely" → "likely"), or None if it is not negated."""
    words = f" {_without_auxiliaries(phrase)} "
    for negation in _NEGATIONS:
        if f" {negation}" in words:
            return " ".join(words.replace(f" {negation}", " ", 1).split())
    return None


def find_cue(sentence: str, scale: str = "icd203") -> Reading | None:
    """The most specific confidence-carrying words in running text, as they appear there; None if none."""
    ranked = _ranked_cues(sentence, scale)
    return ranked[0][1] if ranked else None


def find_cues(sentence: str, scale: str = "icd203") -> list[Reading]:
    """Every confidence-carrying phrase in running text that does not overlap a more specific one, in order."""
    return [reading for _, reading in sorted(_ranked_cues(sentence, scale), key=lambda pair: pair[0])]


def scale_rows(scale: str = "icd203") -> list[dict]:
    """The rows of a scale for printing: words, low, high, probability, basis."""
    return [
        {"words": e.words, "low": e.low, "high": e.high, "probability": e.probability, "basis": e.basis}
        for e in _scale(scale)
    ]


def _scale(name: str) -> tuple[Expression, ...]:
    if name not in SCALES:
        raise LedgerError(f"unknown scale {name!r}: use one of {', '.join(SCALES)}")
    return SCALES[name]


def _reading(cue: str, scale: str, entry: Expression) -> Reading:
    return Reading(cue, scale, entry.low, entry.high, entry.probability, entry.basis)


def _normalise(words: str) -> str:
    text = str(words).lower().replace("\u2019", "'").replace("...", "\u2026").replace("\u2026", " \u2026 ")
    return " ".join(text.split()).strip(" .,;:!?\"")


def _form(words: str) -> str:
    return _FORMS.get(words) or r"\s+".join(re.escape(word) for word in words.split())


def _ranked_cues(sentence: str, scale: str) -> list[tuple[int, Reading]]:
    """Non-overlapping cues, most specific first, each with its position in the sentence."""
    candidates = []
    for entry in _scale(scale):
        pattern = re.compile(r"\b(?:" + _form(entry.words) + r")\b", re.IGNORECASE)
        for match in pattern.finditer(sentence):
            if _false_friend(sentence, match, entry.words):
                continue
            specificity = (len(entry.words.split()), entry.words not in _REPORTING, -match.start())
            candidates.append((specificity, match, entry))
    chosen = []
    for specificity, match, entry in sorted(candidates, key=lambda c: c[0], reverse=True):
        if all(match.end() <= other.start() or match.start() >= other.end() for _, other, _ in chosen):
            chosen.append((specificity, match, entry))
    return [(start, reading) for start, reading in (_negated_in_text(sentence, match, scale, entry) for _, match, entry in chosen)]


# A negation standing just before a cue ("are not expected to", "is not likely to") or just after "will"
# ("will never", "will hardly") turns it over; "not only" does not.
_NEGATION_BEFORE = re.compile(r"\b(?:not|never|no\s+longer|hardly|scarcely)\s+(?:\w+ly\s+)?(?:be\s+)?$|n['\u2019]t\s+(?:be\s+)?$", re.IGNORECASE)
_NEGATION_AFTER = re.compile(r"\s+(?:never|hardly|scarcely|no\s+longer)\b", re.IGNORECASE)
_NEGATIVE_WORDS = re.compile(r"\bnot\b|n['\u2019]t\b|\bunlikely\b|\bimprobabl|\bdoubt|\bruled?\b|\breject|\bno\b|\blittle\b|\bimpossible\b")


def _negated_in_text(sentence: str, match: re.Match, scale: str, entry: Expression) -> tuple[int, Reading]:
    """The reading of a cue as written, turned over when running text negates it (Mosteller & Youtz rule)."""
    reading = _reading(_as_written(match), scale, entry)
    if _NEGATIVE_WORDS.search(entry.words) or entry.probability <= 0.5 and entry.words not in ("may", "might", "could", "possibly"):
        return match.start(), reading
    before = sentence[: match.start()]
    after = _NEGATION_AFTER.match(sentence, match.end()) if entry.words in ("will", "would", "is going to", "is set to") else None
    negation = _NEGATION_BEFORE.search(before)
    if negation and re.search(r"\bnot\s+only\s+$", before, re.IGNORECASE):
        negation = None
    if not negation and not after:
        return match.start(), reading
    start = negation.start() if negation else match.start()
    end = after.end() if after else match.end()
    cue = " ".join(sentence[start:end].split())
    low, high = (1 - entry.high) / 2, (1 - entry.low) / 2
    return start, Reading(cue, scale, low, high, round((1 - entry.probability) / 2, 4), _negated(entry.words, entry.probability))


def _as_written(match: re.Match) -> str:
    if match.re.groups == 3 and match.group(2).strip():
        return f"{match.group(1)} \u2026 {match.group(3)}"
    return " ".join(match.group(0).split())


def _false_friend(sentence: str, match: re.Match, words: str) -> bool:
    """Whether a match is not a likelihood cue at all: May the month, the noun will, 'than expected'."""
    before = sentence[: match.start()]
    after = sentence[match.end():]
    first_word = match.group(0).split()[0]
    if words in ("may", "may not") and first_word == "May":
        at_sentence_start = not before.strip() or before.rstrip()[-1] in ".!?\"'\u201c"
        return not at_sentence_start or bool(re.match(r"\s*\d", after))
    if words in ("will", "might"):
        return bool(_NOUN_BEFORE.search(before)) or bool(re.match(r"\s*(?:to|of)\b|\s*[.,;:)]|\s*$", after))
    if words == "intends to" and first_word.lower() == "intended":
        # "appears intended to" is a passive: someone else's purpose, not a plan.
        return bool(re.search(r"\b(?:is|was|are|were|be|been|appears?|seems?)\s+$", before, re.IGNORECASE))
    if words == "expected":
        # "better-than-expected", "as expected", and "the expected impact" (an adjective) are not forecasts.
        return bool(re.search(r"\b(?:than|as)[\s-]+$|\b(?:the|an|its|their|his|her)\s+$", before, re.IGNORECASE)) and not re.match(
            r"\s+to\b", after)
    if words == "predicted":
        return bool(re.search(r"\b(?:to|hard|difficult)\s+$", before, re.IGNORECASE))  # "difficult to predict"
    if words == "should":
        # Advice, not a forecast: "you should", "the Fed should cut": a person or body told what to do.
        return bool(re.search(r"\b(?:you|we|I|governments?|policymakers|the\s+(?:fed|bank|government|administration|council|company))\s+$",
                              before, re.IGNORECASE)
                    or re.search(r"\b(?:suggest|urge|recommend|argue|insist|demand|propose|advise)\w*\s+(?:that\s+)?(?:\S+\s+){0,4}$",
                                 before, re.IGNORECASE))
    if words == "rejected the possibility":
        # "this statement appears to dismiss the prospect": a reading of a text, not someone's forecast.
        return bool(re.search(r"\b(?:appears?|seems?)\s+to\s+$", before, re.IGNORECASE))
    if words == "doubts":
        return bool(re.search(r"\b(?:no|without(?:\s+a)?|beyond(?:\s+a)?|little)\s+$", before, re.IGNORECASE))
    return False
