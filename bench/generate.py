"""Writes a realistic, deterministic import file of N forecasts for the benchmark (bench/run)."""

import argparse
import bisect
import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ledger.likelihood import ICD203  # noqa: E402  - the importer reads cues through this same scale

COLUMNS = [
    "question_id", "statement", "criteria", "resolve_by", "tags", "scenario",
    "forecast_id", "forecaster", "probability", "cue", "scale", "range_low", "range_high",
    "stated_on", "source", "source_url", "source_published_on", "quote",
    "outcome", "resolved_on", "note", "evidence", "brier", "log_score",
]
FORECASTERS = 1_000
TODAY = date(2026, 11, 23)
EARLIEST = date(2015, 1, 1)
RESOLVED_SHARE = 0.70
# Among resolved questions; ambiguous and annulled are rare, as in a real ledger.
OUTCOME_WEIGHTS = (("yes", 40), ("no", 55), ("ambiguous", 3), ("annulled", 2))
NUMBER_SHARE = 0.45  # the rest are words read through ICD 203
CUES = [entry for entry in ICD203 if "\u2026" not in entry.words]
CUE_LEVELS = sorted({entry.probability for entry in CUES})
CUES_AT = {level: [entry for entry in CUES if entry.probability == level] for level in CUE_LEVELS}

FIRST_NAMES = [
    "Hong", "Randall", "Anna", "José", "Zoë", "Søren", "Mária", "Łukasz", "Nguyễn", "François",
    "Jürgen", "Ingrid", "Chidi", "Aisha", "Mateo", "Olga", "Kenji", "Priya", "Tomás", "Siobhán",
    "Björn", "Fatima", "Dmitri", "Ngozi", "Yuki", "Elif", "Rafael", "Hana", "Omar", "Camille",
    "Wei", "Svetlana", "Kwame", "Leila", "Ana", "Pádraig", "Min-jun", "Ji-woo", "Ravi", "Chloé",
]
LAST_NAMES = [
    "Min", "Schriver", "Park", "Núñez", "O'Brien", "Kierkegaard", "Kovács", "Wałęsa", "Văn An",
    "Dubois", "Müller", "Johansson", "Okafor", "Haddad", "García", "Ivanova", "Tanaka", "Sharma",
    "Ó Ceallaigh", "Lindqvist", "Benali", "Petrov", "Adeyemi", "Sato", "Yılmaz", "Costa", "Novák",
    "Al-Masri", "Lefèvre", "Zhang", "Kuznetsova", "Mensah", "Farahani", "Silva", "Kim", "Lee",
    "Chen", "Patel", "Moreau", "Smith, Jr.",
]
GROUPS = ["observers", "analysts", "economists polled by Reuters", "market participants", "diplomats", "Yonhap", "officials"]
OUTLETS = [
    ("Yonhap", "en.yna.co.kr"), ("The Korea Times", "www.koreatimes.co.kr"), ("Reuters", "www.reuters.com"),
    ("Le Monde", "www.lemonde.fr"), ("Süddeutsche Zeitung", "www.sueddeutsche.de"), ("El País", "elpais.com"),
    ("Nikkei Asia", "asia.nikkei.com"), ("The Hindu", "www.thehindu.com"), ("Al Jazeera", "www.aljazeera.com"),
    ("Folha de S.Paulo", "www1.folha.uol.com.br"), ("Gazeta Wyborcza", "wyborcza.pl"), ("NHK", "www3.nhk.or.jp"),
]
COUNTRIES = [
    "North Korea", "South Korea", "Japan", "Germany", "France", "Brazil", "India", "Nigeria", "Türkiye",
    "Poland", "Mexico", "Côte d'Ivoire", "Viet Nam", "Argentina", "Canada", "Kenya", "Indonesia", "Chile",
]
LEADERS = ["Trump", "Kim Jong-un", "Moon Jae-in", "Lee Jae-myung", "Xi Jinping", "Putin", "Modi", "Lula", "Macron", "Erdoğan"]
STATEMENTS = [
    "A summit between {leader} and {other} is held",
    "{country}'s central bank cuts its policy rate below {number}%",
    "Annual inflation in {country} exceeds {number}%",
    "The ruling party wins the general election in {country}",
    "{country} and {other_country} sign a trade agreement",
    "{leader} visits {country}",
    "Talks on denuclearisation resume, at working level or higher, between {country} and {other_country}",
    "Unemployment in {country} falls below {number}%",
    "{country}'s GDP grows by more than {number}% in the year",
    "A ceasefire between {country} and {other_country} holds for 90 days",
]
CRITERIA = [
    "",
    "",
    "Resolved by the official statistics office's first estimate.",
    "A meeting of \"senior officials\" does not count; heads of state or government must attend.",
    "Counts only if announced by both governments, in writing.",
    "Per the central bank's published decision; emergency cuts count.",
]
TAGS = [
    "korea", "diplomacy", "nuclear", "economy", "inflation", "interest rates", "elections", "trade",
    "conflict", "energy", "climate", "europe", "asia", "latin america", "africa", "labour", "growth",
    "security", "summit", "sanctions",
]
QUOTES = [
    '"{Cue}," {name} said, asked whether {claim}.',
    "{name}, asked whether {claim}, answered: \u201c{cue}\u201d, citing \"signals from both sides\".",
    "Asked about it, {name} said: {cue}; others, including officials, were less sure.",
]
NOTES = ["", "Confirmed by official communiqué", "No such event reported by the deadline", "Reported by several outlets, incl. \"{outlet}\""]


