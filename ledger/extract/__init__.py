"""Article text to candidate forecasts: who said what about the future, how sure, by when (pure, rule-based)."""

from __future__ import annotations

import itertools
import re
from dataclasses import asdict, dataclass, replace
from datetime import date

import pysbd

from ledger.dates import find_deadlines
from ledger.extract import statements
from ledger.extract.roles import role_of, roles_of
from ledger.extract.statements import third_person
from ledger.extract.speakers import GROUP_NOUNS, PERSON_ROLES
from ledger.extract.speakers import REPORTING as REPORTING_LEMMAS
from ledger.extract.speakers import GROUP, NEWSROOM, ORGANISATION, PERSON, UNATTRIBUTED, Speaker, Speakers, span_of
from ledger.errors import LedgerError
from ledger.likelihood import find_cue, find_cues, parse_probability, read_words

ARTICLE_VOICE = "the article"


@dataclass(frozen=True)
class Candidate:
    sentence: str
    speaker: str
    speaker_kind: str
    cue: str
    probability: float | None
    deadline_phrase: str | None
    resolve_by: date | None
    statement: str
    condition: str | None
    kind: str
    borderline: bool = False
    # The speaker's affiliation or role as the article gives it ("a former minister of Y"), or None.
    role: str | None = None

    def as_dict(self) -> dict:
        record = asdict(self)
        record["resolve_by"] = self.resolve_by.isoformat() if self.resolve_by else None
        return record


# ---------------------------------------------------------------- page furniture

