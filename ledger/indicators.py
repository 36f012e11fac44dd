"""Indicators of a scenario and the probabilities their sightings imply, by Bayes' rule (pure: no database).

An indicator is an observable event with, for each outcome of a scenario, the probability of
seeing it if that outcome is the true future (its likelihood). A sighting on a day multiplies each
outcome's probability by its likelihood (by one minus it for "not seen by then"), and the vector is
normalised again; an outcome resolved no is set to zero from the day it was ruled out.

Heuer's Analysis of Competing Hypotheses (Psychology of Intelligence Analysis, 1999, ch. 8) rates
evidence against each hypothesis as consistent, inconsistent or neutral, without numbers; the
numbers below are this project's reading of those ratings, documented in docs/scenarios.md. An
indicator whose likelihoods are about the same under every outcome is consistent with all of them
and so, as Heuer warns, has no diagnostic value: it is flagged and moves nothing much.
"""

import math
from datetime import date
from typing import Iterable, Optional, Sequence

from ledger import likelihood
from ledger.errors import LedgerError

RATINGS = {
    "very consistent": 0.9,
    "consistent": 0.7,
    "neutral": 0.5,
    "inconsistent": 0.3,
    "very inconsistent": 0.1,
}
RATING_ABBREVIATIONS = {"cc": "very consistent", "c": "consistent", "n": "neutral", "i": "inconsistent", "ii": "very inconsistent"}
# Likelihoods within this of each other (the largest over the smallest) tell the outcomes apart too little.
DIAGNOSTIC_RATIO = 1.25
PRIORS = ("consensus", "uniform")


def read_likelihood(value: str) -> tuple[float, Optional[str]]:
    """(likelihood, rating word or None) from a number (0.7, 70%) or a rating (consistent, CC, neutral...)."""
    word = " ".join(str(value).lower().split())
    word = RATING_ABBREVIATIONS.get(word, word)
    if word in RATINGS:
        return RATINGS[word], word
    try:
        number = likelihood.parse_probability(word)
    except LedgerError:
        raise LedgerError(
            f"unreadable likelihood {value!r}: give a probability (0.7, 70%) or a rating: "
            + ", ".join(f"{name} ({number})" for name, number in RATINGS.items())
        ) from None
    if not 0.0 < number < 1.0:
        raise LedgerError(f"likelihood {value!r} must be strictly between 0 and 1: certainty is a resolution, not an indicator")
    return number, None


def diagnosticity(likelihoods: Sequence[float]) -> float:
    """How far the indicator tells the outcomes apart: the largest likelihood ratio between two outcomes."""
    return max(likelihoods) / min(likelihoods)


def is_diagnostic(likelihoods: Sequence[float]) -> bool:
    return diagnosticity(likelihoods) >= DIAGNOSTIC_RATIO


def update(vector: Sequence[float], likelihoods: Sequence[float], seen: bool) -> list[float]:
    """One sighting's Bayes update of a probability vector over the outcomes."""
    weighted = [p * (l if seen else 1.0 - l) for p, l in zip(vector, likelihoods)]
    total = math.fsum(weighted)
    if total == 0:
        return list(vector)  # the evidence is impossible under every outcome still open: nothing to learn
    return [w / total for w in weighted]


def rule_out(vector: Sequence[float], position: int) -> list[float]:
    kept = [0.0 if at == position else p for at, p in enumerate(vector)]
    total = math.fsum(kept)
    return [p / total for p in kept] if total else kept


def implied_path(prior: Sequence[float], events: Iterable[tuple]) -> list[dict]:
    """The implied vector after each event, in date order.

    Events are ("sighting", on, likelihoods, seen, label) or ("ruled_out", on, position, label);
    returns one row per event: {on, probabilities, event}.
    """
    vector = list(prior)
    rows = []
    for event in sorted(events, key=lambda event: event[1]):
        if event[0] == "sighting":
            _, on, likelihoods, seen, label = event
            vector = update(vector, likelihoods, seen)
        else:
            _, on, position, label = event
            vector = rule_out(vector, position)
        rows.append({"on": on, "probabilities": vector, "event": label})
    return rows


def uniform(outcomes: int) -> list[float]:
    return [1.0 / outcomes] * outcomes


def standing(rows: Sequence[dict], day: date, prior: Sequence[float]) -> list[float]:
    """The implied vector on a day: the prior until the first event."""
    current = list(prior)
    for row in rows:
        if row["on"] > day:
            break
        current = row["probabilities"]
    return current
