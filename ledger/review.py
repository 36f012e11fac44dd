"""From an article to recorded forecasts: find the article, turn candidates into drafts, edit them, accept them."""

import hashlib
import os
from dataclasses import dataclass, replace
from datetime import date
from typing import Optional, Sequence

from sqlalchemy import and_, or_, select

from ledger import dates, likelihood, rules, web, write
from ledger.model import CONDITION, FORECAST, FORECASTER, QUESTION, RESOLUTION, SOURCE
from ledger.errors import LedgerError
from ledger.extract import ARTICLE_VOICE, Candidate, extract_candidates, paragraphs
from ledger.store import Ledger

TITLE_LENGTH = 200
RECORDED = "recorded"
ALREADY = "already in the ledger"
SKIPPED = "skipped"


@dataclass(frozen=True)
class Article:
    """An article's text and what the ledger knows about it (its source row, once registered)."""

    text: str
    path: Optional[str]
    source: Optional[dict]
    published_on: Optional[date]
    speaker: str  # who the article's own voice is recorded as
    page: Optional[web.Page] = None  # a web page not yet in the ledger, and what was read from it
    read: Optional[web.WebArticle] = None

    @property
    def title(self) -> str:
        return self.read.title if self.read else headline(self.text)

    @property
    def undated_note(self) -> Optional[str]:
        """What to say when a page gave no publication date: it is not guessed."""
        if self.published_on is None and (self.page is not None or (self.source or {}).get("url")):
            return "the page gives no publication date in its markup, so deadlines are not read against one: give --published DATE"
        return None


@dataclass(frozen=True)
class ConditionLink:
    """How a candidate's condition is recorded: as a question the forecast's question counts under.

    Either an existing question (`question_id`), or a new one made from the condition's text
    (`statement`, `resolve_by`); the forecast counts only if that question resolves `outcome`.
    """

    outcome: str = "yes"
    question_id: Optional[int] = None
    statement: Optional[str] = None
    resolve_by: Optional[date] = None

    def described(self) -> str:
        target = f"question {self.question_id}" if self.question_id is not None else f"a new question {self.statement!r} (resolve by {self.resolve_by})"
        return f"counts only if {target} resolves {self.outcome}"


@dataclass(frozen=True)
class Draft:
    """A candidate as the reviewer is shaping it; `cue` is None when the probability was given as a number."""

    number: int
    sentence: str
    speaker: str
    cue: Optional[str]
    probability: Optional[float]
    resolve_by: Optional[date]
    deadline_phrase: Optional[str]
    statement: str
    condition: Optional[str]
    speaker_kind: str = "unattributed"
    borderline: bool = False
    role: Optional[str] = None  # the speaker's affiliation or role, as the article gives it
    # None: the condition is kept as criteria text ("Counts only if: ..."), the default without review.
    condition_link: Optional[ConditionLink] = None

    @classmethod
    def of(cls, number: int, found: Candidate, horizon: Optional[date]) -> "Draft":
        return cls(
            number=number,
            sentence=found.sentence,
            speaker=found.speaker,
            cue=found.cue,
            probability=found.probability,
            resolve_by=found.resolve_by or horizon,
            deadline_phrase=found.deadline_phrase if found.resolve_by else ("--horizon" if horizon else None),
            statement=found.statement,
            condition=found.condition,
            speaker_kind=found.speaker_kind,
            borderline=found.borderline,
            role=found.role,
        )


def headline(text: str) -> str:
    """The article's title: its first line of prose once page furniture is dropped."""
    for paragraph in paragraphs(text):
        return paragraph[:TITLE_LENGTH]
    return "untitled"


def _voice(speaker: Optional[str], outlet: Optional[str]) -> str:
    return " ".join((speaker or outlet or "").split()) or ARTICLE_VOICE


def find_page(ledger: Ledger, reference: str, *, published_on: Optional[date], speaker: Optional[str], today: date) -> Article:
    """The article on a web page (an address or a saved .html): from the ledger when it holds the page, else fetched once and read."""
    address = web.page_url(reference)
    with ledger.reading(missing_ok=True) as connection:
        source = write.page_source(connection, address) if address else None
    page = read = None
    if source is None:
        page = web.load(reference)
        read = web.read_article(page, today=today)
        with ledger.reading(missing_ok=True) as connection:
            source = write.page_source(connection, read.url, read.text)
    if source is not None:
        return Article(text=source["text"], path=None, source=source, published_on=published_on or source["published_on"],
                       speaker=_voice(speaker, source["outlet"]))
    return Article(text=read.text, path=None, source=None, published_on=published_on or read.published_on,
                   speaker=_voice(speaker, read.outlet), page=page, read=read)


