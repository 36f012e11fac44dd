"""Scores ledger.extract against hand-made gold: recall, precision, speaker, deadline, direction, pronouns.

    python3 tests/evaluate_extract.py                 # the seed articles against tests/gold/*.json
    python3 tests/evaluate_extract.py DIR [GOLD_DIR]  # every NNN.txt in DIR against GOLD_DIR/NNN.json

GOLD_DIR defaults to tests/gold/corpus (format in its README). The extractor is given the gold's
reference_date as the publication date. Only the gold files of the texts found in DIR are read.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ledger.extract import Candidate, extract_candidates  # noqa: E402

GOLD = REPO / "tests" / "gold"
CORPUS_GOLD = GOLD / "corpus"
SEED_FOLDERS = [REPO / "seeds", REPO.parent / "shared" / "seeds"]
PUBLISHED_ON = {
    "000_5f386b38834cbe8f.txt": date(2019, 4, 13),
    "002_9f147d8e9360c755.txt": date(2024, 11, 22),
    "900_central_bank_rates.txt": date(2024, 10, 24),
}
KEY_LENGTH = 60
PRONOUNS = {"i", "we", "you", "he", "she", "it", "they", "this", "that", "these", "those", "us", "our",
            "his", "her", "their", "its", "my", "me", "them", "him"}
# A probability below this points against the event; hedges ("may", "could": 0.40-0.45) point neither way.
AGAINST_BELOW = 0.35
FOR_ABOVE = 0.5


@dataclass
class Score:
    article: str
    subject: str = ""
    gold_forecasts: int = 0
    found: int = 0          # candidates claimed as clear forecasts (not borderline), less those on gold borderline sentences
    correct: int = 0        # of those, the ones on a gold clear forecast
    recalled: int = 0       # gold clear forecasts with a candidate
    speakers_right: int = 0
    dated: int = 0          # recalled gold forecasts that have a resolve_by
    dates_right: int = 0
    invented: int = 0       # recalled gold forecasts with no time frame that got a resolve_by anyway
    opposite: int = 0
    pronoun_statements: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.recalled / self.gold_forecasts if self.gold_forecasts else 1.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers_right / self.recalled if self.recalled else 1.0

    @property
    def deadline_accuracy(self) -> float:
        return self.dates_right / self.dated if self.dated else 1.0

    def add(self, other: "Score") -> None:
        for name in ("gold_forecasts", "found", "correct", "recalled", "speakers_right", "dated", "dates_right",
                     "invented", "opposite", "pronoun_statements"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def article_path(name: str) -> Path:
    for folder in [GOLD, *SEED_FOLDERS]:
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(name)


def collapsed(text: str) -> str:
    return " ".join(text.split())


def comparable(text: str) -> str:
    return " ".join(re.sub(r"[\"“”‘’'`]", "", text).lower().split())


def gold_key(entry: dict) -> str:
    # A list item's bullet is page layout, which the extractor strips; a key that kept it could never match.
    return re.sub(r"^[•·▪►■◦●]\s*", "", collapsed(entry.get("key") or entry["sentence"]))[:KEY_LENGTH]


def matches(candidate: Candidate, key: str) -> bool:
    # Splitters differ at quote boundaries: the candidate's sentence may hold the key anywhere.
    sentence, key = comparable(candidate.sentence), comparable(key)
    return sentence.startswith(key) or (len(key) > 20 and key in sentence)


def aliased(name: str) -> str:
    """'United States officials' and 'US officials' name the same group."""
    name = re.sub(r"\b(?:united states|u\.s\.)(?!\w)", "us", name)
    return re.sub(r"\b(?:united kingdom|u\.k\.)(?!\w)", "uk", name)


def same_speaker(found: str, gold: str) -> bool:
    """A surname, or a group's or organisation's name, as whole words of the candidate's speaker (or its initials)."""
    initials = "".join(word[0] for word in re.findall(r"[A-Z][\w&-]*", found) if word.lower() not in ("the", "and", "of"))
    if gold.isupper() and gold in (initials, re.sub(r"^U[SK](?=[A-Z]{2})", "", initials)):
        # "World Health Organization" for "WHO": the same organisation, spelled out; a leading "U.S." is
        # not part of the acronym ("U.S. Energy Information Administration" is "EIA").
        return True
    found, gold = aliased(found.casefold().strip()), aliased(gold.casefold().strip())
    gold = re.sub(r"^the\s+", "", gold)
    return found == gold or bool(re.search(rf"(?<!\w){re.escape(gold)}(?!\w)", found))