FURNITURE_LINE = re.compile(
    r"""^(?:
        settings | menu | search | close | x | share | print | email | e-?mail | comments?
      | skip\ to\ (?:main\ )?content | back\ to\ top | go\ top.* | top\ \d+\ stories
      | related\ (?:stories|articles|news) | most\ (?:read|viewed|popular) | advertisement
      | subscribe.* | sign\ (?:in|up).* | log\ ?in | read\ more | more\ stories
      | .*share\ button | .*font-?size.* | [-+]?\d+
      | (?:published|updated|posted)\b.* | by\ [A-Z][\w.'’-]*(?:\ [A-Z][\w.'’-]*){0,3}(?:\ and\ .*)?
      | (?:facebook|twitter|kakao|whatsapp|linkedin|reddit|telegram|line|mail|link)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
ADDRESS = re.compile(r"\S+@\S+\.\w+|https?://\S+|www\.\S+")
BULLETS = "•·▪►■□◦●○–—-*ⓕ|"
TERMINAL = ('.', '!', '?', '"', "'", '”', '’', ')', ':')


def is_furniture(line: str) -> bool:
    if FURNITURE_LINE.match(line):
        return True
    # A link line (an address with a few words around it) is furniture; prose that cites an address is not.
    if ADDRESS.search(line) and len(ADDRESS.sub("", line).split()) <= 4:
        return True
    # Headings this short carry no forecast; sentences end with punctuation.
    return len(line.split()) < 4 and not line.endswith(TERMINAL)


def paragraphs(text: str) -> list[str]:
    """Scraped text → prose paragraphs: one per line, broken lines mended, furniture dropped."""
    return [line for line, _ in marked_paragraphs(text)]


def marked_paragraphs(text: str) -> list[tuple[str, bool]]:
    """The paragraphs, each with whether its line began with a bullet (an item of a list)."""
    mended: list[list] = []
    for raw in text.splitlines():
        line = raw.strip().lstrip(BULLETS).strip()
        if not line:
            continue
        # A scraper sometimes breaks one sentence over two lines; the tail starts lower-case.
        if mended and line[0].islower() and len(mended[-1][0].split()) > 6:
            mended[-1][0] = f"{mended[-1][0]} {line}"
        else:
            mended.append([line, raw.strip()[:1] in BULLETS])
    return [(" ".join(line.split()), bullet) for line, bullet in mended if not is_furniture(line)]


ITEM_WORDS = 30  # an unbulleted line this short after a lead-in is still an item


def list_leads(marked: list[tuple[str, bool]]) -> dict[int, int]:
    """Paragraph number of each list item → the paragraph of its lead-in ("The bank expects:", "By 2030:")."""
    leads: dict[int, int] = {}
    for number, (line, _) in enumerate(marked):
        if not line.endswith(":") or number in leads:
            continue
        following = marked[number + 1:]
        bulleted = any(bullet for _, bullet in following[:1])
        for offset, (item, bullet) in enumerate(following, start=number + 1):
            if item.endswith(":") or (bulleted and not bullet) or (not bulleted and len(item.split()) > ITEM_WORDS):
                break
            leads[offset] = number
    return leads


# ---------------------------------------------------------------- sentences

DOUBLE_QUOTES = '"“”'
QUOTE_MASK = "″"  # pysbd never splits inside quotes; masking them lets it split quoted speech too.
SEGMENTER = pysbd.Segmenter(language="en", clean=False)


def split_sentences(paragraph: str) -> list[str]:
    masked = "".join(QUOTE_MASK if char in DOUBLE_QUOTES else char for char in paragraph)
    pieces: list[str] = []
    for piece in SEGMENTER.segment(masked):
        piece = piece.strip()
        # A closing quote belongs to the sentence it closes, not to the next one.
        while pieces and piece.startswith(QUOTE_MASK) and "".join(pieces).count(QUOTE_MASK) % 2:
            pieces[-1] += QUOTE_MASK
            piece = piece[1:].lstrip()
        if pieces and not re.search(r"\w", piece):
            pieces[-1] += piece
        elif pieces and re.match(r"(?:and|but|or|as|while|which|who)\s", piece) and pieces[-1].endswith("."):
            # "... by Oct. 16. and said the crew will ...": a sentence does not open with a lower-case link word;
            # the splitter took an abbreviation's full stop for the end.
            pieces[-1] += " " + piece
        elif piece:
            pieces.append(piece)
    sentences, position = [], 0
    for piece in pieces:
        start = masked.find(piece, position)
        if start < 0:  # pysbd altered the text; keep what it gave, unmasked
            sentences.append(piece.replace(QUOTE_MASK, '"'))
            continue
        position = start + len(piece)
        for sentence in QUOTE_CLOSES_SENTENCE.split(paragraph[start:position]):
            add_sentence(sentences, sentence)
    return sentences


# pysbd misses some boundaries after a closing quote ("... reach $60.” Some analysts predict ...").
QUOTE_CLOSES_SENTENCE = re.compile(r"(?<=[.!?][”\"])\s+(?=[A-Z“])")


def add_sentence(sentences: list[str], sentence: str) -> None:
    if sentences and re.match(r"[-–—]+\s", sentence) and len(sentences[-1].split()) <= 4:
        sentences[-1] = f"{sentences[-1]} {sentence}"  # "CAPE CANAVERAL, Fla. - Seven astronauts": a dateline
    else:
        sentences.append(sentence)


def normalised(sentence: str) -> str:
    return " ".join(re.sub(r"[\"“”‘’']", "", sentence).lower().split())


# ---------------------------------------------------------------- who said it

SAY_VERBS = (
    r"(?:said|says|say|predicted|predicts|predict|expected|expects|expect|believes|believed|believe"
    r"|noted|notes|explained|explains|stated|states|argued|argues|warned|warns|added|adds|told|tells"
    r"|emphasi[sz]ed|stressed|forecast|forecasts|estimated|estimates|projected|projects|sees|wrote|writes"
    r"|suggested|suggests|thinks|thought|reckons|cautioned|insisted|claimed|claims|pointed out"
    r"|anticipates|anticipated|concluded|observed|remarked|was quoted as saying|is quoted as saying"
    r"|doubts|doubted|(?:does|do|did)\s+not\s+(?:believe|think|expect|see))"
)
TITLE_WORDS = (
    r"(?:President|Vice President|Prime Minister|Minister|Governor|Gov\.|Chancellor|Secretary|Senator"
    r"|Sen\.|Rep\.|Representative|Dr\.|Prof\.|Professor|Mr\.|Ms\.|Mrs\.|Chairman|Chairwoman|Chair"
    r"|CEO|Director|Ambassador|Envoy|General|Gen\.|Coach|Mayor|King|Queen|Pope|leader|chief|head"
    r"|spokesman|spokeswoman|spokesperson|economist|analyst|expert|researcher|strategist|coach)"
)
NAME_TOKEN = r"[A-Z][a-zA-Z'’]*(?:-[a-zA-Z]+)?\.?"
NAME = rf"{NAME_TOKEN}(?: {NAME_TOKEN}){{0,2}}"
NOT_NAMES = {
    "The", "A", "An", "According", "However", "But", "And", "As", "In", "If", "While", "When",
    "Thus", "Then", "Still", "Also", "Meanwhile", "This", "That", "These", "Those", "It", "He",
    "She", "They", "We", "I", "Some", "Many", "Most", "Despite", "Due", "After", "Before", "During",
    "Days", "Weeks", "Right", "Should", "Absent", "Given", "Rather", "Both", "Its", "His", "Her",
}
GROUPS = (
    r"observers|analysts|experts|economists|officials|traders|investors|critics|sources|diplomats"
    r"|insiders|forecasters|pundits|commentators|strategists|scientists|researchers|pollsters"
    r"|markets|market participants|people familiar with the matter|some|many|others"
)
GROUP_WORDS = rf"(?i:(?:(?:some|many|most|other|several|a few|few|both)\s+)?(?:{GROUPS}))"
EXPERT_ROLES = (
    r"expert|analyst|economist|researcher|scholar|professor|strategist|fellow|specialist|forecaster"
    r"|observer|commentator|academic|scientist|pollster"
)
ROLE = rf"(?:[\w.'’-]+\s+){{0,3}}(?:{EXPERT_ROLES}|leader|official|governor|minister|president|source|spokesman|spokeswoman|spokesperson|chief|executive|diplomat|envoy|coach|manager)"
SPEAKER_PHRASE = rf"(?:(?:{NAME}\s+)?{ROLE}\s+{NAME}|{GROUP_WORDS}|he|she|they|the {ROLE}|(?:an?|one)\s+{ROLE}|{ROLE}|{NAME})"
SPEAKER = rf"(?P<speaker>{SPEAKER_PHRASE})"

# "..., said Jane Roe." names the speaker after the verb; "... told Reuters" names the listener.
SPEAKER_AFTER_VERB = re.compile(rf"(?:^|[,:]\s*|\s)(?!told\b|tells\b)(?:{SAY_VERBS})\s+{SPEAKER}(?=[,.]|\s+(?:of|at|from)\s|$)")
ACCORDING_TO = re.compile(rf"\b[Aa]ccording to\s+(?:the\s+)?{SPEAKER}")
SPEAKER_BEFORE_VERB = re.compile(
    rf"(?:^|(?<=[\s,(]))(?<!'s ){SPEAKER}(?P<apposition>,\s[^,]+,)?\s+(?:(?:has|have|had|also|further|specifically|then|later|previously|reportedly|recently)\s+){{0,2}}{SAY_VERBS}\b"
)
SPECULATION = re.compile(
    r"\b(speculation|expectations?|fears?|hopes?|concerns?|rumou?rs?)\s+(?:has|have)\s+(?:also\s+)?(?:emerged|grown|mounted|risen|swirled|surfaced|spread)",
    re.IGNORECASE,
)
PERSON_CONTEXT = [
    re.compile(rf"(?P<description>\b{TITLE_WORDS}) (?P<name>{NAME})"),
    re.compile(rf"(?P<name>{NAME}),(?P<description> (?:an?|the|former|senior|chief|head|deputy|who|\w+ of)\b[^,.]*)"),
    re.compile(rf"(?P<name>{NAME}) (?P<description>of [A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*)*)"),
    re.compile(rf"(?P<name>{NAME})\s+(?:(?:has|have|also|further)\s+)?{SAY_VERBS}\b"),
    re.compile(rf"(?P<name>{NAME}),(?P<description> [a-z][^,.]*),\s+(?:(?:has|have|also)\s+)?{SAY_VERBS}\b"),
    re.compile(rf"\b[Aa]ccording to\s+(?P<name>{NAME})"),
    re.compile(rf"{SAY_VERBS}\s+(?P<name>{NAME})"),
]


def outside_quotes(sentence: str) -> str:
    """The narrator's words: attributions live outside quotation marks, even when a quote spans sentences."""
    text = re.sub(r"[“”]", '"', sentence)
    if text.count('"') % 2:
        first = text.index('"')
        closes_earlier_quote = first > 0 and text[first - 1] in ",.!?…-—"
        text = text[first + 1:] if closes_earlier_quote else text[: text.rindex('"')]
    return re.sub(r'"[^"]*"', " ", text)


def narrator_mask(sentence: str) -> str:
    """The narrator's words in place, quoted words blanked: positions still line up with the sentence."""
    text = re.sub(r"[“”]", '"', sentence)
    if text.count('"') % 2:
        first = text.index('"')
        closes_earlier_quote = first > 0 and text[first - 1] in ",.!?…-—"
        text = " " * (first + 1) + text[first + 1:] if closes_earlier_quote else text[: text.rindex('"')] + " " * (len(text) - text.rindex('"'))
    return re.sub(r'"[^"]*"', lambda m: " " * len(m.group(0)), text)


TITLE_PARTS = {"chief", "executive", "managing", "deputy", "vice", "assistant", "senior", "former", "acting", "general"}


def clean_name(name: str) -> str:
    tokens = name.split()
    while len(tokens) > 1 and (tokens[0] in NOT_NAMES or tokens[0].lower() in TITLE_PARTS
                               or tokens[0].endswith(("'s", "’s"))  # "Scotiabank's Derek Holt"
                               or re.fullmatch(TITLE_WORDS, tokens[0], re.IGNORECASE)):
        tokens = tokens[1:]
    return " ".join(tokens)


def person_names(prose: str) -> dict[str, tuple[int, str]]:
    """Names that stand in a person's slot (title, apposition, said): first position and description."""
    names: dict[str, tuple[int, str]] = {}
    for pattern in PERSON_CONTEXT:
        for match in pattern.finditer(prose):
            name = clean_name(match.group("name"))
            if len(name.split()) < 2 or name.endswith(("'s", "’s")) or name.split()[-1] in NOT_NAMES:
                continue
            description = match.groupdict().get("description") or ""
            position, known = names.get(name, (match.start(), ""))
            names[name] = (min(position, match.start()), f"{known} {description}".strip())
    return dict(sorted(names.items(), key=lambda item: item[1][0]))


def full_name(token: str, names: dict[str, tuple[int, str]]) -> str:
    """'Hong' → 'Hong Min', 'Schriver' → 'Randall Schriver': a surname or given name matched to a known full name."""
    if token in names:
        return token
    for name in names:
        parts = name.split()
        if token in (parts[0], parts[-1]):
            return name
    return token


def attribution(sentence: str) -> str | None:
    """The speaker phrase as written in the narrator's part of the sentence, or None."""
    narrator = outside_quotes(sentence)
    found = []
    for pattern in (SPEAKER_AFTER_VERB, ACCORDING_TO, SPEAKER_BEFORE_VERB):
        for match in pattern.finditer(narrator):
            phrase = match.group("speaker")
            is_name = re.fullmatch(NAME, phrase) and not re.fullmatch(rf"(?i){GROUP_WORDS}|he|she|they|{ROLE}", phrase)
            if is_name and phrase.split()[0] in NOT_NAMES:
                continue
            found.append((match.start("speaker"), phrase))
    speculation = SPECULATION.search(narrator)
    if speculation:
        found.append((speculation.start(), "speculation"))
    return min(found)[1] if found else None


def attribution_phrase(sentence: str) -> tuple[int, str, bool] | None:
    """The speaker phrase a pattern finds in the narrator's words: (position, words, is it a closing tail)."""
    narrator = narrator_mask(sentence)
    found = []
    for pattern in (SPEAKER_AFTER_VERB, ACCORDING_TO, SPEAKER_BEFORE_VERB):
        for match in pattern.finditer(narrator):
            phrase = match.group("speaker")
            if phrase.split()[0] in NOT_NAMES and len(phrase.split()) == 1:
                continue
            tail = pattern is SPEAKER_AFTER_VERB and not narrator[match.end("speaker"):].strip(" .,") or (
                pattern is SPEAKER_AFTER_VERB and re.match(r"\s*(?:of|at|from)\s+[^,]+[.]?$", narrator[match.end("speaker"):]))
            found.append((match.start("speaker"), phrase, bool(tail)))
    if not found:
        return None
    tails = [one for one in found if one[2]]
    return tails[-1] if tails else min(found)


class PhraseSpeakers:
    """Turns speaker phrases into forecasters, remembering who spoke last."""

    def __init__(self, prose: str, default_speaker: str):
        self.names = person_names(prose)
        self.prose = prose
        self.default = default_speaker
        self.last_person: str | None = None

    def resolve(self, phrase: str | None, position: int) -> str:
        if phrase is None:
            return self.default
        lowered = phrase.lower()
        if lowered == "speculation":
            return "speculation"
        group = re.fullmatch(rf"(?i)(?:(?:some|many|most|other|several|a few|few|both)\s+)?({GROUPS})", phrase)
        if group:
            word = group.group(1).lower()
            return "others" if word in ("some", "many", "others") else word
        if lowered in ("he", "she", "they"):
            return self.last_person or self.default
        role = re.fullmatch(rf"(?i)(?:(the|an?|one)\s+)?({ROLE})", phrase)
        if role and (role.group(1) or not re.fullmatch(NAME, phrase)):
            noun = role.group(2).split()[-1].lower()
            if (role.group(1) or "").lower() == "the":
                return self._last_with(noun)
            return self._next_expert(noun, position)
        name = full_name(clean_name(phrase) or phrase, self.names)
        if " " not in name:
            name = self._given_name(name)
        self.last_person = name
        return name

    def _given_name(self, surname: str) -> str:
        """'Munster' → 'Gene Munster' when the article wrote the full name somewhere, in whatever slot."""
        for match in re.finditer(rf"\b([A-Z][a-z]+) {re.escape(surname)}\b", self.prose):
            if match.group(1) not in NOT_NAMES and not re.fullmatch(TITLE_WORDS, match.group(1), re.IGNORECASE):
                return f"{match.group(1)} {surname}"
        return surname

    def _last_with(self, noun: str) -> str:
        """'the leader said' → the person last introduced as a leader, else whoever spoke last."""
        if self.last_person and noun in self.names.get(self.last_person, (0, ""))[1].lower():
            return self.last_person
        titled = [name for name, (_, description) in self.names.items() if noun in description.lower()]
        person = titled[0] if titled else self.last_person
        if person:
            self.last_person = person
        return person or self.default

    def _next_expert(self, noun: str, position: int) -> str:
        """'says N. Korea expert' in a deck: the expert is the one the article names further down."""
        later = [
            name for name, (first, description) in self.names.items()
            if first > position and re.search(rf"(?i)\b(?:{EXPERT_ROLES}|{noun})", description)
        ]
        return later[0] if later else noun + "s"


# ---------------------------------------------------------------- is it a forecast

INTERPRETIVE = re.compile(
    r"\b(?:may|might|could|would|can)\s+(?:\w+ly\s+)?(?:also\s+)?(?:mean|reflect|indicate|suggest|signal|highlight|show(?!\s+up)|imply|explain|be seen|be read|be interpreted|be explained"
    r"|offer|provide|give\s+(?:a|an|us)|be\s+trying|be\s+best\s+known|be\s+remembered|be\s+described|be\s+considered|be\s+called|help\s+explain)\b",
    re.IGNORECASE,
)
# Not claims about the future: past expectations, stated uncertainty, sentiments.
NOT_FORECAST = re.compile(
    r"\b(?:had\s+(?:been\s+)?(?:expected|predicted|forecast|projected|anticipated)|(?:was|were)\s+expected\s+to\s+have"
    r"|(?:is|are|am|was|were)\s+(?:still\s+)?(?:unsure|uncertain|not\s+sure)\s+(?:how|whether|what|if|when)"
    r"|will\s+always|would\s+always|will\s+never\s+forget"
    # A forecast's record ("correctly predicted the results") and a past judgement ("was not widely considered likely").
    r"|(?:correctly|accurately|wrongly|incorrectly|successfully|rightly)\s+(?:predicted|forecast|projected|called|anticipated)"
    r"|(?:was|were)\s+(?:not\s+)?(?:widely\s+|generally\s+)?(?:considered|seen|viewed|regarded|thought)\s+(?:as\s+|to\s+be\s+)?(?:an?\s+)?(?:likely|unlikely|probable|improbable)"
    # "may have changed hands since ...": a guess about what has happened, not a forecast.
    r"|(?:may|might)\s+(?:well\s+|already\s+)?have\s+\w+(?:ed|en)\s+(?:\w+\s+){0,4}?since"
    r"|when\s+(?:\S+\s+){1,3}(?:had\s+)?(?:predicted|forecast|projected|expected)|previously\s+(?:\S+\s+){0,3}had\s+(?:said|warned|predicted|expected)"
    r"|(?:is|was)\s+not\s+(?:yet\s+)?known|(?:is|remains)\s+unclear\s+(?:whether|how|when|if)|no\s+one\s+knows"
    r"|(?:do\s+not|don['’]t)\s+know\s+(?:if|whether|how|when)"
    r"|(?:looked|seemed)\s+(?:as\s+if|as\s+though|like)\s+\S+\s+(?:was|were)\s+going\s+to"
    r"|(?:can(?:not|['’]t)|unable\s+to|not\s+(?:\w+\s+)?able\s+to)\s+(?:\w+ly\s+)?(?:predict|forecast|say|tell)\s+(?:\S+\s+){0,6}?(?:how|whether|what|if|when|where|which)"
    # Advice is not a forecast: "it might be wise to revisit your budget".
    r"|(?:may|might|could|would|will)\s+be\s+(?:wise|prudent|advisable|smart|sensible|a\s+good\s+idea|best)\s+to)\b",
    re.IGNORECASE,
)
# "could have avoided" is counterfactual; "may have expanded in May" guesses at a figure not yet out.
COUNTERFACTUAL = re.compile(r"\b(?:would|could|might|should)(?: not)? have\s+(?:\w+ed|been)\b", re.IGNORECASE)
# "agreed to hold off so the two sides could negotiate": a modal in a purpose clause states an aim, not a forecast.
# "interviews with likely voters": "likely" describing a noun after a preposition is not a cue.
ATTRIBUTIVE_LIKELY = re.compile(r"\b(?:with|of|among|by|from|to|for)\s+likely\s+[a-z]+s\b|\ban\s+unlikely\s+(?!to\b|that\b)[a-z]+", re.IGNORECASE)
# "They were set to resume in July, but were pushed back": an expectation or plan the sentence says was overtaken.
OVERTAKEN = re.compile(r"\b(?:was|were)\s+(?:\w+ly\s+)?(?:set|due|scheduled|expected|supposed)\s+to\s+[^,.;]*,\s+but\b", re.IGNORECASE)
# "a deal that would impose 15 percent tariffs": the terms of a thing, told in a relative clause.
# Not a demonstrative opening the claim ("That would produce a drop of 25%").
TERMS = re.compile(r"(?<!^)(?<![.!?\"“]\s)(?<!\bbut\s)(?<!\band\s)(?<!\bBut\s)(?<!\bAnd\s)\b(?:that|which)\s+would\b[^,.;]*", re.IGNORECASE)
PURPOSE = re.compile(r"\b(?:so|(?:in\s+order\s+)?to\s+(?:ensure|make\s+sure))\s+(?:that\s+)?(?:\w+\s+){1,4}?(?:could|can|would|might|may)\b[^,.;]*", re.IGNORECASE)
CONDITION = re.compile(
    r"(?:^|[,;]\s+|\s)(?P<condition>(?<!even )(?:if|unless|should|provided that|as long as|once|absent)\s[^,]+?)(?=,|[.!?]*$)",
    re.IGNORECASE,
)
# find_cue reads words only; a stated number is the most specific cue there is.
NUMERIC_CHANCE = re.compile(
    r"\b(?P<number>\d{1,3}(?:\.\d+)?)\s?(?:%|percent|per cent)\s+(?:chance|probability|likelihood|odds|risk)\b",
    re.IGNORECASE,
)
INTENT = re.compile(r"\b(?:willing|willingness|ready|prepared|intends?|plans?)\b", re.IGNORECASE)


def is_question(sentence: str) -> bool:
    return sentence.rstrip(" \"'”’)").endswith("?")


def find_condition(sentence: str) -> str | None:
    for match in CONDITION.finditer(sentence.strip("\"“”' ")):
        condition = match.group("condition").strip()
        keyword = condition.split()[0].lower()
        # "should" opens a condition only at the start ("Should talks fail, ..."), else it is a modal.
        if keyword == "should" and match.start("condition") > 0:
            continue
        if len(condition.split()) >= 3:
            return condition
    return None


# ---------------------------------------------------------------- draft statement

MODAL = re.compile(
    r"\b(?P<modal>will|would|may|might|could|can|should|shall|(?:is|are|was|were)(?P<inner_negation>\s+not)?\s+(?:widely\s+)?(?:expected|likely|unlikely|set|going|poised|due|bound|certain|sure|on\s+(?:track|course))\s+to)"
    r"(?P<adverbs>(?:\s+(?:probably|likely|possibly|still|also|soon|eventually|even|certainly|definitely|paradoxically|well|then|now|only|actually|further))*)"
    r"(?P<negation>\s+not)?\s+(?P<verb>[a-z]+)\b",
    re.IGNORECASE,
)
LEADING_LINKS = re.compile(
    r"^(?:however|but|and|thus|still|meanwhile|also|moreover|as a result|in essence|yet|so"
    r"|(?:separately|similarly|additionally|finally|elsewhere|earlier|later|instead|overall|in addition|in contrast"
    r"|on the other hand|for now|for example|for instance|[a-z]+ly)(?=\s*,))\s*,?\s+",
    re.IGNORECASE,
)
# Words that may stand before a speaker's name in the subject ("former finance minister", "Tom Hale of Westbank").
BEFORE_NAME = re.compile(
    rf"(?:(?:[A-Z][\w.&'’-]*|of|at|from|for|by|the|a|an|and|(?i:former|acting|deputy|senior|chief|poll|survey|report|study"
    rf"|model|analysis|forecast|data|{TITLE_WORDS}))\s+)*")
THAT_CLAUSE = re.compile(
    r"\b(?:emerged|grown|mounted|chance|likelihood|probability|odds|risk|hopes?|fears?|concerns?|expectations?|than\s+not)\s+that\s+",
    re.IGNORECASE,
)
# A fronted phrase ("In bridging that gap, ", "While a deal may be far off, ") is not the claim itself.
LEADING_PHRASE = re.compile(
    r"^(?:(?:in|on|at|with|for|by|after|before|despite|amid|given|under|during|without|to|while|although|though|even though)\s[^,]{0,60},\s+)",
    re.IGNORECASE,
)
TAIL_ATTRIBUTION = re.compile(
    rf"(?:(?:,[’']?|[’'])\s+(?:{SAY_VERBS})\s+{SPEAKER_PHRASE}(?:\s+(?:of|at|from)\s+[^,.]+)?(?:,[^,]*)*|,[’']?\s+{SPEAKER_PHRASE}\s+(?:{SAY_VERBS})(?:\s+(?!that\b|to\b)[^,.\s]+){{0,5}})[.!]?$"
)
FIRST_PERSON_HEDGE = re.compile(r"^(?:I|We)\s+(?:think|believe|expect|reckon|suspect|anticipate|predict|are confident|am confident)\s+(?:that\s+)?")
EXPECTS_TO = re.compile(
    r"\b(?:expects?|expected|predicts?|predicted|forecast(?:s|ing|ed)?)\s+(?!that\b|to\b)(?P<subject>[^,]+?)\s+to\s+(?P<verb>[a-z]+)\b(?P<rest>.*)"
)
NOT_TO = re.compile(r"(?P<subject>.+?)\s+to\s+(?P<verb>[a-z]+)\b(?P<rest>.*)")
EXPECTING = ("expect", "predict", "forecast", "project", "estimat")


def without_attribution(text: str) -> str:
    """Drops 'X said', 'said X', 'according to X' and 'X expected ... to', keeping what was said."""
    text = TAIL_ATTRIBUTION.sub("", text)
    text = re.sub(r"^(?:\w+\s*,\s*)?[Aa]ccording to [^,]+,\s*", "", text)
    lead = LEADING_LINKS.match(text).end() if LEADING_LINKS.match(text) else 0
    match = SPEAKER_BEFORE_VERB.search(text, lead)
    if not match or not BEFORE_NAME.fullmatch(text[lead:match.start()]):
        return text
    verb = text[match.end("speaker"):match.end()].split()[-1].lower()
    rest = re.sub(r"^(?:on|last|this) \w+\s+", "", text[match.end():].lstrip())
    if rest.startswith("that "):
        return rest[5:]
    infinitive = NOT_TO.match(rest)
    if verb.startswith(EXPECTING) and infinitive:
        subject = infinitive.group("subject")
        finite = infinitive.group("verb") if is_plural(subject) else third_person(infinitive.group("verb"))
        return f"{subject} {finite}{infinitive.group('rest')}"
    return rest




def is_plural(subject: str) -> bool:
    words = re.findall(r"[\w'’-]+", subject.lower())
    if not words:
        return False
    if " and " in f" {subject.lower()} " or words[-1] in ("we", "they", "you", "i", "people", "police"):
        return True
    # The head noun of "the scope of negotiations" is "scope".
    head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
    return head.endswith("s") and not head.endswith(("ss", "us", "is", "'s", "’s"))


def indicative(clause: str) -> str:
    """'talks might not happen' → 'talks do not happen'; 'the summit may be held' → 'the summit is held'."""
    match = MODAL.search(clause)
    if not match:
        return clause
    subject = clause[: match.start()]
    verb = match.group("verb").lower()
    plural = is_plural(subject)
    if match.group("negation") or match.group("inner_negation"):
        if verb == "be":
            finite = "are not" if plural else "is not"
        else:
            finite = f"{'do' if plural else 'does'} not {verb}"
    elif verb == "be":
        finite = "are" if plural else "is"
    else:
        finite = verb if plural else third_person(verb)
    return f"{subject}{finite}{clause[match.end():]}"


FIGURE_VERB = re.compile(r"(?i)forecasts?|sees|see|projects?|projected|guided|shows?|suggests?|indicates?|points?\s+to")


def figure_statement(text: str, verb: str) -> str:
    """'sees revenue of $18 million' → 'Revenue is $18 million'; 'show Dorian making landfall' → 'Dorian makes landfall'."""
    after = re.search(rf"(?i)\b{re.escape(verb)}\s+", text)
    rest = text[after.end():] if after else text
    figure = re.match(r"(?P<thing>.+?)\s+(?:of|at)\s+(?:anywhere\s+)?(?P<figure>(?:between\s+)?[$€£]?\d.*)$", rest)
    if figure:
        thing = figure.group("thing")
        head = re.split(r"\s+(?:in|of|at|for|on|from)\s+", thing)[0]
        return f"{thing[:1].upper()}{thing[1:]} {'are' if is_plural(head) else 'is'} {figure.group('figure')}"
    doing = re.match(r"(?P<thing>.+?)\s+(?P<verb>[a-z]+ing)\b(?P<rest>.*)$", rest)
    if doing and len(doing.group("thing").split()) <= 8:
        base = base_verb_first(doing.group("verb")).split()[0]
        head = re.split(r"\s+(?:in|of|at|for|on|from)\s+", doing.group("thing"))[0]  # "prices in the region"
        finite = base if is_plural(head) else third_person(base)
        thing = doing.group("thing")
        return f"{thing[:1].upper()}{thing[1:]} {finite}{doing.group('rest')}"
    return text


FAVOURED_APPOSITION = re.compile(r"^(?P<subject>[^,]+?),\s+the\s+(?:[\w-]+\s+){0,2}?favou?rites?\s+to\s+(?P<verb>[a-z]+)\b(?P<rest>[^,]*)")


def draft_statement(sentence: str, cue: str, condition: str | None) -> str:
    """A yes/no claim: attribution, condition and cue taken out, the verb made indicative."""
    favoured = FAVOURED_APPOSITION.match(sentence)
    if favoured and re.search(r"(?i)favou?rites?\s+to$", cue):
        # "Australia, the overwhelming favourites to advance to the semi-finals, will not ..." → "Australia advance ...".
        subject = favoured.group("subject").strip()
        verb = favoured.group("verb") if is_plural(subject) else third_person(favoured.group("verb"))
        return f"{subject} {verb}{favoured.group('rest')}".strip(" ,")
    if FIGURE_VERB.fullmatch(cue):
        text = re.sub(r"[\"“”]", "", without_attribution(sentence)).strip()
        return figure_statement(text, cue)
    text = re.sub(r"[\"“”]", "", sentence).strip().strip("'‘’ ")
    text = without_attribution(text)
    text = FIRST_PERSON_HEDGE.sub("", text)
    expecting = EXPECTS_TO.search(text)
    if expecting:
        subject = expecting.group("subject")
        finite = expecting.group("verb") if is_plural(subject) else third_person(expecting.group("verb"))
        text = f"{subject} {finite}{expecting.group('rest')}"
    if condition:
        # "..., unless OPEC acts, which is unlikely": the comma after the condition still closes the claim.
        text = re.sub(rf",?\s*{re.escape(condition)}\s*(,?)", lambda m: f"{m.group(1)} ", text)
    text = LEADING_LINKS.sub("", text.strip())
    text = LEADING_PHRASE.sub("", text)
    text = re.sub(r",\s+albeit [^,]+,", "", text)
    that = THAT_CLAUSE.search(text)
    if that:
        text = text[that.end():]
    clauses = re.split(r",\s+(?:but|while|and|although|though)\s+|;\s+|\s+--\s+", text)
    cue_words = cue.lower().split(" … ")[0]
    with_cue = [clause for clause in clauses if re.search(rf"\b{re.escape(cue_words)}\b", clause.lower())]
    text = indicative(without_attribution(with_cue[0]) if with_cue else clauses[0])
    text = LEADING_LINKS.sub("", text.strip(" ,;:.'\"‘’"))
    text = re.sub(r"\s+(?:only|even)$", "", text)
    text = re.sub(r"\s+,", ",", re.sub(r"\s{2,}", " ", text)).strip(" ,")
    if re.match(r"[a-z]+[A-Z]", text):  # "iPhone", "eBay": a brand keeps its case
        return text
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- the pipeline

def extract_candidates(text: str, published_on: date | None, default_speaker: str = ARTICLE_VOICE) -> list[Candidate]:
    """Every sentence that makes a claim about the future, with who made it and how sure they were."""
    from ledger.extract import nlp

    marked = marked_paragraphs(text)
    units = [(number, sentence) for number, (paragraph, _) in enumerate(marked)
             for sentence in split_sentences(paragraph)]
    leads = list_leads(marked)
    docs = nlp.parse([without_dateline(sentence) for _, sentence in units])
    voice = Speaker(default_speaker, UNATTRIBUTED if default_speaker == ARTICLE_VOICE else NEWSROOM)
    who, tracker = speakers_of(units, docs, voice, leads)
    roles = tracker.roles
    seen: set[str] = set()
    candidates: list[Candidate] = []
    frame: tuple[int, tuple[str, date]] | None = None  # the last time frame given, and in which paragraph
    frames: dict[int, tuple[str, date]] = {}  # the time frame each paragraph gave last
    near: tuple[str, date] | None = None  # the last forecast's time frame, when it is days away
    season: tuple[str, date] | None = None  # the last season the article dated ("the 2023 hurricane season")
    for index, ((paragraph, sentence), speaker) in enumerate(zip(units, who)):
        key = normalised(sentence)
        if key in seen:
            continue
        seen.add(key)
        doc = docs[index]
        introduces_list = paragraph in leads.values() and sentence.endswith(":")
        found = [] if introduces_list or is_heading(sentence, first=paragraph == units[0][0]) else candidates_of(
            sentence, speaker, published_on, lambda position, doc=doc: tracker.of_sentence(doc, position, None))
        lead = leads.get(paragraph)
        if not found and lead is not None and units[index - 1][0] != paragraph and not is_heading(sentence):
            # "The bank expects: / - inflation to fall to 2% by June": the item completes its lead-in.
            lead_in = next(s for p, s in reversed(units[:index]) if p == lead).rstrip(": ")
            found = [replace(one, sentence=sentence) for one in candidates_of(f"{lead_in} {sentence}", speaker, published_on)
                     if not one.cue or one.cue.lower() not in lead_in.lower() or read_cue(lead_in)]
        stated = deadline_of(without_dateline(sentence), published_on) if published_on else None
        for one in found:
            if one.resolve_by is None and frame and frame[0] == paragraph:
                # A time frame given once holds for the forecasts that follow it in the paragraph.
                one = replace(one, deadline_phrase=frame[1][0], resolve_by=frame[1][1])
            if one.resolve_by is None and season and (SEASON_AGAIN.search(sentence) or ODDS.fullmatch(one.cue or "")):
                # "the season" names again the season the article dated before ("the hurricane season"); odds
                # with no time frame of their own are for the season the article dated.
                one = replace(one, deadline_phrase=season[0], resolve_by=season[1])
            if one.resolve_by is None and near and not (lead is not None and lead in frames):
                # A forecast for the next few days sets the scene ("snow this weekend"): what is forecast
                # after it, with no time of its own, is for those days too. Longer horizons do not carry.
                one = replace(one, deadline_phrase=near[0], resolve_by=near[1])
            if one.resolve_by is None and lead is not None and lead in frames:
                # ... and one given in a list's lead-in ("By 2030:") for every item of the list.
                one = replace(one, deadline_phrase=frames[lead][0], resolve_by=frames[lead][1])
            statement = statements.finish(
                one.statement, cue=one.cue, speaker=one.speaker, speaker_kind=one.speaker_kind,
                previous_subject=reporter_of(sentence) or previous_subject(docs, index),
                resolve_by=one.resolve_by,
                deadline_phrase=one.deadline_phrase)
            # A claim still opening with a pronoun names no one a stranger could check: it waits for review.
            candidates.append(replace(one, statement=statement, borderline=one.borderline or statements.starts_with_pronoun(statement),
                                      role=role_of(one.speaker, roles) if one.speaker_kind == PERSON else None))
        if stated:
            frame = (paragraph, stated)
            frames[paragraph] = stated
            if "season" in stated[0].lower():
                season = stated
        dated = [one for one in found if one.resolve_by]
        if dated:
            soon = published_on is not None and (dated[-1].resolve_by - published_on).days <= NEAR_DAYS
            near = (dated[-1].deadline_phrase, dated[-1].resolve_by) if soon else None
    return candidates


def is_heading(sentence: str, first: bool = False) -> bool:
    """A headline or caption: no closing punctuation, and the first line or set in title case.

    It repeats the body; it is not a claim. Body text whose paragraph lost its full stop is kept.
    """
    if re.search(r"[\"'“‘].*[\"'”’],?\s+(?:says|said)\s", sentence):
        return False  # a deck quoting someone by name or role is attributed: it is that person's claim
    if sentence.rstrip().endswith(TERMINAL) or len(sentence.split()) > 25:
        return False
    words = re.findall(r"[A-Za-z][\w'’-]*", sentence)
    capitalised = sum(word[0].isupper() for word in words if len(word) > 3) / max(1, sum(len(word) > 3 for word in words))
    # Short lines, labelled lines ("MoneyWatch: ...") and video captions ("... 04:12") are headings too.
    return (first or capitalised >= 0.6 or len(words) <= 12 or bool(re.match(r"[A-Z][\w]+:\s", sentence))
            or bool(re.search(r"\b\d{1,2}:\d{2}$", sentence.strip())))


def reporter_of(sentence: str) -> str | None:
    """'The company said it will ...' → 'The company': whom the pronoun after the reporting verb stands for."""
    match = statements.REPORTER.search(without_dateline(sentence))
    if not match or (match.group("pronoun") == "they") != statements.is_plural_noun(match.group("subject")):
        return None  # "Jane Roe said they will": they are someone else
    return match.group("subject")


def previous_subject(docs, index: int) -> str | None:
    """What 'it' most likely stands for: the subject of this sentence's or the previous one's main verb."""
    def personal(token) -> bool:
        # "it" is never a person or a group: "The agency chief told the committee talks will resume. It could ..."
        return token.ent_type_ == "PERSON" or token.lemma_.lower() in PERSON_ROLES or (
            token.tag_ in ("NNS", "NNPS") and token.lemma_.lower() in GROUP_NOUNS)

    pronoun = next((t for t in docs[index] if t.lower_ in ("it", "this", "that") and t.dep_ in ("nsubj", "nsubjpass")), None)
    if pronoun is not None:
        # "Tariffs start at 15%, and companies warn that this will raise prices": the clause before it.
        for token in docs[index][: pronoun.i]:
            if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ in ("NOUN", "PROPN") and token.head.pos_ in ("VERB", "AUX") \
                    and token.head.lemma_.lower() not in REPORTING_LEMMAS:
                return " ".join(span_of(token).text.split())
    for doc in (docs[index - 1],) if index else ():
        for token in doc:
            if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ in ("NOUN", "PROPN") and token.head.pos_ in ("VERB", "AUX") \
                    and not personal(token):
                return " ".join(span_of(token).text.split())
        chunks = [chunk for chunk in doc.noun_chunks if chunk.root.pos_ in ("NOUN", "PROPN")]
        if chunks:
            return " ".join(chunks[0].text.split())
    return None


DATELINE = re.compile(r"^(?:date\s+\d{4}-\d{2}-\d{2}\s+|[A-Z][a-z]{2,8}\.?\s\d{1,2}\s\([^)]*\)\s*[–—-]+\s*|[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][\w.'’-]*){0,3}\s*(?:\([^)]*\))?\s*[–—-]+\s*|[A-Z][A-Z.'’-]{2,}(?:\s[A-Z][A-Z.'’-]+)*,\s(?:[A-Z][a-z]+\.?\s\d{1,2}\s)?\([^)]*\)\s*[–—-]*\s*)")


def without_dateline(sentence: str) -> str:
    """'DAKAR, Senegal – The agency said' → 'The agency said': a dateline names a place, not a speaker or date."""
    once = DATELINE.sub("", sentence, count=1)
    return DATELINE.sub("", once, count=1) if once != sentence else once  # "date 2021-05-17 (Reuters) - …"


def cue_start(sentence: str) -> int | None:
    reading = find_cue(sentence)
    if reading is None:
        return None
    position = sentence.lower().find(reading.cue.split()[0].lower())
    return position if position >= 0 else None


PASSIVE_EXPECTATION = re.compile(
    r"\b(?:is|are|was|were|be|been|being)\s+(?:now\s+|also\s+|widely\s+)?(?:expected|forecast|projected|predicted|seen|estimated|anticipated)\b"
    r"|,\s+(?:expected|forecast|projected)\s+to\b",
    re.IGNORECASE,
)


def closing_attribution(sentence: str) -> bool:
    """', according to the agency.', ', Roe said.', ', said Jane Roe.': the attribution ends the sentence."""
    phrase = attribution_phrase(sentence)
    return bool(phrase and phrase[2]) or bool(re.search(
        rf",[”\"]?\s+(?:according\s+to\s+[^,]+|[^,]{{1,60}}?\s+{SAY_VERBS})[.!]?[”\"]?$", sentence))


def named_where_quote_closes(units, named, index: int, marks: int) -> list[Speaker]:
    """The speaker named in the sentences after index, up to the one that closes the quote open at index."""
    for j in range(index + 1, len(units)):
        if units[j][0] != units[index][0]:
            return []
        if named[j]:
            return [named[j]]
        marks += len(re.findall(r"[\"“”]", units[j][1]))
        if marks % 2 == 0:
            return []  # closed with no one named: whoever spoke before
    return []


SEASON_AGAIN = re.compile(r"\b(?:the|this)\s+season\b", re.IGNORECASE)
CONSENSUS = {"everyone", "everybody", "many", "most", "others"}  # groups named by a pronoun alone
NEAR_DAYS = 7  # days ahead: a forecast this close sets the scene for the undated ones after it
WINDOW = 1  # paragraphs back: measured on the dev corpus, wider windows gain nothing


ODDS_NOUNS = {"odds", "odd", "price", "prices", "book", "market", "release"}


def bookmaker_of(docs) -> Speaker | None:
    """Whose odds the article quotes: the organisation a person quoted on odds speaks for ('Alex Apati of
    Ladbrokes said: ... will pay 875/1'), the agent of odds given in the passive ('9/1 is cited by Northbet'),
    or the owner of the odds ("Northbet's odds", "Northbet's release of odds")."""
    for doc in docs:
        if not re.search(r"\b(?:odds|bookmakers?|bookies|bets?|backing|pay|priced|\d+/\d+)\b", doc.text, re.IGNORECASE):
            continue
        for token in doc:
            head = token.head
            if token.pos_ == "PROPN" and token.ent_type_ not in ("GPE", "NORP") and (
                    token.dep_ == "pobj" and head.dep_ == "agent" and stated_number(doc.text)
                    or token.dep_ == "poss" and head.lower_ in ODDS_NOUNS):
                start = min([token.i] + [child.i for child in token.lefts if child.dep_ == "compound"])
                return Speaker(clean_org(doc[start: token.i + 1].text), ORGANISATION)
            if (token.dep_ == "pobj" and token.pos_ == "PROPN" and head.lower_ in ("of", "at", "from", "for")
                    and head.head.ent_type_ == "PERSON" and head.head.pos_ == "PROPN"):
                start = min([token.i] + [child.i for child in token.lefts if child.dep_ == "compound"])
                return Speaker(clean_org(doc[start: token.i + 1].text), ORGANISATION)
    return None


def clean_org(name: str) -> str:
    return re.sub(r"^the\s+|[’']s$", "", " ".join(name.split()), flags=re.IGNORECASE)


def speakers_of(units: list[tuple[int, str]], docs, voice: Speaker,
                leads: dict[int, int] | None = None) -> tuple[list[Speaker], Speakers]:
    """Each sentence's speaker: named in it, else the one who closes the quote it is in, else the voice."""
    tracker = Speakers(docs, voice, person_names("\n".join(sentence for _, sentence in units)), roles_of(docs))
    named = [tracker.of_sentence(doc, cue_start(doc.text), None, attribution_phrase(doc.text))
             for (_, sentence), doc in zip(units, docs)]

    bookmaker = bookmaker_of(docs)
    result: list[Speaker] = []
    marks = 0
    for index, (paragraph, sentence) in enumerate(units):
        if index and units[index - 1][0] != paragraph:
            marks = 0
        opened_before = marks % 2 == 1
        marks += len(re.findall(r"[\"“”]", sentence))
        speaker = named[index]
        if speaker is None and leads and paragraph in leads:
            # A list's items belong to the source its lead-in names ("The bank expects:").
            given = [result[j] for j in range(index) if units[j][0] == leads[paragraph] and result[j] is not voice]
            speaker = given[-1] if given else None
        # British style quotes in single marks: a sentence opening and closing with them is quoted speech too.
        whole_quote = not opened_before and (sentence.lstrip()[:1] in "\"“" and sentence.rstrip()[-1:] in "\"”"
                                             or re.match(r"['‘]\w", sentence.lstrip()) and re.search(r"[.!?]['’]$", sentence.rstrip()))
        if speaker is None and (opened_before or marks % 2 == 1 or whole_quote):
            # Quoted speech runs on across sentences, and paragraphs; its speaker is named where it closes,
            # not after; a quotation standing alone continues whoever was quoted last.
            closed = (opened_before and marks % 2 == 0) or whole_quote
            later = [] if closed else named_where_quote_closes(units, named, index, marks)
            earlier = [s for s in result if s is not voice]
            speaker = later[0] if later else (earlier[-1] if earlier else None)
        if speaker is None and re.search(r"[\"“][^\"“”]*(?:\s[^\"“”\s]+){3,}[\"”]", sentence):
            # Quoted words inside the narrator's sentence ('the launch will "spur a major upgrade cycle"') are
            # someone's words: with no one named, whoever the article quoted last.
            earlier = [s for s in result if s is not voice]
            speaker = earlier[-1] if earlier else None
        if speaker is None and SPECULATION.search(sentence):
            speaker = Speaker("speculation", GROUP)
        if speaker is None:
            # Reported speech runs on within a paragraph: measured on the dev corpus, this beats the voice.
            # A consensus ("almost everyone agrees") is not carried: what follows it is the writer's.
            same = [named[j] for j in range(index) if units[j][0] == paragraph and named[j]]
            speaker = same[-1] if same and same[-1].name.split()[-1] not in CONSENSUS else None
        if speaker is None:
            # "Shoes could rise 40%. Electronics could also jump, according to the Budget Lab.": an attribution
            # closing a later sentence of the paragraph covers what came before it.
            later = [named[j] for j in range(index + 1, len(units))
                     if units[j][0] == paragraph and named[j] and closing_attribution(units[j][1])]
            speaker = later[0] if later else None
        if speaker is None and ODDS_CONTEXT.search(sentence) and stated_number(sentence):
            # Odds quoted with no one named are the bookmaker's: the organisation the article names with its odds.
            speaker = bookmaker
        if speaker is None and PASSIVE_EXPECTATION.search(sentence):
            # "Home sales are expected to drop": someone expects it; in a report on a forecast, the source
            # named in the paragraphs just before.
            # The chain holds: a paragraph of such figures that was itself given to the source passes it on.
            # Quoted speech does not pass its speaker on to the narrator's figures.
            earlier = [result[j] for j in range(index) if result[j] is not voice and units[j][0] >= paragraph - WINDOW
                       and (named[j] or not re.match(r"\s*[\"“]", units[j][1]))]
            speaker = earlier[-1] if earlier else None
        if speaker is None and (PASSIVE_EXPECTATION.search(sentence) or stated_number(sentence)):
            # Further back, a figure or an expectation with no one named is the organisation's the article
            # last quoted (measured: people and groups named earlier are more often wrong).
            earlier = [named[j] for j in range(index) if named[j] and named[j].kind == ORGANISATION]
            speaker = earlier[-1] if earlier else None

        result.append(speaker or voice)
    return result, tracker


WHEN_SAID = re.compile(
    r"^(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|this\s+(?:morning|afternoon|evening)|"
    r"(?:early|late)?\s*(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))$",
    re.IGNORECASE,
)
REPORTED_JUST_BEFORE = re.compile(
    r"\b(?:said|says|say|told|tells|announced|warned|predicted|forecast|wrote|added|noted|stated|reported|"
    r"estimated|projected|released|published|issued)\b(?:\s+\S+){0,3}\s*$",
    re.IGNORECASE,
)


WEEKDAY_ONLY = re.compile(r"(?i)(?:on\s+|by\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)")
RELATIVE_ASIDE = re.compile(r",\s+(?:which|who|whose)\b[^,]*,")


def deadline_of(sentence: str, published_on: date, cue: str | None = None) -> tuple[str, date] | None:
    """The sentence's deadline, skipping the day a thing was said ('said on Monday', 'On Monday, X said').

    With the cue given, the first deadline after it wins ("paused tariffs on Thursday; prices could rise
    this summer"), else the last one before it.
    """
    found = find_deadlines(sentence, published_on)
    at = sentence.lower().find(cue.split()[0].lower()) if cue else -1
    # "inflation, which reached 9.4 per cent in June, to hit 13.3 per cent in October": a date in an aside
    # describes; it is not the forecast's deadline unless the cue is in the aside too.
    asides = [m.span() for m in RELATIVE_ASIDE.finditer(sentence) if not m.start() <= at < m.end()]
    found = [d for d in found if not any(start <= d[2] < end for start, end in asides)]
    if at >= 0:
        # Words of the cue itself ("raised its full-year forecast") are not its deadline.
        within = at + len(cue) if " … " not in cue else at
        inside = [d for d in found if at <= d[2] < within]
        found = [d for d in found if not at <= d[2] < within]
        found = [d for d in found if d[2] >= at] + [d for d in reversed(found) if d[2] < at] + inside
    steps = [d for d in found if d[2] >= at] if at >= 0 else []
    days = list(itertools.takewhile(lambda d: WEEKDAY_ONLY.fullmatch(d[0].strip()), steps))
    if len(days) >= 2 and all(a[1] < b[1] for a, b in zip(days, days[1:])) and "." not in sentence[days[0][2]: days[-1][2]]:
        # "should move east on Friday, approach the islands Saturday and pass them on Sunday": dated steps of
        # one forecast; it holds by the last of them.
        found = [days[-1]] + [d for d in found if d not in days]
    for phrase, day, start in found:
        # "records are expected to fall Saturday": the cue's own verb dated to the day the article appeared.
        cue_dated = 0 <= at < start and not re.search(r"[,;.]", sentence[at:start]) and start - at <= 40
        if day == published_on and WEEKDAY_ONLY.fullmatch(re.sub(r"(?i)^(?:late|early)\s+", "", phrase.strip())) and not cue_dated:
            continue  # the day the article appeared, named by its weekday: when a thing happened, not a deadline
        if WHEN_SAID.match(phrase.strip()):
            before = sentence[:start]
            if REPORTED_JUST_BEFORE.search(before) or not before.strip() and sentence[start + len(phrase):].lstrip().startswith(","):
                continue
        return phrase, day
    return None


# Odds as bookmakers write them (8/11, 11/2, 2-1): the stake against the win.
ODDS = re.compile(r"(?<![\d/])(?P<against>\d{1,3})\s*(?:/|-)\s*(?P<on>\d{1,3})(?![\d/%])")
ODDS_CONTEXT = re.compile(r"\b(?:odds|favourites?|favorites?|bookmakers?|bookies|shots?|priced|backed|market|bet|outsiders?|at\s+evens"
                          r"|to\s+win|title|league|cup|championship|promotion|relegation|(?:are|is|at)\s+\d{1,3}/\d{1,3}|\d{1,3}/\d{1,3}\s+about)\b", re.IGNORECASE)
ONE_IN = re.compile(r"\b(?:one|1)[-\s]in[-\s](?P<count>\d+|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|a\s+hundred|100)\b"
                    r"(?:\s+(?:chance|probability|risk|odds|shot))?", re.IGNORECASE)
MODEL_PUTS = re.compile(r"\b(?:puts?|gives?|sees?|places?)\s+(?:\S+\s+){0,5}?(?:at|an?)\s+(?P<number>\d{1,3}(?:\.\d+)?)\s?(?:%|percent|per cent)(?!\s+(?:of|rise|fall|increase|drop|growth|rate))", re.IGNORECASE)
CHANCE_IS = re.compile(r"\b(?:chances?|probability|likelihood|odds|risk)\s+(?:of\s+\S+(?:\s+\S+){0,6}?\s+|for\s+that\s+|that\s+\S+(?:\s+\S+){0,6}?\s+)?(?:is|are|was|at|stands?\s+at|of)\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|just\s+|only\s+)?(?P<number>\d{1,3}(?:\.\d+)?)\s?(?:%|percent|per cent)", re.IGNORECASE)
# "The likelihood of a hung parliament continues to rise, to 54%", "chances ... are back up to 53%".
CHANCE_MOVES = re.compile(
    r"\b(?:chances?|probability|likelihood|odds|risk)\s+(?:of\s+\S+(?:\s+\S+){0,6}?\s+|that\s+\S+(?:\s+\S+){0,6}?\s+)?(?:(?:is|are|was|were|has|have)\s+)?(?:now\s+|back\s+)?"
    r"(?:continu(?:es|ed)\s+to\s+)?(?:rise|rises|rose|risen|fall|falls|fell|fallen|climb(?:s|ed)?|drop(?:s|ped)?|jump(?:s|ed)?|slip(?:s|ped)?"
    r"|increase[sd]?|decrease[sd]?|edge[sd]?|up|down)(?:\s+(?:up|down))?,?\s+to\s+(?:about\s+|around\s+)?(?P<number>\d{1,3}(?:\.\d+)?)\s?(?:%|percent|per cent)",
    re.IGNORECASE,
)
COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
          "twenty": 20, "fifty": 50, "a hundred": 100}