def find_article(
    ledger: Ledger, reference: str, *, published: Optional[str], speaker: Optional[str], today: Optional[date] = None,
) -> Article:
    """The article a reference names: a web address or a saved .html page, a text file (registered or not), else a source id whose text the ledger holds."""
    published_on = rules.read_date(published, None, "published") if published is not None else None
    if web.is_page(reference):
        return find_page(ledger, reference, published_on=published_on, speaker=speaker, today=today or date.today())
    if os.path.exists(reference) or not reference.strip().isdigit():
        text = write.file_text(reference)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with ledger.reading(missing_ok=True) as connection:  # listing an article's candidates needs no ledger
            row = connection.execute(select(SOURCE).where(SOURCE.c.sha256 == digest)).mappings().first()
        source, path = (dict(row) if row else None), reference
    else:
        with ledger.reading() as connection:
            row = connection.execute(select(SOURCE).where(SOURCE.c.id == int(reference))).mappings().first()
        if row is None:
            raise LedgerError(f"no file or source {reference!r}: give the article's text file, or a source id from 'ledger source list'")
        if not row["text"]:
            raise LedgerError(f"source {reference} holds no text (it was registered as a title or URL): give the article's text file")
        source, text, path = dict(row), row["text"], None
    if published_on is None and source:
        published_on = source["published_on"]
    return Article(text=text, path=path, source=source, published_on=published_on, speaker=_voice(speaker, (source or {}).get("outlet")))


def drafts(article: Article, *, horizon: Optional[str] = None) -> list[Draft]:
    """The article's candidate forecasts, numbered from 1; --horizon fills in the ones with no deadline."""
    horizon_day = None
    if horizon is not None:
        if article.published_on is None:
            raise LedgerError("--horizon is read against the publication date: give --published DATE too")
        horizon_day = read_resolve_by(horizon, article.published_on)
    found = ordered(extract_candidates(article.text, article.published_on, article.speaker))
    return [Draft.of(number, candidate, horizon_day) for number, candidate in enumerate(found, start=1)]


def ordered(found: Sequence[Candidate]) -> list[Candidate]:
    """Clear forecasts first, in the article's order; borderline ones (plans, intents) after them."""
    return sorted(found, key=lambda candidate: candidate.borderline)


def candidate_rows(article: Article) -> list[dict]:
    """The candidates as listed: the extractor's keys, nothing recorded, borderline ones last."""
    return [candidate.as_dict() for candidate in ordered(extract_candidates(article.text, article.published_on, article.speaker))]


def criteria_of(draft: "Draft") -> Optional[str]:
    """A conditional forecast counts only if its condition holds: kept in the question's criteria text, unless linked to a question."""
    return f"Counts only if: {draft.condition}" if draft.condition and draft.condition_link is None else None


# ---- conditions as questions: the condition's own claim, the nearest questions, linking -------

# The words that open a condition (ledger.extract.find_condition), and the outcome each asks of its claim.
_CONDITION_WORDS = {"if": "yes", "unless": "no", "should": "yes", "provided that": "yes", "as long as": "yes", "once": "yes",
                    "absent": "no"}


def condition_claim(condition: str) -> tuple[str, str]:
    """The condition's own yes/no claim and the outcome it needs: "unless talks resume" -> ("Talks resume", "no")."""
    text = " ".join(condition.split()).rstrip(",;.")
    outcome = "yes"
    for words, needed in _CONDITION_WORDS.items():
        if text.lower().startswith(words + " "):
            text, outcome = text[len(words) + 1:].strip(), needed
            break
    return (text[:1].upper() + text[1:]) if text else text, outcome


_SHORT_WORDS = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "by", "for", "with", "is", "are", "be", "will", "its", "his", "her",
                "their", "that", "this", "at", "as", "from", "than", "it", "he", "she", "they", "we"}