def leaning(probability: float | None) -> str | None:
    if probability is None:
        return None
    if probability < AGAINST_BELOW:
        return "against"
    if probability > FOR_ABOVE:
        return "for"
    return None


DEMONSTRATIVES = {"this", "that", "these", "those"}
VERBS_AFTER = {"is", "was", "are", "were", "will", "would", "could", "may", "might", "should", "means", "shows", "has",
               "have", "had", "makes", "leads", "puts", "comes"}


def starts_with_pronoun(statement: str) -> bool:
    """'It rises', 'That is', 'Their sales': a pronoun; 'This year's season': a determiner, not counted."""
    words = re.findall(r"[\w'’]+", statement)
    if not words or words[0].casefold() not in PRONOUNS:
        return False
    return words[0].casefold() not in DEMONSTRATIVES or (len(words) > 1 and words[1].casefold() in VERBS_AFTER)


def score(article: str, candidates: list[Candidate], gold: list[dict], subject: str = "") -> Score:
    """Borderline sentences count neither way: finding them is not wrong, missing them is not either."""
    result = Score(article, subject)
    clear = [entry for entry in gold if entry["class"] == "forecast"]
    result.gold_forecasts = len(clear)
    matched: dict[int, Candidate] = {}
    for candidate in candidates:
        if starts_with_pronoun(candidate.statement):
            result.pronoun_statements += 1
            result.problems.append(f"pronoun: {candidate.statement}")
        hits = [i for i, entry in enumerate(gold) if matches(candidate, gold_key(entry))]

        def agreement(i: int) -> tuple[bool, bool, bool]:
            found_by = candidate.resolve_by.isoformat() if candidate.resolve_by else None
            return (i not in matched, same_speaker(candidate.speaker, gold[i]["speaker"]), found_by == gold[i].get("resolve_by"))

        if hits:
            # One sentence may hold several forecasts: judge the candidate against the one it agrees with most.
            entry = gold[max(hits, key=agreement)]
            if entry.get("probability") is not None and candidate.probability is not None:
                # The text gave a number (odds, a percentage): compare numbers, not the annotator's lean.
                wrong_way = (entry["probability"] - 0.5) * (candidate.probability - 0.5) < -0.01
            else:
                wrong_way = {leaning(candidate.probability), entry.get("direction")} == {"for", "against"}
            if wrong_way:
                result.opposite += 1
                result.problems.append(f"opposite: {candidate.probability} {candidate.statement}")
        claimed = not getattr(candidate, "borderline", False)
        clear_hits = [i for i in hits if gold[i]["class"] == "forecast"]
        if clear_hits and claimed:
            result.found += 1
            result.correct += 1
            free = [i for i in clear_hits if i not in matched]
            if free:
                matched[max(free, key=agreement)] = candidate
        elif not hits and claimed:
            result.found += 1
            result.problems.append(f"false positive: {candidate.sentence[:90]}")
    for i, entry in enumerate(gold):
        if entry["class"] != "forecast":
            continue
        candidate = matched.get(i)
        if candidate is None:
            result.problems.append(f"missed: {gold_key(entry)}")
            continue
        result.recalled += 1
        if same_speaker(candidate.speaker, entry["speaker"]):
            result.speakers_right += 1
        else:
            result.problems.append(f"speaker: {candidate.speaker!r} for {entry['speaker']!r}: {gold_key(entry)}")
        if not entry.get("resolve_by") and candidate.resolve_by:
            result.invented += 1
        if entry.get("resolve_by"):
            result.dated += 1
            found_by = candidate.resolve_by.isoformat() if candidate.resolve_by else None
            if found_by == entry["resolve_by"]:
                result.dates_right += 1
            else:
                result.problems.append(f"deadline: {found_by} ({candidate.deadline_phrase!r}) for {entry['resolve_by']} "
                                       f"({entry.get('deadline_phrase')!r}): {gold_key(entry)}")
    return result