def stated_number(text: str) -> tuple[str, float] | None:
    """A probability the text gives as a number: '70 percent chance', 'a one-in-four chance', odds '8/11'."""
    for pattern in (NUMERIC_CHANCE, CHANCE_IS, CHANCE_MOVES, MODEL_PUTS):
        match = pattern.search(text)
        if match:
            return match.group(0), parse_probability(match.group("number") + "%")
    match = ONE_IN.search(text)
    if match and re.search(r"chance|probability|risk|odds|shot|likel", text, re.IGNORECASE):
        count = match.group("count").lower()
        return match.group(0), 1 / (COUNTS.get(count) or int(count))
    if ODDS_CONTEXT.search(text):
        for match in ODDS.finditer(text):
            against, on = int(match.group("against")), int(match.group("on"))
            hyphen = "-" in match.group(0)
            # "beat them 2-1" is a score; "at 2-1", "2-1 favourites" are odds.
            odds_here = not hyphen or re.search(r"\b(?:at|odds\s+of|priced\s+at|odds-on\s+at)\s+$", text[: match.start()], re.IGNORECASE) \
                or re.match(r"\s+(?:favourites?|favorites?|shots?|outsiders?|chance)\b", text[match.end():], re.IGNORECASE)
            if against and on and odds_here and not re.match(r"\s*(?:million|billion|percent|%)", text[match.end():]):
                # Fractional odds a/b: implied probability b / (a + b) (the bookmaker's margin left in).
                return match.group(0), round(on / (against + on), 4)
    if re.search(r"\b(?:odds|priced|are|is|at)\s+evens\b", text, re.IGNORECASE):
        return "evens", 0.5
    return None


