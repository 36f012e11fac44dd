"""Manifold's markets as its API gives them (`GET /v0/market/{id}`, with the market's bets), read as ledger rows.

A file is a JSON list of markets. Each market carries `question`, `outcomeType`, `closeTime`,
`resolution`, `resolutionTime` and, for multiple choice, `answers`; its `bets` each carry
`createdTime`, `probAfter` (the market's probability once the bet went in: the bettor's
forecast), the bettor (`userUsername`, `userName` or `userId`) and, for multiple choice,
`answerId`. Times are milliseconds since 1970 (UTC). Source of the layout: Manifold's API
documentation (https://docs.manifold.markets/api) and the types in its repository
(manifoldmarkets/manifold, common/src/contract.ts and common/src/bet.ts).
"""

from typing import Any, Iterator

from ledger.io.ours import Refused, json_rows
from ledger.io.sites import ChoiceForecast, ChoiceQuestion, SiteExport, binary_row, epoch_day

SOURCE = ("Manifold", "https://manifold.markets")
MILLISECONDS = 1000.0
RESOLUTIONS = {"YES": "yes", "NO": "no", "CANCEL": "annulled"}
NAMES = {"statement": "question", "resolve_by": "closeTime", "forecaster": "userUsername", "probability": "probAfter",
         "stated_on": "createdTime", "outcome": "resolution", "resolved_on": "resolutionTime"}


def _day(value: Any) -> Any:
    try:
        return epoch_day(value, MILLISECONDS)
    except (TypeError, ValueError, OverflowError, OSError):
        return str(value)  # the date rule refuses it, naming what it accepts


def _resolution(market: dict, words: dict) -> Any:
    word = market.get("resolution")
    if word is None or not market.get("isResolved", True):
        return None
    if word in words:
        return words[word]
    if word == "MKT":
        # Resolved to a probability, not to whether the event happened: scoring it as yes or no would be a guess.
        return Refused(f"resolved MKT (to a probability, {market.get('resolutionProbability')}): the ledger's outcomes are yes, no, ambiguous or annulled; remove the market or resolve it in the ledger")
    return Refused(f"unknown resolution {word!r}: Manifold's are YES, NO, MKT, CANCEL (N/A), or an answer's id")


def _bettor(bet: dict) -> str:
    return bet.get("userUsername") or bet.get("userName") or bet.get("userId") or ""


def _forecast_bets(market: dict) -> list[dict]:
    # A redemption or an unfilled limit order moves no probability: it is not a forecast.
    return [bet for bet in market.get("bets") or [] if isinstance(bet, dict) and not bet.get("isRedemption") and not bet.get("isCancelled")]


def _binary(line: int, market: dict) -> Iterator[tuple[int, dict]]:
    resolution = _resolution(market, RESOLUTIONS)
    for bet in _forecast_bets(market):
        yield line, binary_row(
            statement=market.get("question"), resolve_by=_day(market.get("closeTime")), forecaster=_bettor(bet),
            probability=bet.get("probAfter"), stated_on=_day(bet.get("createdTime")), outcome=resolution,
            resolved_on=_day(market.get("resolutionTime")) if resolution else None, source=SOURCE,
            criteria=market.get("textDescription"),
        )


def _choice(line: int, market: dict) -> ChoiceQuestion:
    answers = [answer for answer in market.get("answers") or [] if isinstance(answer, dict)]
    texts = {answer.get("id"): answer.get("text") or "" for answer in answers}
    words = {**{key: text for key, text in texts.items()}, "CANCEL": "annulled"}
    resolution = _resolution(market, words)
    if market.get("shouldAnswersSumToOne") is False and resolution is not None:
        resolution = Refused("its answers need not sum to one (several can resolve yes): a scenario's outcomes are exclusive")
    question = ChoiceQuestion(
        line=line, name=market.get("question") or "", options=list(texts.values()), resolve_by=_day(market.get("closeTime")),
        opened_on=_day(market.get("createdTime")), source=SOURCE, resolution=resolution,
        resolved_on=_day(market.get("resolutionTime")) if resolution else "",
    )
    for bet in _forecast_bets(market):
        answer = texts.get(bet.get("answerId"), bet.get("answerId") or "")
        question.forecasts.append(ChoiceForecast(line=line, forecaster=_bettor(bet), stated_on=_day(bet.get("createdTime")),
                                                 option=answer, probability=bet.get("probAfter")))
    return question


def read(path: str) -> SiteExport:
    """Manifold markets: binary ones as rows of our layout, multiple-choice ones as scenarios."""
    choices: list[ChoiceQuestion] = []
    refused: list[tuple[int, dict]] = []

    def rows() -> Iterator[tuple[int, dict]]:
        yield from refused
        for line, market in markets:
            kind = market.get("outcomeType")
            if kind == "BINARY":
                yield from _binary(line, market)

    markets = list(json_rows(path, known=None))
    for line, market in markets:
        kind = market.get("outcomeType")
        if kind in ("MULTIPLE_CHOICE", "FREE_RESPONSE"):
            choices.append(_choice(line, market))
        elif kind != "BINARY":
            refused.append((line, {"statement": Refused(f"outcome type {kind!r}: the ledger takes BINARY and MULTIPLE_CHOICE markets; remove this one")}))
    return SiteExport(rows(), choices, NAMES)