def evaluate(article: str) -> Score:
    """One seed article against its gold (tests/gold/NAME.json)."""
    text = article_path(article).read_text(encoding="utf-8")
    gold = json.loads((GOLD / (Path(article).stem + ".json")).read_text(encoding="utf-8"))
    return score(article, extract_candidates(text, PUBLISHED_ON[article]), gold, "seeds")


def evaluate_corpus(text_dir: Path, gold_dir: Path) -> tuple[list[Score], list[float]]:
    """Every NNN.txt in text_dir that has a gold file, with the seconds each extraction took."""
    scores, seconds = [], []
    for path in sorted(text_dir.glob("*.txt")):
        gold_path = gold_dir / f"{path.stem}.json"
        if not gold_path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        reference = date.fromisoformat(gold["reference_date"]) if gold.get("reference_date") else None
        started = time.perf_counter()
        candidates = extract_candidates(path.read_text(encoding="utf-8"), reference)
        seconds.append(time.perf_counter() - started)
        scores.append(score(path.stem, candidates, gold["forecasts"], gold.get("subject", "")))
    return scores, seconds


def total(scores: list[Score], name: str = "overall") -> Score:
    result = Score(name)
    for one in scores:
        result.add(one)
    return result


HEADER = (f"{'article':<34} {'gold':>4} {'found':>5} {'right':>5} {'recall':>6} {'precision':>9} "
          f"{'speaker':>7} {'deadline':>8} {'opposite':>8} {'pronoun':>7}")


def row(s: Score) -> str:
    return (f"{s.article[:34]:<34} {s.gold_forecasts:>4} {s.found:>5} {s.correct:>5} {s.recall:>6.2f} "
            f"{s.precision:>9.2f} {s.speaker_accuracy:>7.2f} {s.deadline_accuracy:>8.2f} {s.opposite:>8} "
            f"{s.pronoun_statements:>7}")


def table(scores: list[Score]) -> str:
    return "\n".join([HEADER, *(row(s) for s in scores)])


def report(scores: list[Score], verbose: bool = False) -> str:
    lines = ["per article", table(scores)]
    by_subject = defaultdict(list)
    for one in scores:
        by_subject[one.subject].append(one)
    lines += ["", "per subject area", table([total(group, subject) for subject, group in sorted(by_subject.items())])]
    overall = total(scores)
    lines += ["", table([overall]).splitlines()[1],
              f"deadline: {overall.dates_right}/{overall.dated} dated forecasts found "
              f"({overall.invented} given a date where the gold has none); "
              f"speaker: {overall.speakers_right}/{overall.recalled}"]
    if verbose:
        for one in scores:
            for problem in one.problems:
                lines.append(f"{one.article}: {problem}")
    return "\n".join(lines)


def main(arguments: list[str]) -> None:
    verbose = "-v" in arguments
    arguments = [a for a in arguments if a != "-v"]
    if not arguments:
        scores = [evaluate(article) for article in PUBLISHED_ON]
        print(report(scores, verbose))
        return
    text_dir = Path(arguments[0])
    gold_dir = Path(arguments[1]) if len(arguments) > 1 else CORPUS_GOLD
    scores, seconds = evaluate_corpus(text_dir, gold_dir)
    if not scores:
        sys.exit(f"no text in {text_dir} has a gold file in {gold_dir}")
    print(report(scores, verbose))
    print(f"extraction time: first {seconds[0]:.2f} s (includes building the pipeline), "
          f"then at most {max(seconds[1:] or [0]):.2f} s, mean {sum(seconds[1:]) / max(len(seconds) - 1, 1):.2f} s per article")


if __name__ == "__main__":
    main(sys.argv[1:])