# "did not rule out", "no analyst ruled out", "refused to rule out": not excluded is a possibility.
NOT_EXCLUDED = re.compile(
    r"(?:\b(?:not|never)\s+(?:\w+\s+)?|n['’]t\s+(?:\w+\s+)?|\brefus\w*\s+to\s+|\bdeclin\w*\s+to\s+)"  # "couldn't": no \b before n't
    r"(?:rul(?:e|ed|ing)\s+out|reject(?:ed|ing)?|dismiss(?:ed|ing)?)\b"
    r"|\b(?:no|nobody|no\s+one|none)\b(?:\s+\w+){0,4}?\s+(?:\w+ly\s+)?(?:has\s+|have\s+)?(?:rul(?:ed|es)\s+out|rejected|dismissed)\b"
    # "opened a possibility for the leader to attend", "left open the possibility": a possibility too.
    r"|\b(?:open(?:ed|s)?|rais(?:ed|es)|float(?:ed|s)?|left\s+open|leaves\s+open|held\s+out)\s+(?:up\s+)?(?:a|the)\s+(?:possibility|prospect)\b",
    re.IGNORECASE,
)
NOT_EXCLUDED_PROBABILITY = read_words("could").probability  # read as "possibly", as "could" is
# "he isn't holding his breath for a polling surprise": he does not expect one.
NOT_HOLDING_BREATH = re.compile(r"(?:\b(?:is|am|are|was|were)\s+not|n['’]t)\s+holding\s+(?:his|her|their|my|our|its)\s+breath\s+for\b", re.IGNORECASE)
NOT_EXPECTED_PROBABILITY = read_words("does not expect").probability
# "Square sees full-year EBITDA of $18 million", "forecasters see Brent at $59 to $70", "the company forecast
# third-quarter earnings above estimates": a forecast given as a figure, with no modal; read as "expects".
FIGURE_FORECAST = re.compile(
    r"(?<!\bhad\s)(?<!\bthan\s)(?<!\bas\s)(?<!\bthe\s)(?<!\bits\s)(?<!\ba\s)(?<!\bthis\s)(?<!['’]s\s)"
    r"\b(?P<verb>forecasts?|sees|see|projects?|projected|guided)\s+"
    r"(?:[\w$€£.,%'’-]+\s+){0,8}?(?:(?:of|at|between|around|about|to)\s+(?:anywhere\s+between\s+)?[$€£]?\d"
    r"|(?:earnings|revenue|sales|profits?|losses|growth|prices?|output|demand|inflation|shipments)\b)",
    re.IGNORECASE,
)
FIGURE_FORECAST_PROBABILITY = read_words("expects").probability
# A forecast given before, or one a result is measured against, is a noun: not the speaker's forecast now.
FORECAST_NOUN_BEFORE = re.compile(
    r"(?:\b(?:a|an|the|its|their|his|her|our|this|that)|['’])\s+(?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December|previous|earlier|prior|initial|original|last|old)\s+$"
    r"|\b(?:ahead\s+of|above|below|beat(?:ing)?|miss(?:ed|ing)|top(?:ped|ping)|exceed(?:ed|ing)|versus|vs\.?|compared\s+(?:with|to))\s+(?:\S+\s+){0,3}$",
    re.IGNORECASE)