def forecaster_names(rng: random.Random) -> list[str]:
    """1,000 distinct names: people (many non-ASCII) and a few groups."""
    people = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(people)
    names = GROUPS + people
    return names[:FORECASTERS]


def cue_nearest(probability: float) -> list:
    """The scale's phrases whose point value is nearest the given probability."""
    index = bisect.bisect_left(CUE_LEVELS, probability)
    candidates = CUE_LEVELS[max(0, index - 1): index + 1]
    return CUES_AT[min(candidates, key=lambda level: abs(level - probability))]


def statement_text(rng: random.Random, question_id: int) -> str:
    country, other_country = rng.sample(COUNTRIES, 2)
    leader, other = rng.sample(LEADERS, 2)
    template = rng.choice(STATEMENTS)
    text = template.format(
        leader=leader, other=other, country=country, other_country=other_country, number=rng.choice((1, 2, 3, 4, 5, 7, 10))
    )
    # A question number keeps statements apart, as real ledgers have many near-duplicate claims.
    return f"{text} (#{question_id})"


def question_dates(rng: random.Random, resolved: bool) -> tuple[date, date]:
    """(opened_on, resolve_by): resolved questions are due by today; unresolved ones are due or still open."""
    if resolved:
        resolve_by = EARLIEST + timedelta(days=rng.randint(120, (TODAY - EARLIEST).days - 30))
    elif rng.random() < 0.5:
        resolve_by = TODAY - timedelta(days=rng.randint(1, 500))
    else:
        resolve_by = TODAY + timedelta(days=rng.randint(0, 1100))
    opened_on = max(EARLIEST, resolve_by - timedelta(days=rng.randint(30, 720)))
    return min(opened_on, TODAY - timedelta(days=rng.randint(1, 90))), resolve_by


