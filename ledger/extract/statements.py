"""A draft statement made resolvable: the positive event, in the third person, no hedge, the deadline written in."""

from __future__ import annotations

import re
from datetime import date

MAX_WORDS = 25
# "would not leave until the hostages are freed" claims the staying; it is kept as said (see negated_until).
NOT_UNTIL = re.compile(r"\bnot\s+\w+(?:\s+\w+){0,6}?\s+(?:until|before|unless)\b|n['’]t\s+\w+(?:\s+\w+){0,6}?\s+(?:until|before)\b", re.IGNORECASE)
NEGATED_CUE = re.compile(r"(?<!than\s)\bnot\b|n['’]t\b|\bnever\b|\bhardly\b|\bscarcely\b|\bno\s+longer\b|\bruled?\b|\brul(?:es|ing)\s+out\b|\breject|\bdismiss", re.IGNORECASE)
PRONOUN_START = re.compile(r"^(?P<pronoun>(?i:I|We|You|He|She|It|They|This|That|These|Those|Its|His|Her|Their|Our|My)|[Tt]hem|[Hh]im|[Uu]s|[Mm]e)\b\s*(?P<rest>.*)$", re.DOTALL)
# "expects them to rise": the object of the speaker's verb is never the speaker; as the claim's subject it
# takes the subject case and stands for something the rules cannot name.
SUBJECT_CASE = {"them": "They", "him": "He", "us": "We", "me": "I"}
# "It is likely that X", "It seems likely that X", "We feel X", "I don't think X": the claim is X.
FRAMES = re.compile(
    r"^(?:it\s+(?:won['’]t|will\s+not)\s+be\s+long\s+(?:until|before)\s+|there\s+is\s+(?:a\s+|an\s+)?(?:\w+\s+){0,2}(?:chance|likelihood|probability|possibility|risk)\s+(?:that\s+)?|it\s+(?:is|was|seems|looks|appears)\s+(?:\w+\s+)?(?:likely|unlikely|possible|probable|certain|inevitable|clear|wrong\s+to\s+expect|"
    r"expected|set|going)\s+(?:that\s+)?|"
    r"(?:i|we|you)\s+(?:\w+ly\s+)?(?:(?:will|would|could|may|might)\s+(?:\w+ly\s+)?)?(?:(?:do|did)(?:\s+not|n['’]t)\s+)?(?:think|believe|expect|feel|see|reckon|suspect|anticipate|predict|"
    r"are\s+confident|am\s+confident|must\s+\w+\s+face\s+the\s+possibility|are\s+going\s+with|area\s+going\s+with|have\s+it\s+in)\s+(?:that\s+)?)",
    re.IGNORECASE,
)
HEDGES = re.compile(
    r"\s+(?:likely|probably|possibly|perhaps|potentially|almost\s+certainly|certainly|definitely|eventually|also|well)(?=\s)",
    re.IGNORECASE,
)
TAIL_REPORT = re.compile(
    r",?\s+(?:[^,]{0,80}?\s)?(?:said|says|told|tells|added|adds|warned|noted|predicted|reports?|wrote|according\s+to|(?:was|were)\s+quoted)\b.*$",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(r",\s+(?:which|who|but|while|although|though|with|calling|adding|as|a\s+day|after|before|and\s+that)\b|;\s+|\s+[-–—]+\s+|\.\s+")


# A negation of the claim's own verb after a cue that is not negated ("it is more likely than not that
# they will not reach a deal", "he said there will be no more extensions"): the cue's probability is for
# the event not happening.
NEGATED_CLAIM = re.compile(
    r"\b(?:will|would|could|can|is|are|was|were|does|do|did|to|be)\s+(?:not|never)\b(?!\s+only\b)"
    r"|\b(?:won|wouldn|can|isn|aren|doesn|don|didn)['’]t\b|\bcannot\b|\bbe\s+no\b",
    re.IGNORECASE,
)


def negated_claim(text: str, cue: str) -> str | None:
    """The negation of the claim after a positive cue, as written ('will not'), or None (not 'not only', not 'not ... until')."""
    if NEGATED_CUE.search(cue) or NOT_UNTIL.search(text):
        return None
    at = text.lower().find(cue.split(" … ")[0].lower())
    if at < 0:
        return None
    after = text[at + len(cue.split(" … ")[0]):]
    # The claim's own verb comes before any subordinate clause ("students who do not have symptoms").
    after = re.split(r"[,;]|\.\s|\b(?:who|which|whose|as|because|when|while|if|unless|but|and|after|before|since|so)\b",
                     after, flags=re.IGNORECASE)[0]
    negation = NEGATED_CLAIM.search(" ".join(after.split()[:10]))
    return negation.group(0) if negation else None


def positive(statement: str) -> str:
    """'talks do not happen' → 'talks happen': the event itself; the probability says how likely it is."""
    statement = re.sub(r"\b(there\s+(?:is|are|will\s+be|would\s+be))\s+no\s+", r"\1 ", statement, flags=re.IGNORECASE)
    statement = re.sub(r"\b(is|are|will\s+be|would\s+be)\s+no\s+", r"\1 ", statement, flags=re.IGNORECASE)
    text = re.sub(r"\bdoes(?:\s+not|n['’]t)\s+([a-z]+)\b", lambda m: third_person(m.group(1)), statement)
    text = re.sub(r"\b(?:do|did)(?:\s+not|n['’]t)\s+", "", text)
    text = re.sub(r"\b(is|are|was|were|has|have|will|would|can|could)(?:\s+not|n['’]t)\b", r"\1", text)
    text = re.sub(r"\bwon['’]t\s+([a-z]+)\b", lambda m: m.group(1) if is_plural_noun(text[: m.start()]) else third_person(m.group(1)), text)
    text = re.sub(r"\b(?:won['’]t)\b", "will", text)
    text = re.sub(r"\bnot\s+", "", text)
    text = re.sub(r"\b(?:never|hardly|scarcely|no\s+longer)\s+", "", text)
    # Words that only live under a negation: "not any better" → "better", "not yet" → "", "not ever" → "".
    text = re.sub(r"\bany\s+(?=(?:better|worse|more|less|longer|higher|lower|further|sooner|later|easier|harder)\b)", "", text)
    text = re.sub(r"\b(?:yet|ever|at\s+all)\s+", "", text)
    return text


def is_plural_noun(phrase: str) -> bool:
    head = phrase.split()[-1].lower() if phrase.split() else ""
    return head.endswith("s") and not head.endswith(("ss", "us", "is"))


def third_person(verb: str) -> str:
    """'raise' → 'raises', 'go' → 'goes', 'carry' → 'carries'."""
    irregular = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if verb in irregular:
        return irregular[verb]
    if re.search(r"(?:s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


DEMONSTRATIVE_PRONOUN = re.compile(r"(?:is|was|are|were|will|would|could|may|might|should|means?|shows?|has|have|had|makes?|leads?|puts?|comes?)\b", re.IGNORECASE)


# "It will rain", "it could take years": an expletive "it" stands for nothing and is kept.
EXPLETIVE_IT = re.compile(
    r"^(?:rains?|snows?|sleets?|hails?|pours?|drizzles?|takes?\b|(?:is|was|will\s+be|would\s+be)(?:\s+not)?\s+(?:\w+\s+){0,2}?(?:to|that|before|until|for\s+\S+(?:\s+\S+)?\s+to)\b)",
    re.IGNORECASE)


def referent(pronoun: str, speaker: str, speaker_kind: str, previous_subject: str | None, rest: str = "") -> str | None:
    lower = pronoun.lower()
    if lower == "it" and EXPLETIVE_IT.match(rest):
        return None
    if lower in ("i", "he", "she", "his", "her", "my") and speaker_kind == "person":
        return speaker
    if lower in ("we", "our"):
        return speaker if speaker_kind in ("organisation", "group", "person") else None
    if lower in ("they", "their"):
        # "Jane Roe said they will ...": a person is not "they"; a group or an organisation is.
        return speaker if speaker_kind in ("organisation", "group") else previous_subject
    if lower in ("it", "its"):
        return speaker if speaker_kind == "organisation" and not previous_subject else previous_subject
    return previous_subject


# "He summed up that he believed that 2016 ...": the reporting is not part of the claim.
LEADING_REPORT = re.compile(
    r"^(?:[\w.'’&-]+\s+){0,6}?(?:said|says|believes?|believed|thinks?|thought|expects?|expected|predicts?|predicted|"
    r"warns?|warned|(?:is|are|was|were)\s+(?:now\s+)?(?:warning|predicting|forecasting|saying|expecting)|argues?|argued|summed\s+up|added|noted|told\s+\w+|estimates?|estimated|forecasts?|projects?|projected|"
    r"reckons?|suggests?|suggested|agrees?|agreed|insists?|insisted|claims?|claimed|stressed|explained|concluded)"
    r"(?:\s+(?:today|yesterday|on\s+\w+day|\w+day|last\s+week|this\s+week))?\s+(?:that\s+|(?=(?:he|she|they|it|we)\s))",
    re.IGNORECASE,
)


# "The company said it will cut jobs": the pronoun after a reporting verb stands for that verb's subject.
REPORTER = re.compile(
    r"(?:^|(?<=, ))(?P<subject>(?:the|a|an|The|A|An)\s+[a-z]+(?:\s+[a-z]+)?|(?:[A-Z][\w&'’.-]*\s+){0,3}[A-Z][\w&'’.-]*)\s+"
    r"(?:said|says|expects?|believes?|thinks?|warned|warns|predicts?|announced)\s+(?:that\s+)?(?P<pronoun>it|they)\s+(?:will|would|could|may|might|expects?|plans?|is|are)\b"
)


# "The bank said inflation would ease": a speaker named by description, then what it said.
DESCRIBED_REPORTER = re.compile(
    r"^(?:the|a|an)\s+(?:[a-z][\w'’-]*\s+){0,2}(?:said|says|added|noted|warned|warns|told\s+\w+|expects|predicts|believes)\s+(?:that\s+)?",
    re.IGNORECASE)


# "The minister ruled out a snap election before the summer": the event is the snap election.
EXCLUDED = re.compile(
    r"\b(?:rul(?:e|ed|es|ing)\s+out|reject(?:ed|s|ing)?|dismiss(?:ed|es|ing)?)\s+(?:the\s+)?(?:(?:possibility|prospect|idea|chance)\s+(?:of\s+|(?P<that>that\s+))?)?(?P<event>.+)$",
    re.IGNORECASE,
)


def excluded_event(text: str) -> str | None:
    match = EXCLUDED.search(text)
    if not match:
        return None
    event = match.group("event").strip()
    if match.group("that"):
        return event  # "rejected the possibility that rates rise": already a clause
    event = re.sub(r"^(?:any|a|an)\s+(?=\w)", lambda m: "A " if m.group(0).lower().startswith("a") else "", event, count=1)
    if re.match(r"(?i)(?:\w+\s+){0,4}(?:will|would|could|is|are|was|were)\b", event):
        return event  # already a clause
    words = event.split()
    if words and words[0].lower().endswith("ing"):
        return event  # "raising rates": kept as the speaker put it
    # A noun phrase, then whatever time phrase came with it.
    noun, rest = re.match(r"(.+?)((?:\s+(?:before|by|in|within|until|this|next|during)\b.*)?)$", event).groups()
    return f"{noun} takes place{rest}"


SAYING = re.compile(r"^[^\"“]{0,160}?,\s+(?:saying|adding|arguing|noting|warning|predicting)\s+(?:that\s+)?", re.IGNORECASE)
PLURAL_FORMS = {"is": "are", "has": "have", "does": "do", "was": "were"}


def agree(subject: str, rest: str) -> str:
    """'prices' + 'reaches $60' → 'prices reach $60': the verb follows the noun that replaced a pronoun."""
    words = rest.split(" ", 1)
    head = subject.split()[-1].lower() if subject.split() else ""
    plural = head in ("they", "we", "you", "i") or head.endswith("s") and not head.endswith(("ss", "us", "is"))
    if not plural or not words:
        return rest
    verb = words[0]
    if verb.lower() in PLURAL_FORMS:
        verb = PLURAL_FORMS[verb.lower()]
    elif re.fullmatch(r"[a-z]+ies", verb):
        verb = verb[:-3] + "y"
    elif re.fullmatch(r"[a-z]+(?:ch|sh|x|ss|z|o)es", verb):
        verb = verb[:-2]
    elif re.fullmatch(r"[a-z]+[^s]s", verb):
        verb = verb[:-1]
    return " ".join([verb, *words[1:]])


def finish(statement: str, *, cue: str, speaker: str, speaker_kind: str, previous_subject: str | None,
           resolve_by: date | None, deadline_phrase: str | None) -> str:
    """The draft cut to one resolvable claim of at most about 25 words, its deadline written in."""
    text = " ".join(statement.split())
    for _ in range(3):
        text = LEADING_REPORT.sub("", SAYING.sub("", FRAMES.sub("", text).strip()).strip()).strip()
        text = DESCRIBED_REPORTER.sub("", text).strip()
    possibility = re.search(r"(?i)\b(?:possibility|prospect)\s+(?P<link>for|of|that)\s+(?P<event>.+)$", text)
    if re.search(r"(?i)\b(?:rul|reject|dismiss)", cue) and excluded_event(text):
        text = excluded_event(text)
    elif re.search(r"(?i)holding\s+\w+\s+breath", cue) and re.search(r"(?i)\bbreath\s+for\s+\S", text):
        # "isn't holding his breath for a polling surprise" → "A polling surprise takes place".
        text = excluded_event("ruled out " + re.split(r"(?i)\bbreath\s+for\s+", text, maxsplit=1)[1]) or text
    elif re.search(r"(?i)possibility|prospect", cue) and possibility:
        # "opened a possibility for the leader to attend the summit" → "The leader attends the summit".
        text = possibility.group("event")
        infinitive = re.match(r"(?P<subject>.+?)\s+to\s+(?P<verb>[a-z]+)\b(?P<rest>.*)", text)
        if possibility.group("link") == "for" and infinitive:
            verb = infinitive.group("verb") if is_plural_noun(infinitive.group("subject")) else third_person(infinitive.group("verb"))
            text = f"{infinitive.group('subject')} {verb}{infinitive.group('rest')}"
    elif NEGATED_CUE.search(cue) and not NOT_UNTIL.search(text):
        text = positive(text)
    text = TAIL_REPORT.sub("", text) or text
    text = HEDGES.sub("", text)
    cut = CLAUSE_BREAK.search(text)
    if cut and len(text[: cut.start()].split()) >= 3:
        text = text[: cut.start()]
    match = PRONOUN_START.match(text)
    if match and match.group("pronoun").lower() in ("this", "that", "these", "those") and not DEMONSTRATIVE_PRONOUN.match(match.group("rest")):
        match = None  # "This year's season": a determiner, not a pronoun
    if match and match.group("pronoun").lower() in SUBJECT_CASE:
        pronoun = SUBJECT_CASE[match.group("pronoun").lower()]
        text = f"{pronoun} {agree(pronoun, match.group('rest'))}".strip()
        match = None
    if match:
        name = referent(match.group("pronoun"), speaker, speaker_kind, previous_subject, match.group("rest"))
        possessive = match.group("pronoun").lower() in ("its", "his", "her", "their", "our", "my")
        if not name or name == "the article":
            name = "The forecasters" if match.group("pronoun").lower() in ("we", "i", "our", "my") else None
        if name:
            rest = match.group("rest") if possessive else agree(name, match.group("rest"))
            text = f"{name}{'’s' if possessive else ''} {rest}".strip()
    text = re.sub(r"\b(is|are|was|were)\s+going\s+to\s+be\b", r"\1", text)
    undated = None
    if deadline_phrase and resolve_by and not text.lower().startswith(deadline_phrase.lower()):
        # The deadline is written in as a date; a phrase that is the subject ("2016 is ...") stays.
        undated = re.sub(rf",?\s*{re.escape(deadline_phrase)}", "", text, flags=re.IGNORECASE).strip(" ,;:.")
        text = undated
    words = text.split()
    if len(words) > MAX_WORDS - (2 if resolve_by else 0):
        text = " ".join(words[: MAX_WORDS - (2 if resolve_by else 0)])
    text = text.strip(" ,;:.")
    if len(re.findall(r"\w+", text)) < (2 if text == undated else 3):  # "Unemployment rises" (by ...) is a claim
        # Cutting left too little to be a claim: keep the draft as it came, only made shorter.
        draft = " ".join(" ".join(statement.split()).split()[: MAX_WORDS - 2]).strip(" ,;:.")
        text = draft if not PRONOUN_START.match(draft) else text
    if resolve_by:
        text = f"{text} by {resolve_by.isoformat()}"
    if re.match(r"[a-z]+[A-Z]", text):
        return text
    return text[:1].upper() + text[1:]


def starts_with_pronoun(statement: str) -> bool:
    """'They rise', 'It is', 'Their sales': a claim whose subject the rules could not name ('This year's' is a determiner)."""
    match = PRONOUN_START.match(statement)
    if not match:
        return False
    if match.group("pronoun").lower() in ("this", "that", "these", "those"):
        return bool(DEMONSTRATIVE_PRONOUN.match(match.group("rest")))
    return True