# "forecasting models show the storm making landfall": a forecast the text reads off a model, read as "expects".
MODEL_SHOWS = re.compile(r"\b(?:models?|forecasts?|projections?|outlooks?|simulations?)\s+(?:now\s+|also\s+)?"
                         r"(?P<verb>show|shows|suggest|suggests|indicate|indicates|point\s+to|points\s+to)\s+(?!that\s+\w+\s+(?:was|were|had)\b)",
                         re.IGNORECASE)


def figure_forecast(text: str) -> str | None:
    shown = MODEL_SHOWS.search(text)
    if shown:
        return shown.group("verb")
    match = FIGURE_FORECAST.search(text)
    if match is None or re.search(r"\b(?:is|are|was|were|be|been)\s+$", text[: match.start()], re.IGNORECASE):
        return None
    if FORECAST_NOUN_BEFORE.search(text[: match.start()]):
        return None  # "compared with a January forecast for ...", "analysts' average forecast of £335 million"
    return match.group("verb")


# Cues in running text that the likelihood scale does not list, each read as the scale phrase it paraphrases.
# "has no plan to float her proposals" is an actor's intent, turned over: borderline, never a guess at a lean.
PHRASE_CUES = (
    (re.compile(r"\b(?:ha(?:s|ve|d)\s+no\s+(?:plans?|intention)\s+to|there\s+(?:is|are|was|were)\s+(?:currently\s+|still\s+)?no\s+plans?\s+to"
                r"|(?:does|do|did)(?:\s+not|n['’]t)\s+(?:plan|intend)\s+to)\b", re.IGNORECASE),
     round(1 - read_words("plans to").probability, 4), True),
    # "held out little hope that a deal could be reached": the holder does not expect it.
    (re.compile(r"\b(?:h[eo]ld(?:s|ing)?\s+out|ha(?:s|ve|d)|express(?:ed|es)?|s(?:ee|ees|aw))\s+(?:little|scant|slim|no)\s+hopes?\b", re.IGNORECASE),
     read_words("little chance").probability, False),
    # "we are not the favourites for number four": not favoured; "are favourites to win": favoured.
    (re.compile(r"\b(?:is|are|was|were|['’]re)\s+(?:not|n['’]t)\s+(?:the\s+)?[\"“”]?(?:not\s+)?(?:the\s+)?favou?rites?\b|[\"“]not\s+(?:the\s+)?favou?rites?\b", re.IGNORECASE),
     read_words("unlikely").probability, False),
    (re.compile(r"\b(?:is|are|remains?|['’]re)\s+(?:still\s+|now\s+)?(?:the\s+)?(?:clear\s+|firm\s+|strong\s+|big\s+|hot\s+)?favou?rites?\s+(?:to|for)\b", re.IGNORECASE),
     read_words("likely").probability, False),
    # "Australia, the overwhelming favourites to advance, will not be complacent": the apposition is the forecast.
    (re.compile(r"(?<=, )the\s+(?:[\w-]+\s+){0,2}?favou?rites?\s+to\b", re.IGNORECASE), read_words("likely").probability, False),
    # "I have a strong belief we will be OK": as "believes ... will".
    (re.compile(r"\bha(?:s|ve|d)\s+(?:a\s+)?(?:strong\s+|firm\s+|real\s+|genuine\s+)?belief\s+(?:that\s+)?(?:[\w'’-]+\s+){1,6}?(?:will|would|can)\b", re.IGNORECASE),
     read_words("believes … will").probability, False),
    # "our central forecast is for the Tories to win", "the forecast for revenue is now $429 billion".
    (re.compile(r"\b(?:forecast|projection|prediction|estimate|expectation)s?\s+(?:(?:for|of|in|from)\s+[^,.;]{1,60}?\s+)?(?:is|are|was|were)\s+(?:now\s+|still\s+)?"
                r"(?:for\s+(?=\S+(?:\s+\S+){0,5}?\s+to\s+[a-z])|that\s|[$€£]\d|\d[\d.,]*\s*(?:%|percent|per\s+cent|million|billion|trillion)"
                r"(?!\s+(?:\S+\s+){0,3}?(?:higher|lower|more|less|above|below)\b))", re.IGNORECASE),
     FIGURE_FORECAST_PROBABILITY, False),
    # "our model now forecasts UKIP to hold the seat", "with IDC forecasting iPhone sales to grow": as "expects X to".
    (re.compile(r"(?<!\bthe\s)(?<!\ba\s)(?<!\bits\s)(?<!['’]s\s)\bforecast(?:s|ing|ed)?\s+(?!that\b|to\b)(?:(?!(?:is|are|was|were|for|of|in|by)\b)[\w'’.-]+\s+){1,5}?to\s+[a-z]+", re.IGNORECASE),
     FIGURE_FORECAST_PROBABILITY, False),
    # "traders are pricing a first rate cut in September": a market's expectation.
    (re.compile(r"\b(?:traders|markets?|investors|futures)\s+(?:are|is|were|have\s+been)\s+(?:now\s+|fully\s+|already\s+)?pricing\s+(?:in\s+)?", re.IGNORECASE),
     FIGURE_FORECAST_PROBABILITY, False),
    # "we should see a slight upward shift": a predictive "should" (the scale reads "we should" as advice).
    (re.compile(r"\b(?:we|you)\s+should\s+(?:still\s+|also\s+|then\s+)?(?:see|expect|get|witness)\b", re.IGNORECASE),
     read_words("should").probability, False),
    (re.compile(r"\b(?:virtually|all\s+but|practically)\s+certain\s+to\b", re.IGNORECASE), read_words("almost certain").probability, False),
    # "a 42% decline is also anticipated for the year": a passive expectation of a thing, as "is expected".
    (re.compile(r"\b(?:is|are)\s+(?:also\s+|now\s+|widely\s+)?anticipated\b", re.IGNORECASE), FIGURE_FORECAST_PROBABILITY, False),
)