def _words(text: str) -> set[str]:
    return {word for word in "".join(ch if ch.isalnum() else " " for ch in text.casefold()).split() if word not in _SHORT_WORDS}


CANDIDATES = 2000


def nearest_questions(ledger: Ledger, text: str, *, limit: int = 3) -> list[dict]:
    """The open questions whose statements share the most words with `text`, best first: those a condition could name."""
    wanted = _words(text)
    if not wanted:
        return []
    # The ledger narrows to statements holding one of the longest words; the words shared rank them. Of more than
    # CANDIDATES, the newest are looked at: a condition names a question of the day more often than an old one.
    longest = sorted(wanted, key=len, reverse=True)[:4]
    query = (
        select(QUESTION.c.id, QUESTION.c.statement, QUESTION.c.resolve_by)
        .where(or_(*(QUESTION.c.statement.icontains(word, autoescape=True) for word in longest)),
               QUESTION.c.id.not_in(select(RESOLUTION.c.question_id)))
        .order_by(QUESTION.c.id.desc())
        .limit(CANDIDATES)
    )
    with ledger.reading(missing_ok=True) as connection:
        rows = connection.execute(query).all()
    scored = []
    for row in rows:
        shared = wanted & _words(row.statement)
        if shared:
            scored.append((len(shared) / len(wanted | _words(row.statement)), row))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [{"question_id": row.id, "statement": row.statement, "resolve_by": row.resolve_by} for _, row in scored[:limit]]


def link_condition(ledger: Ledger, draft: Draft, answer: str) -> Draft:
    """QUESTION_ID[=yes|no]: the forecast counts only if that open question resolves so (default: as the condition reads)."""
    answer = " ".join(str(answer).split())
    given = rules.condition(answer)
    if given is None:
        raise LedgerError("give a question's id, such as one of those listed")
    if "=" not in answer:
        given = (given[0], condition_claim(draft.condition or "")[1])
    with ledger.reading(missing_ok=True) as connection:
        question = connection.execute(select(QUESTION.c.id).where(QUESTION.c.id == given[0])).scalar() if given[0] < 2**63 else None
        resolved = write.current_resolution(connection, given[0]) if question else None
    if question is None:
        raise LedgerError(f"no question with id {given[0]}: give the id of one of the questions listed, or see 'ledger list'")
    if resolved is not None:
        raise LedgerError(f"question {given[0]} is resolved already ({resolved['outcome']}): a condition must still be open")
    return replace(draft, condition_link=ConditionLink(outcome=given[1], question_id=given[0]))


def new_condition(draft: Draft, statement: str, resolve_by: str, stated_on: date, outcome: str = "yes") -> Draft:
    """A new question made from the condition's text, resolved by `resolve_by` (read against the publication date)."""
    clean = rules.statement(statement)
    return replace(draft, condition_link=ConditionLink(outcome=outcome, statement=clean, resolve_by=read_resolve_by(resolve_by, stated_on)))


def keep_condition_as_criteria(draft: Draft) -> Draft:
    return replace(draft, condition_link=None)


def _condition_for(writer, link: Optional[ConditionLink], stated_on: date) -> tuple[Optional[tuple[int, str]], Optional[str]]:
    """The (question id, outcome) a draft's question counts under, recording the condition's question when it is new;
    or, when the question it names is resolved already, why the draft cannot be recorded."""
    if link is None:
        return None, None
    question_id = link.question_id
    if question_id is None:
        existing = write.same_question(writer.connection, link.statement, link.resolve_by)
        question_id = existing and existing["id"]
    resolution = write.current_resolution(writer.connection, question_id) if question_id else None
    if resolution is not None:
        return None, (f"its condition, question {question_id}, is resolved already ({resolution['outcome']}): "
                      "review it again and link an open question, or keep the condition as criteria")
    if question_id is None:
        question_id = write.record_question(writer, link.statement, by=link.resolve_by, said_on=stated_on)["id"]
    return (question_id, link.outcome), None


# ---- edits: each returns the changed draft or raises LedgerError with what is accepted ----------


