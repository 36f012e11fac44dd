"""PredictionBook's predictions as its API gives them (`GET /api/predictions`, `/api/my_predictions`), read as ledger rows.

A file is a JSON list of predictions, each as PredictionBook's PredictionSerializer writes it
(bellroy/predictionbook, app/serializers/prediction_serializer.rb): `id`, `description`,
`deadline`, `created_at`, `updated_at`, `withdrawn`, `outcome` (the latest judgement: true
"right", false "wrong", null unknown) and `responses`, each (response_serializer.rb)
with `confidence` (0-100, or null for a comment alone), `created_at`, `user_label` and `comment`.

PredictionBook's judgements say "right" or "wrong", and its users also used them to mean "I was
right": a judgement is not read as an outcome unless the user says which it means
(`--pb-judgements event`: right means the event happened). Without that, a judged prediction is
refused with its row named. A withdrawn prediction is annulled.
"""

from typing import Any, Iterator, Optional

from ledger.io.ours import Refused, json_rows
from ledger.io.sites import SiteExport, binary_row, utc_day

SOURCE = ("PredictionBook", "https://predictionbook.com")
JUDGEMENT_READINGS = ("event",)
NAMES = {"statement": "description", "resolve_by": "deadline", "forecaster": "user_label", "probability": "confidence",
         "stated_on": "created_at", "outcome": "outcome", "resolved_on": "updated_at"}


def _outcome(prediction: dict, judgements: Optional[str]) -> Any:
    if prediction.get("withdrawn"):
        return "annulled"
    judged = prediction.get("outcome")
    if judged is None:
        return None
    if not isinstance(judged, bool):
        return Refused(f"unknown judgement {judged!r}: PredictionBook's are true (right), false (wrong) or null (unknown)")
    if judgements != "event":
        return Refused(
            f"judged {'right' if judged else 'wrong'}, which on PredictionBook may mean the event happened or that the "
            "forecaster was right: if right means the event happened, import with --pb-judgements event; or leave it out and resolve it in the ledger"
        )
    return "yes" if judged else "no"


def _probability(confidence: Any) -> Any:
    if isinstance(confidence, (int, float)) and not isinstance(confidence, bool):
        return f"{confidence}%"  # PredictionBook's confidence is a percentage
    return confidence


def read(path: str, judgements: Optional[str] = None) -> SiteExport:
    def rows() -> Iterator[tuple[int, dict]]:
        for line, prediction in json_rows(path, known=None):
            outcome = _outcome(prediction, judgements)
            said = [response for response in prediction.get("responses") or []
                    if isinstance(response, dict) and response.get("confidence") is not None]
            if not said:
                yield line, {"statement": Refused(f"prediction {prediction.get('id')} has no response with a confidence: nothing to import; remove it")}
            for response in said:
                yield line, binary_row(
                    statement=prediction.get("description"), resolve_by=utc_day(str(prediction.get("deadline") or "")),
                    forecaster=response.get("user_label") or str(response.get("user_id") or ""),
                    probability=_probability(response.get("confidence")), stated_on=utc_day(str(response.get("created_at") or "")),
                    outcome=outcome, resolved_on=utc_day(str(prediction.get("updated_at") or "")) if outcome else None,
                    source=SOURCE, quote=response.get("comment") or None,
                )

    return SiteExport(rows(), [], NAMES)