def phrase_cue(text: str) -> tuple[str, float, bool] | None:
    """(cue as written, probability, borderline) for the first of PHRASE_CUES in the text, or None."""
    found = [(match.start(), match, probability, borderline) for pattern, probability, borderline in PHRASE_CUES
             for match in [pattern.search(text)] if match]
    if not found:
        return None
    _, match, probability, borderline = min(found, key=lambda one: one[0])
    return " ".join(match.group(0).split()), probability, borderline


def read_cue(text: str):
    """(cue, probability, whether it is an intent) for a piece of text, or None if it carries no cue."""
    not_excluded = NOT_EXCLUDED.search(text)
    if not_excluded:
        return " ".join(not_excluded.group(0).split()), NOT_EXCLUDED_PROBABILITY, False
    not_expected = NOT_HOLDING_BREATH.search(text)
    if not_expected:
        return " ".join(not_expected.group(0).split()), NOT_EXPECTED_PROBABILITY, False
    number = stated_number(text)
    if number:
        return number[0], number[1], False
    phrase = phrase_cue(text)
    if phrase:
        return phrase
    reading = find_cue(text)
    if reading and reading.basis.startswith("intent:"):
        reading = next((r for r in find_cues(text) if not r.basis.startswith("intent:")), reading)
    if reading:
        return (*until_reading(text, reading), reading.basis.startswith("intent:"))
    verb = figure_forecast(text)
    if verb:
        return verb, FIGURE_FORECAST_PROBABILITY, False
    return None