def read_resolve_by(text: str, stated_on: date) -> date:
    resolve_by = dates.resolve_deadline(text, stated_on)
    if resolve_by < stated_on:
        raise LedgerError(f"resolve-by date {resolve_by} is before the publication date {stated_on}: a forecast is about the future")
    return resolve_by


def edit_statement(draft: Draft, text: str) -> Draft:
    statement = " ".join(text.split())
    if not statement:
        raise LedgerError("the statement is empty: give the claim to be resolved yes or no")
    return replace(draft, statement=statement)


def edit_resolve_by(draft: Draft, text: str, stated_on: date) -> Draft:
    return replace(draft, resolve_by=read_resolve_by(text, stated_on), deadline_phrase=" ".join(text.split()))


def edit_probability(draft: Draft, text: str) -> Draft:
    """A number (0.3, 30%, '30 percent') replaces the cue; words are read through the likelihood scale."""
    words = " ".join(text.split())
    try:
        value = likelihood.parse_probability(words)
    except LedgerError:
        try:
            reading = likelihood.read_words(words)
        except LedgerError:
            raise LedgerError(
                f"unreadable probability {words!r}: give a number (0.3, 30%) or words such as 'likely', 'may', "
                "'is expected to' (see 'ledger scale')"
            ) from None
        return replace(draft, cue=reading.cue, probability=reading.probability)
    if not 0.0 <= value <= 1.0:
        raise LedgerError(f"probability {value} is out of range: give a number from 0 to 1, or a percentage such as 30%")
    return replace(draft, cue=None, probability=value)


def edit_speaker(draft: Draft, name: str) -> Draft:
    speaker = " ".join(name.split())
    if not speaker:
        raise LedgerError("the forecaster's name is empty: give a name, an organisation or a group such as 'observers'")
    return replace(draft, speaker=speaker)


def edit_role(draft: Draft, text: str) -> Draft:
    """The speaker's role as the article gives it; '-' removes it."""
    if text.strip() == "-":
        return replace(draft, role=None)
    return replace(draft, role=rules.role(text))


def unready(draft: Draft, stated_on: Optional[date]) -> Optional[tuple[str, str]]:
    """Why the draft cannot be recorded as it stands, as (the field to fix, the reason); None when it can."""
    if draft.probability is None:
        return "probability", f"no probability: {draft.cue!r} is not a likelihood"
    if draft.resolve_by is None:
        return "resolve_by", "no deadline in the sentence (see --horizon)"
    if draft.speaker == ARTICLE_VOICE:
        return "speaker", "the article's own voice (see --speaker)"
    if stated_on is not None and draft.resolve_by < stated_on:
        return "resolve_by", f"resolve-by {draft.resolve_by} is before publication"
    if draft.role is not None:
        try:
            rules.role(draft.role)
        except LedgerError as error:
            return "role", str(error)
    return None


# ---- accepting -----------------------------------------------------------------------------------


def _how_sure(draft: Draft) -> dict:
    """The cue words when the scale reads them (keeping the words and their range), else the number."""
    if draft.cue:
        try:
            likelihood.read_words(draft.cue)
            return {"says": draft.cue, "probability": None}
        except LedgerError:
            pass
    return {"says": None, "probability": float(draft.probability), "cue": draft.cue}


