"""Scores ledger.extract against the hand-made gold: precision, recall and speaker accuracy on clear forecasts."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ledger.extract import Candidate, extract_candidates  # noqa: E402

GOLD = REPO / "tests" / "gold"
SEED_FOLDERS = [REPO / "seeds", REPO.parent / "shared" / "seeds"]
PUBLISHED_ON = {
    "000_5f386b38834cbe8f.txt": date(2019, 4, 13),
    "002_9f147d8e9360c755.txt": date(2024, 11, 22),
    "900_central_bank_rates.txt": date(2024, 10, 24),
}


@dataclass(frozen=True)
class Score:
    article: str
    gold_forecasts: int
    found: int
    correct: int
    recalled: int
    speakers_right: int

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.recalled / self.gold_forecasts if self.gold_forecasts else 1.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers_right / self.recalled if self.recalled else 1.0


def article_path(name: str) -> Path:
    for folder in [GOLD, *SEED_FOLDERS]:
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(name)


def comparable(sentence: str) -> str:
    return " ".join(re.sub(r"[\"“”‘’']", "", sentence).lower().split())


def same_sentence(found: str, gold: str) -> bool:
    # Splitters disagree at quote boundaries; one sentence inside the other counts as the same.
    found, gold = comparable(found), comparable(gold)
    return found == gold or (gold in found or found in gold) and min(len(found), len(gold)) > 20


def score(article: str, candidates: list[Candidate], gold: list[dict]) -> Score:
    """Borderline sentences count neither way: finding them is not wrong, missing them is not either."""
    clear = [entry for entry in gold if entry["class"] == "forecast"]
    borderline = [entry for entry in gold if entry["class"] != "forecast"]
    found = correct = 0
    speaker_of: dict[int, str] = {}
    for candidate in candidates:
        hits = [i for i, entry in enumerate(clear) if same_sentence(candidate.sentence, entry["sentence"])]
        if hits:
            found += 1
            correct += 1
            for i in hits:
                speaker_of.setdefault(i, candidate.speaker)
        elif not any(same_sentence(candidate.sentence, entry["sentence"]) for entry in borderline):
            found += 1
    speakers_right = sum(speaker.lower() == clear[i]["speaker"].lower() for i, speaker in speaker_of.items())
    return Score(article, len(clear), found, correct, len(speaker_of), speakers_right)


def evaluate(article: str) -> Score:
    text = article_path(article).read_text(encoding="utf-8")
    gold = json.loads((GOLD / (Path(article).stem + ".json")).read_text(encoding="utf-8"))
    return score(article, extract_candidates(text, PUBLISHED_ON[article]), gold)


def total(scores: list[Score]) -> Score:
    return Score(
        "overall",
        sum(s.gold_forecasts for s in scores),
        sum(s.found for s in scores),
        sum(s.correct for s in scores),
        sum(s.recalled for s in scores),
        sum(s.speakers_right for s in scores),
    )


def table(scores: list[Score]) -> str:
    header = f"{'article':<28} {'gold':>4} {'found':>5} {'right':>5} {'precision':>9} {'recall':>6} {'speaker':>7}"
    rows = [
        f"{s.article:<28} {s.gold_forecasts:>4} {s.found:>5} {s.correct:>5} "
        f"{s.precision:>9.2f} {s.recall:>6.2f} {s.speaker_accuracy:>7.2f}"
        for s in scores
    ]
    return "\n".join([header, *rows])


def main() -> None:
    scores = [evaluate(article) for article in PUBLISHED_ON]
    print(table([*scores, total(scores)]))


if __name__ == "__main__":
    main()