def until_reading(text: str, reading) -> tuple[str, float]:
    """(cue, probability); a cue turned over by 'not … until' keeps 'until' so the scale does not read it back."""
    probability = not_until(text, reading.cue, reading.probability)
    return (reading.cue if probability == reading.probability else f"{reading.cue} … until"), probability


def not_until(text: str, cue: str, probability: float) -> float:
    """'would not leave until ...' claims the staying: the probability of the cue without its negation."""
    if not (statements.NOT_UNTIL.search(text) and statements.NEGATED_CUE.search(cue)):
        return probability
    words = re.sub(r"won['’]t", "will", cue)
    words = re.sub(r"\s+not\b|n['’]t\b", "", words)
    try:
        return read_words(words).probability
    except LedgerError:
        return probability


# "2016 is not going to be any better than 2015": the claim is a bound, "2016 is at most as good as 2015",
# said with the confidence of the negated cue's complement; stated so, it needs no negation.
NEGATED_COMPARATIVE = re.compile(
    r"\b(?P<verb>is|are|was|were)\s+(?:not|never)\s+(?:going\s+to\s+be\s+)?any\s+(?P<comparative>"
    r"better|worse|higher|lower|bigger|smaller|larger|stronger|weaker|faster|slower|cheaper|easier|harder)\s+than\b",
    re.IGNORECASE,
)
BASE_OF_COMPARATIVE = {"better": "good", "worse": "bad", "higher": "high", "lower": "low", "bigger": "big", "smaller": "small",
                       "larger": "large", "stronger": "strong", "weaker": "weak", "faster": "fast", "slower": "slow",
                       "cheaper": "cheap", "easier": "easy", "harder": "hard"}


def for_the_event(text: str, cue: str, probability: float | None, statement: str) -> tuple[float | None, str, str]:
    """(probability, statement, cue) with the statement made positive and the probability made the event's.

    When the probability is turned over, the cue takes the negation as written ("more likely than not …
    will not"): the words alone would be read back by the likelihood scale at the unturned probability.
    """
    comparative = NEGATED_COMPARATIVE.search(statement)
    if probability is not None and comparative and statements.NEGATED_CUE.search(cue):
        base = BASE_OF_COMPARATIVE[comparative.group("comparative").lower()]
        bound = f"{comparative.group('verb')} at most as {base} as"
        return (round(1 - probability, 4), statement[: comparative.start()] + bound + statement[comparative.end():],
                f"{cue} … any {comparative.group('comparative')} than")
    negated_cue = probability is not None and statements.NEGATED_CUE.search(cue)
    bound = NEGATED_BOUND.search(statement)
    if negated_cue and bound:
        # "temperatures won't drop below 75F": the claim is that they stay at or above it.
        head = re.sub(r"(?:\s+(?:will|would|won['’]t|wouldn['’]t|does|do|doesn['’]t|don['’]t|not|never|hardly))+\s*$", " ", statement[: bound.start()])
        stays = "stay" if is_plural(head) else "stays"
        side = "above" if bound.group("verb").lower().startswith(("drop", "fall", "fell", "dip", "sink", "slip")) else "below"
        return (round(1 - probability, 4), f"{head}{stays} at or {side}{statement[bound.end():]}",
                f"{cue} … {bound.group(0)}")
    corrected = NOT_BUT.match(statement)
    if negated_cue and corrected:
        # "Most won't be daily highs but night-time lows": the claim is the second, the first is what it corrects.
        subject = corrected.group("subject")
        verb = "are" if is_plural(subject) or subject.lower() in ("most", "many", "some", "all") else "is"
        return round(1 - probability, 4), f"{subject} {verb} {corrected.group('claim')}", f"{cue} … but"
    # "appears virtually certain to miss": the frame is the cue, not part of the event.
    statement = re.sub(r"\s+(?:appears?\s+|seems?\s+|looks?\s+|is\s+|are\s+)?(?:virtually|all\s+but|practically)\s+certain\s+to\s+([a-z]+)",
                       lambda m: f" {m.group(1) if is_plural(statement[: m.start()]) else third_person(m.group(1))}", statement)
    missed = MISSES.search(statement)
    if probability is not None and missed and not negated_cue:
        # "virtually certain to miss its deadline": the event is meeting it, at the complement.
        verb = "meet" if missed.group("miss") else missed.group("verb")
        verb = verb if is_plural(statement[: missed.start()]) else third_person(verb)
        return round(1 - probability, 4), f"{statement[: missed.start()]}{verb} {statement[missed.end():]}", f"{cue} … {missed.group(0).strip()}"
    negation = statements.negated_claim(text, cue) if probability is not None else None
    if negation is None:
        return probability, statement, cue
    return round(1 - probability, 4), statements.positive(statement), f"{cue} … {negation}"


NEGATED_BOUND = re.compile(r"\b(?P<verb>(?:drop|fall|dip|sink|slip)s?\s+below|(?:rise|climb)s?\s+above|exceeds?)\b", re.IGNORECASE)
NOT_BUT = re.compile(r"(?P<subject>.+?)\s+(?P<verb>is|are|will\s+be|won['’]t\s+be|will\s+not\s+be)\s+(?P<corrected>[^,;]+?)\s+but\s+(?P<claim>[^,;]+)$")
MISSES = re.compile(r"\b(?:(?P<miss>miss(?:es)?)(?=\s+(?:(?:its|the|their|his|her|a|an)\s+)?(?:[\w-]+\s+)?(?:deadlines?|targets?|goals?|window|estimates?|expectations|forecasts?)\b)"
                    r"|fail(?:s)?\s+to\s+(?P<verb>reach|meet|win|make|hit|get|pass|secure))\s+", re.IGNORECASE)


FIGURE_IN_PLACE = re.compile(r"\d+(?:\.\d+)?\s?(?:%|percent|per cent)(?:\s+[a-z]+){0,5}?\s+in\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*")
# "... would only be possible after negotiators agree": a condition the event needs, not a second forecast.
NECESSARY_CONDITION = re.compile(r"\bonly\s+(?:be\s+)?(?:possible|happen|come|take\s+place|go\s+ahead)\s+(?:after|if|when|once|with)\b", re.IGNORECASE)
CLAUSE_SPLIT = re.compile(r",\s+(?:while|but|whereas|and)\s+|;\s+|\s+while\s+|,\s+(?:with|though|although)\s+"
                          r"|,\s+(?:noting|adding|warning|predicting)\s+(?:that\s+)?")  # "..., noting the virus could spread": a second claim


def clauses(sentence: str) -> list[tuple[int, str]]:
    pieces, start = [], 0
    for match in CLAUSE_SPLIT.finditer(sentence):
        pieces.append((start, sentence[start:match.start()]))
        start = match.end()
    pieces.append((start, sentence[start:]))
    return [(offset, text) for offset, text in pieces if text.strip()]