def _recorded_already(connection, draft: Draft) -> Optional[tuple[int, int]]:
    """The (question, forecast) ids of this forecaster's forecast of this statement with this quote, if any."""
    row = connection.execute(
        select(FORECAST.c.question_id, FORECAST.c.id)
        .join(QUESTION, QUESTION.c.id == FORECAST.c.question_id)
        .join(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
        .where(and_(
            QUESTION.c.statement == " ".join(draft.statement.split()),
            FORECASTER.c.name_key == rules.forecaster_key(draft.speaker),
            FORECAST.c.quote == draft.sentence.strip(),
        ))
        .order_by(FORECAST.c.id)
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def _same_question(connection, statement: str, resolve_by: date, criteria: Optional[str] = None,
                   condition: Optional[tuple[int, str]] = None) -> Optional[dict]:
    """A question already asking exactly this, by the same date, on the same condition: another view joins it."""
    same_criteria = QUESTION.c.criteria.is_(None) if criteria is None else QUESTION.c.criteria == criteria
    conditioned = select(CONDITION.c.question_id)
    if condition is None:
        same_condition = QUESTION.c.id.not_in(conditioned)
    else:
        same_condition = QUESTION.c.id.in_(conditioned.where(CONDITION.c.condition_id == condition[0], CONDITION.c.condition_outcome == condition[1]))
    row = connection.execute(
        select(QUESTION)
        .where(and_(
            QUESTION.c.statement == " ".join(statement.split()),
            QUESTION.c.resolve_by == resolve_by,
            QUESTION.c.scenario_id.is_(None),
            same_criteria,
            same_condition,
        ))
        .order_by(QUESTION.c.id)
        .limit(1)
    ).mappings().first()
    return dict(row) if row else None


def _row(draft: Draft, status: str, *, question_id=None, forecast_id=None, source_id=None, reason=None, condition_question_id=None) -> dict:
    return {
        "candidate": draft.number,
        "status": status,
        "question_id": question_id,
        "forecast_id": forecast_id,
        "forecaster": draft.speaker,
        "role": draft.role,
        "probability": draft.probability,
        "cue": draft.cue,
        "resolve_by": draft.resolve_by,
        "statement": draft.statement,
        "condition": draft.condition,
        "condition_question_id": condition_question_id,
        "source_id": source_id,
        "reason": reason,
    }


def stated_day(article: Article, today: date) -> date:
    """The day the article's forecasts were stated: its publication date, which recording needs."""
    if article.published_on is None:
        raise LedgerError(f"give --published DATE: the article's publication date, the day its forecasts were stated ({article.undated_note or 'a text file gives none'})")
    if article.published_on > today:
        raise LedgerError(f"publication date {article.published_on} is after today ({today}): give the day the article appeared")
    return article.published_on


BORDERLINE = "borderline (a plan, an intent or a claim no stranger could resolve): accept it with --review"


def accept(ledger: Ledger, article: Article, accepted: Sequence[Draft], *, today: date, skip_borderline: bool = False) -> list[dict]:
    """Record the drafts that are ready, in one transaction; the others come back as skipped, with why.

    The article is registered as a source on the way. A draft whose statement, forecaster and quote
    are already in the ledger is not recorded again, so accepting an article twice adds nothing.
    """
    stated_on = stated_day(article, today)

    def problem(draft: Draft) -> Optional[str]:
        if skip_borderline and draft.borderline:
            return BORDERLINE
        found = unready(draft, stated_on)
        return found[1] if found else None

    ready = [draft for draft in accepted if problem(draft) is None]
    rows = {draft.number: _row(draft, SKIPPED, reason=problem(draft)) for draft in accepted if draft not in ready}

    def work(writer) -> None:
        if article.source:
            source = article.source
        elif article.page is not None:
            source = write.register_page(writer, article.page, article.read, published_on=stated_on)
        else:
            source = write.register_file(writer, article.path, title=article.title, published_on=stated_on)
        for draft in ready:
            found = _recorded_already(writer.connection, draft)
            if found:
                rows[draft.number] = _row(draft, ALREADY, question_id=found[0], forecast_id=found[1], source_id=source["id"])
                continue
            condition, closed = _condition_for(writer, draft.condition_link, stated_on)
            if closed:  # resolved since it was chosen, or a "new" one the ledger holds resolved: skipped, the rest recorded
                rows[draft.number] = _row(draft, SKIPPED, reason=closed)
                continue
            criteria = criteria_of(draft)
            question = _same_question(writer.connection, draft.statement, draft.resolve_by, criteria, condition) or write.record_question(
                writer, draft.statement, by=draft.resolve_by, said_on=stated_on, criteria=criteria, condition=condition
            )
            forecast = write.record_forecast(
                writer, question, who=draft.speaker, stated=stated_on, source=str(source["id"]),
                quote=draft.sentence, scale="icd203", today=today, role=draft.role, **_how_sure(draft),
            )
            rows[draft.number] = {
                **_row(replace(draft, speaker=forecast["forecaster"]), RECORDED, question_id=forecast["question_id"],
                       forecast_id=forecast["forecast_id"], source_id=source["id"], condition_question_id=condition and condition[0]),
                "probability": forecast["probability"],
                "cue": forecast["cue"],
            }

    if ready:
        ledger.record(work)
    return [rows[number] for number in sorted(rows)]