def generate(total: int, out, seed: int = 1, first_question: int = 1) -> None:
    """`total` forecasts; questions numbered from `first_question`, so files made to be imported into one ledger never share a statement."""
    rng = random.Random(seed)
    names = forecaster_names(rng)
    skills = [rng.uniform(0.0, 2.5) for _ in names]  # how far each forecaster leans towards the truth
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    questions = max(1, total // 10)
    remaining = total
    forecast_id = (first_question - 1) * 10
    source_serial = 0
    outcome_names = [name for name, _ in OUTCOME_WEIGHTS]
    outcome_weights = [weight for _, weight in OUTCOME_WEIGHTS]
    for question_id in range(first_question, first_question + questions):
        left = first_question + questions - question_id
        count = remaining if left == 1 else max(1, min(round(remaining / left) + rng.randint(-6, 6), remaining - (left - 1)))
        remaining -= count

        resolved = rng.random() < RESOLVED_SHARE
        opened_on, resolve_by = question_dates(rng, resolved)
        outcome = rng.choices(outcome_names, outcome_weights)[0] if resolved else ""
        if outcome == "yes":
            resolved_on = opened_on + timedelta(days=rng.randint(1, max(1, (resolve_by - opened_on).days)))
        elif outcome:
            resolved_on = min(TODAY, resolve_by + timedelta(days=rng.randint(0, 30)))
        else:
            resolved_on = None
        last_stated = min(resolve_by, TODAY, resolved_on or TODAY)
        statement = statement_text(rng, question_id)
        claim = statement.split(" (#")[0]
        criteria = rng.choice(CRITERIA)
        tags = "; ".join(rng.sample(TAGS, rng.randint(1, 3)))
        truth = {"yes": 1.0, "no": 0.0}.get(outcome, rng.random())
        outlet, domain = rng.choice(OUTLETS)
        note = rng.choice(NOTES).format(outlet=outlet) if outcome else ""
        evidence = f"https://{domain}/resolution/{question_id}" if outcome and rng.random() < 0.6 else ""

        # Forecasts come in articles: one article quotes about three forecasters on the same day.
        span = (last_stated - opened_on).days
        article_days = [rng.randint(0, span) for _ in range(max(1, count // 3))]
        stated_days = sorted(rng.choice(article_days) for _ in range(count))
        sources = {}
        for forecaster_index, days in zip(rng.sample(range(len(names)), count), stated_days):
            forecast_id += 1
            name = names[forecaster_index]
            stated_on = opened_on + timedelta(days=days)
            lean = skills[forecaster_index] * (2 * truth - 1) + rng.gauss(0, 1)
            if rng.random() < NUMBER_SHARE:
                probability = min(0.99, max(0.01, round(0.5 + lean / 5, 2)))
                cue, scale, low, high = "", "number", probability, probability
            else:
                entry = rng.choice(cue_nearest(0.5 + lean / 5 + rng.uniform(-0.08, 0.08)))
                probability, cue, scale, low, high = entry.probability, entry.words, "icd203", entry.low, entry.high
            if days not in sources:
                if rng.random() < 0.05:
                    sources[days] = ("", "", "")
                else:
                    source_serial += 1
                    outlet, domain = rng.choice(OUTLETS)
                    title = f"{claim}? {outlet} asks the experts, part {source_serial}"
                    url = f"https://{domain}/{stated_on.year}/{stated_on.month:02d}/story-{source_serial}"
                    sources[days] = (title, url, stated_on.isoformat())
            source = sources[days]
            quote = ""
            chance = rng.random()
            if chance < 0.01:
                # Cells a spreadsheet would take for a formula, and quotes over two lines.
                quote = f"-{name}: {cue or probability}\n(from the interview transcript)"
            elif chance < 0.85:
                words = cue or f"{probability:.0%}"
                quote = rng.choice(QUOTES).format(cue=words, Cue=words[0].upper() + words[1:], claim=claim, name=name)
            writer.writerow((
                question_id, statement, criteria, resolve_by.isoformat(), tags, "",
                forecast_id, name, probability, cue, scale, low, high,
                stated_on.isoformat(), source[0], source[1], source[2] if source[0] else "", quote,
                outcome, resolved_on.isoformat() if resolved_on else "", note, evidence, "", "",
            ))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, help="how many forecasts (rows); questions are a tenth of that")
    parser.add_argument("output", help="the CSV file to write ('-' for stdout)")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same file")
    parser.add_argument("--first-question", type=int, default=1, metavar="N",
                        help="number the questions from N (their statements end '(#N)'), to add a file to a ledger without matching its questions")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    if args.first_question < 1:
        parser.error("--first-question must be at least 1")
    if args.output == "-":
        generate(args.count, sys.stdout, args.seed, args.first_question)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            generate(args.count, out, args.seed, args.first_question)
    return 0


if __name__ == "__main__":
    sys.exit(main())