def candidates_of(sentence: str, speaker: Speaker, published_on: date | None, speaker_at=None) -> list[Candidate]:
    """The forecasts in one sentence: one per clause with its own cue, or per period when one cue covers two."""
    whole = candidate(sentence, speaker, published_on)
    if whole is None or whole.probability is None:
        return [whole] if whole else []
    body = without_dateline(sentence)
    pieces = clauses(body)
    found: list[Candidate] = []
    for offset, clause in pieces:
        cue = None if found and NECESSARY_CONDITION.search(clause) else read_cue(clause)
        dated = [d for d in (find_deadlines(clause, published_on) if published_on else [])
                 if not WHEN_SAID.match(d[0].strip())]
        if cue is None:
            # "... in 2011, and by 1.3 million in 2012": the same forecast again, for another period.
            if found and dated and dated[0][1] != found[-1].resolve_by:
                found.append(replace(found[-1], deadline_phrase=dated[0][0], resolve_by=dated[0][1],
                                     statement=draft_statement(clause, found[-1].cue, None)))
            continue
        if found and re.match(r"(?:could|may|might|will|would|should|can|is|are|was|were)\b", clause.strip(), re.IGNORECASE):
            # "Readings should drop in the fall, but could rise by the end of the year": the same subject.
            previous = pieces[pieces.index((offset, clause)) - 1][1]
            at = previous.lower().find(found[-1].cue.split()[0].lower())
            if at > 0:
                clause = previous[:at] + clause.strip()
        who = speaker_at(offset + max(0, clause.find(cue[0].split()[0]))) if speaker_at and found else None
        who = who or speaker
        condition = find_condition(clause)
        probability, statement, cue_words = for_the_event(clause, cue[0], cue[1], draft_statement(clause, cue[0], condition))
        one = replace(whole, speaker=who.name, speaker_kind=who.kind, cue=cue_words, probability=probability, borderline=cue[2],
                      deadline_phrase=dated[0][0] if dated else None, resolve_by=dated[0][1] if dated else None,
                      statement=statement, condition=condition or whole.condition)
        # Two periods joined by "and" under one cue are two forecasts ("GDP to expand 6.4% this year and
        # unemployment to drop to 4% by the end of the year"; "peak ..., drop to 8% in the last quarter of
        # 2023 and reach the target in 2025").
        found.append(one)
        # "could fall up to 20% in Northville, 11% in Southport and 9% in Eastham": one forecast per place.
        items = list(FIGURE_IN_PLACE.finditer(one.statement))
        if len(items) >= 2 and all(re.fullmatch(r",?\s*(?:and\s+)?", one.statement[a.end():b.start()])
                                   for a, b in zip(items, items[1:])):
            first, last = items[0], items[-1]
            head, tail = one.statement[: first.start()], one.statement[last.end():]
            found[-1] = replace(one, statement=f"{head}{first.group(0)}{tail}")
            found += [replace(one, statement=f"{head}{item.group(0)}{tail}") for item in items[1:]]
        for first, second in zip(dated, dated[1:]):
            between = clause[first[2] + len(first[0]): second[2]]
            joined = re.search(r"\s+(?:and|before)\s+", between)  # "cool this year before heating up next year"
            if not joined or "," in between or re.search(r"\bbetween\s+$", clause[: first[2]]):
                continue  # "between 2011 and 2012" is one span
            cut = first[2] + len(first[0]) + joined.start()
            lead_end = clause.lower().find(cue[0].split()[0].lower())
            lead = clause[: lead_end + len(cue[0])] if lead_end >= 0 else ""
            rest = base_verb_first(clause[cut + len(joined.group(0)):])
            if found[-1] is one:
                found[-1] = one = replace(one, statement=draft_statement(clause[:cut], cue[0], condition))
            # "predicts that Apple will release one phone this year and that it will go into production in
            # August": a second that-clause with its own subject and modal is a claim of its own.
            rest = re.sub(r"^that\s+", "", rest)
            own = re.match(r"(?:[\w'’-]+\s+){1,4}?(?:will|would|could|may|might|should|can)\b", rest)
            second_clause = draft_statement(rest if own else f"{lead} {rest}", cue[0], condition)
            found.append(replace(one, deadline_phrase=second[0], resolve_by=second[1], statement=second_clause))
        # "expects GDP to expand 6.4% and the unemployment rate to drop to 4%": two forecasts, one verb.
        if re.match(r"(?i)expect|predict|forecast|see", cue[0]) and found[-1] is one:
            at = clause.lower().find(cue[0].split()[0].lower())
            pair = re.search(r"\s+and\s+(?=(?:the\s+|a\s+|its\s+)?[\w'’ -]{1,50}?\s+to\s+[a-z]+\b)", clause[at:]) if at >= 0 else None
            if pair:
                cut = at + pair.start()
                lead = clause[: at + len(cue[0])]
                found[-1] = one = replace(one, statement=draft_statement(clause[:cut], cue[0], condition))
                found.append(replace(one, statement=draft_statement(f"{lead} {clause[at + pair.end():]}", cue[0], condition)))
    if len(found) <= 1:
        return [whole]
    for index, one in enumerate(found):
        if one.resolve_by is None and whole.resolve_by is not None and index == 0:
            found[index] = replace(one, deadline_phrase=whole.deadline_phrase, resolve_by=whole.resolve_by)
        elif one.resolve_by is None and index and found[index - 1].resolve_by is not None:
            # "... between now and 2025, and the average is likely to be 1C above": one time frame for both.
            found[index] = replace(one, deadline_phrase=found[index - 1].deadline_phrase, resolve_by=found[index - 1].resolve_by)
    return found


def base_verb_first(text: str) -> str:
    """'reaching the target' → 'reach the target': a gerund after 'and' continues an infinitive."""
    from ledger.extract import nlp

    text = text.strip().lstrip("“\"‘'")  # '... and “reaching the target”': the quote mark is not the verb
    word = re.match(r"\w+", text)
    if not word or not word.group(0).endswith("ing"):
        return text
    token = nlp.pipeline()(f"they are {text}")[2]  # in a frame that makes the tagger read it as a verb
    return token.lemma_ + text[len(word.group(0)):] if token.tag_ == "VBG" else text


def candidate(sentence: str, speaker: Speaker, published_on: date | None) -> Candidate | None:
    if is_question(sentence) or len(sentence.split()) < 4:
        return None
    number = stated_number(sentence)
    reading = find_cue(sentence)
    if reading and reading.basis.startswith("intent:"):
        # "predicted that sales would stand at ..., as Apple plans to launch": the forecast, not the plan.
        reading = next((r for r in find_cues(sentence) if not r.basis.startswith("intent:")), reading)
    condition = find_condition(sentence)
    phrased_borderline = False
    not_excluded = NOT_EXCLUDED.search(sentence)
    not_expected = NOT_HOLDING_BREATH.search(sentence)
    if not_excluded:
        cue, probability = " ".join(not_excluded.group(0).split()), NOT_EXCLUDED_PROBABILITY
    elif not_expected:
        cue, probability = " ".join(not_expected.group(0).split()), NOT_EXPECTED_PROBABILITY
    elif number:
        cue, probability = number
    elif phrase_cue(sentence):
        cue, probability, phrased_borderline = phrase_cue(sentence)
        reading = None
    elif reading:
        cue, probability = until_reading(sentence, reading)
    elif figure_forecast(sentence):
        cue, probability = figure_forecast(sentence), FIGURE_FORECAST_PROBABILITY
    elif condition and INTENT.search(sentence):
        cue, probability = INTENT.search(sentence).group(0), None
    else:
        return None
    # A modal in an embedded question ("a glimpse of how cities may look") is not a second claim.
    main_clauses = re.sub(r"\b(?:how|whether|what|why|where|when|if)\b[^,.;]*", "", sentence, flags=re.IGNORECASE)
    # "The fact that United will spend ... underlines": what a factive clause presupposes is not claimed.
    main_clauses = re.sub(r"(?i)\bthe\s+fact\s+that\b[^,.;]*", "", TERMS.sub("", PURPOSE.sub("", main_clauses)))
    if reading and not number and reading.cue.lower() in ("likely", "unlikely") and ATTRIBUTIVE_LIKELY.search(sentence):
        reading = next((r for r in find_cues(sentence) if r.cue.lower() not in ("likely", "unlikely")), None)
        if reading is None:
            return None
        cue, probability = until_reading(sentence, reading)
    if OVERTAKEN.search(sentence):
        return None
    if INTERPRETIVE.search(sentence) and len(MODAL.findall(main_clauses)) <= 1:
        return None
    if reading and not number and reading.cue.split()[0].lower() in ("will", "would", "may", "might", "could", "can", "should", "possibly") \
            and find_cue(main_clauses) is None:
        if not figure_forecast(main_clauses):
            return None  # the only cue is in an embedded question ("had to assess how much prices would rise")
        reading, cue, probability = None, figure_forecast(main_clauses), FIGURE_FORECAST_PROBABILITY
    if COUNTERFACTUAL.search(sentence) or NOT_FORECAST.search(sentence) or ANAPHORIC_CLAIM.search(sentence):
        return None
    deadline = deadline_of(without_dateline(sentence), published_on, cue) if published_on else None
    statement = draft_statement(without_dateline(sentence), cue, condition)
    probability, statement, cue = for_the_event(sentence, cue, probability, statement)
    return Candidate(
        sentence=sentence,
        speaker=speaker.name,
        speaker_kind=speaker.kind,
        cue=cue,
        probability=probability,
        deadline_phrase=deadline[0] if deadline else None,
        resolve_by=deadline[1] if deadline else None,
        statement=statement,
        condition=condition,
        kind="conditional" if condition else "forecast",
        borderline=probability is None or bool(reading and not number and reading.basis.startswith("intent:"))
        or bool(OWN_INTENT.search(sentence)) or bool(SCHEDULE.search(sentence) and not number) or phrased_borderline,
    )


# "there's a 60% chance that will be the case": the event is named in another clause, so the rules can state
# neither it nor which way the number points; dropped rather than guessed.
ANAPHORIC_CLAIM = re.compile(r"\b(?:that|this|which|it)\s+(?:will|would|could|may|might|is\s+going\s+to)\s+(?:not\s+)?(?:be|prove)\s+(?:to\s+be\s+)?the\s+case\b", re.IGNORECASE)
# "Live coverage will begin at 8:15 p.m.", "It will mark the sixth mission": a schedule or a milestone stated
# as fact, not a judgement of how likely something is.
SCHEDULE = re.compile(
    r"\bwill\s+(?:begin|start|air|open|close|take\s+place|be\s+held|be\s+broadcast|be\s+streamed)\s+at\s+\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)"
    r"|\bwill\s+mark\s+the\s+(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\b",
    re.IGNORECASE,
)
# "Trump said he would keep tariffs", "We will not raise rates": the actor on their own action is a plan.
OWN_INTENT = re.compile(
    r"\b(?:said|says|saying|adding|added|told\s+\S+|announced|vowed|promised|pledged|insisted)\s+(?:that\s+)?(?:he|she|they|we|I)\s+(?:would|will|plans?|intends?|wants?)\b"
    r"|^[\"“]?(?:We|I)\s+(?:will|are\s+going\s+to|plan\s+to|intend\s+to)\b")
