"""Who made a claim: the subject of a reporting or cognition verb in the dependency parse, by kind."""

from __future__ import annotations

import re
from dataclasses import dataclass

PERSON, ORGANISATION, GROUP, NEWSROOM, UNATTRIBUTED = "person", "organisation", "group", "newsroom", "unattributed"

# Verbs whose subject is the one who holds the view ("X expects", "X warned", "X puts her at 52 %").
REPORTING = {
    "say", "tell", "expect", "predict", "forecast", "warn", "believe", "see", "think", "estimate", "project",
    "anticipate", "add", "note", "argue", "caution", "suggest", "reckon", "claim", "insist", "state", "write",
    "explain", "agree", "fear", "doubt", "assume", "conclude", "announce", "report", "stress", "emphasize",
    "emphasise", "acknowledge", "calculate", "guess", "bet", "assign", "put", "give", "rule", "reject", "dismiss",
    "downplay", "indicate", "signal", "forecast", "envisage", "envision", "foresee", "price", "project",
    "predict", "concede", "admit", "maintain", "contend", "tip", "favour", "favor", "rate", "call", "summarize",
    "summarise", "told", "confirm", "hope", "plan", "caution", "observe", "remark", "point", "sum", "echo",
    "understand", "feel", "know", "worry", "question", "tweet", "post", "testify", "describe", "cite", "quote", "peg", "place",
}
GROUP_NOUNS = {
    "observer", "analyst", "expert", "economist", "official", "trader", "investor", "critic", "source", "diplomat",
    "insider", "forecaster", "pundit", "commentator", "strategist", "scientist", "researcher", "pollster", "market",
    "participant", "people", "delegate", "executive", "manager", "banker", "bookmaker", "bookie", "meteorologist",
    "authority", "leader", "lawmaker", "legislator", "regulator", "policymaker", "member", "voter", "fan",
    "resident", "worker", "consumer", "company", "firm", "supplier", "producer", "analyst", "watcher", "observers",
    "everyone", "many", "some", "most", "others", "all", "few", "player", "team", "staff", "officer", "agency",
}
# A lone role noun stands for the person or organisation named before it ("the minister said").
PERSON_ROLES = {
    "minister", "president", "governor", "chairman", "chairwoman", "chair", "chief", "spokesman", "spokeswoman",
    "spokesperson", "analyst", "expert", "economist", "official", "leader", "head", "director", "executive",
    "secretary", "ceo", "coach", "manager", "professor", "researcher", "scientist", "forecaster", "meteorologist",
    "strategist", "author", "lawmaker", "senator", "ambassador", "envoy", "commissioner", "delegate", "adviser",
    "advisor", "premier", "chancellor", "founder", "mayor", "candidate", "star", "captain", "striker",
}
ORG_ROLES = {
    "company", "bank", "agency", "government", "ministry", "firm", "organisation", "organization", "group", "fund",
    "committee", "council", "department", "administration", "institute", "center", "centre", "office", "board",
    "service", "authority", "association", "union", "body", "regulator", "lab", "laboratory", "team", "club",
    "club", "report", "study", "survey", "model", "poll", "forecast", "outlook", "assessment", "analysis",
    "side", "country", "nation", "state", "kremlin", "fed", "carmaker", "automaker", "maker", "retailer", "airline",
    "insurer", "lender", "producer", "exporter", "operator", "business", "network", "cartel", "bloc", "alliance",
}
# "Intel raised its full-year forecast": whoever revises a forecast holds it.
REVISING = {"raise", "increase", "lift", "cut", "lower", "trim", "reduce", "boost", "hike", "revise", "upgrade", "downgrade", "issue", "publish", "release"}
# "opened a possibility", "isn't holding his breath", "held out little hope": whoever does this to the object holds a view.
VIEW_OBJECTS = {"possibility", "prospect", "breath", "hope"}
FORECAST_NOUNS = {"forecast", "outlook", "guidance", "estimate", "projection", "prediction", "target"}
# A name the model calls a person but that names a body.
ORG_WORDS = re.compile(
    r"\b(?:Organi[sz]ation|Agency|Bank|Institute|Association|Administration|Office|Department|Ministry|Council|Fund|"
    r"Group|Inc|Corp|Corporation|Holdings|Ltd|plc|PLC|Company|University|Lab|Laborator(?:y|ies)|Center|Centre|Service|Commission|Authority|"
    r"Federation|Union|Party|Committee|League|Club|Reserve|Board|Foundation|Bureau|Survey|Capital|Securities|Partners)\b"
)
ACRONYM = re.compile(r"[A-Z][A-Z&]{1,6}")
NOT_SPEAKERS = {"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
TITLES = re.compile(
    r"^(?:(?:former|then|acting|deputy|vice|chief|senior|managing|executive|general|prime|foreign|finance|"
    r"president|minister|governor|chairman|chairwoman|chair|ceo|director|secretary|senator|sen\.|rep\.|dr\.|"
    r"prof\.|professor|mr\.|ms\.|mrs\.|coach|mayor|ambassador|envoy|spokesman|spokeswoman|analyst|economist|"
    r"expert|leader|head|chief|the)\s+)+",
    re.IGNORECASE,
)


EXPERTS = re.compile(r"(?i)expert|analyst|economist|researcher|scholar|professor|strategist|fellow|specialist|scientist")


@dataclass(frozen=True)
class Speaker:
    name: str
    kind: str


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges inside double quotes; a quote closed here but opened earlier starts at 0."""
    spans, start = [], None
    for index, char in enumerate(text):
        if char == "“" or (char == '"' and start is None and not (index > 0 and text[index - 1] in ",.!?")):
            if start is None:
                start = index
        elif char in '"”':
            spans.append((0 if start is None else start, index))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


def inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position <= end for start, end in spans)


def inverted_subject(verb):
    """', cautioned Jane Roe, a meteorologist': after a comma or a closing quote, the name after the verb."""
    doc = verb.doc
    if verb.lemma_ == "tell" or verb.i == 0 or doc[verb.i - 1].text not in (",", "”", '"', "—", "–") or any(c.dep_ == "nsubj" and c.i < verb.i for c in verb.children):
        return None
    for child in verb.rights:
        if child.dep_ in ("nsubj", "dobj", "attr") and (child.ent_type_ in ("PERSON", "ORG", "NORP") or (
                child.pos_ == "NOUN" and child.lemma_.lower() in GROUP_NOUNS | PERSON_ROLES)):
            return child
    return None


def subject_of(verb):
    """The nsubj of a verb, climbing conjunctions and 'X told reporters ... and added'.

    The subject of a passive ("Dorian is forecast to", "City are priced at 8/11") is what is expected,
    never who expects it; the agent ("by the bookmaker") is.
    """
    inverted = inverted_subject(verb)
    if inverted is not None:
        return inverted
    for token in (verb, *verb.ancestors):
        for child in token.children:
            if child.dep_ == "nsubj":
                return child
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return pobj
        if token.dep_ not in ("conj", "xcomp") or token is verb and verb.dep_ not in ("conj", "xcomp"):
            break
    return None


def opens_quote(verb) -> bool:
    """'The agency "forecasts prices will ..."': a quote that opens at the verb leaves its subject outside it."""
    return verb.i > 0 and verb.doc[verb.i - 1].text in ('"', "“") and any(
        child.dep_ == "nsubj" and child.i < verb.i - 1 for child in verb.children)


def reporting_subjects(doc, cue_start: int | None) -> list:
    """(subject token, verb token) pairs in the narrator's words, the one governing the cue first."""
    spans = quoted_spans(doc.text)
    pairs = []
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            for child in doc[token.i + 1].children:
                if child.dep_ == "pobj":
                    pairs.append((child, token))
            continue
        revises = token.lemma_.lower() in REVISING and any(
            child.dep_ == "dobj" and child.lemma_.lower() in FORECAST_NOUNS for child in token.children) or any(
            child.dep_ == "dobj" and child.lemma_.lower() in VIEW_OBJECTS for child in token.children)
        if token.pos_ not in ("VERB", "AUX") or (token.lemma_.lower() not in REPORTING and not revises):
            continue
        if inside(token.idx, spans) and not opens_quote(token):
            continue
        if any(child.dep_ == "aux" and child.tag_ == "MD" for child in token.children):
            continue  # "Apple could announce a TV": the announcing is the forecast event, not its attribution
        subject = subject_of(token)
        if subject is not None and not inside(subject.idx, spans):
            pairs.append((subject, token))
    if cue_start is None or not pairs:
        return pairs
    cue_token = next((t for t in doc if t.idx >= cue_start), None)

    def governs(pair) -> int:
        verb = pair[1]
        if cue_token is not None and (verb in cue_token.ancestors or verb == cue_token):
            return 0
        return 1 + len(list(verb.ancestors))

    return sorted(pairs, key=governs)


def span_of(token):
    """The words that name a subject: its entity, else its compounds and modifiers with the head."""
    if token.ent_type_ and token.ent_type_ not in NOT_SPEAKERS:
        for ent in token.doc.ents:
            if ent.start <= token.i < ent.end:
                return ent
    keep = [child for child in token.lefts if child.dep_ in ("compound", "amod", "poss", "nmod")]
    start = min([token.i] + [min(t.i for t in child.subtree) for child in keep])
    return token.doc[start: token.i + 1]


def clean(text: str, person: bool = True) -> str:
    text = re.sub(r"[’']s?$", "", text.strip(" ,.\"“”")).strip()
    text = TITLES.sub("", text) if person and len(text.split()) > 1 else text
    return " ".join(text.split())


def at_organisation(token) -> str:
    """' at Goldman Sachs' for 'economists at Goldman Sachs': the organisation a group belongs to."""
    for prep in token.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("at", "of", "from", "with"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and pobj.ent_type_ == "ORG":
                    return f" {prep.text} {span_of(pobj).text}"
    return ""


DOCUMENTS = {"report", "study", "survey", "model", "poll", "forecast", "outlook", "assessment", "analysis"}
PASSING = {"new", "latest", "recent", "first", "last", "other", "same", "former", "current", "next", "own"}


def clean_org_name(text: str) -> str:
    return re.sub(r"^the\s+", "", clean(text, person=False), flags=re.IGNORECASE)


def indefinite_document(token) -> bool:
    """'a new opinion poll': a document introduced with no maker of its own."""
    return any(child.dep_ == "det" and child.lower_ in ("a", "an") for child in token.lefts) and not any(
        child.dep_ in ("compound", "poss", "nmod") and child.ent_type_ == "ORG" for child in token.children)


def organisation_names(doc) -> list[str]:
    """The bodies a sentence names: the model's organisations, and its 'people' named as a body ("Acme Corporation")."""
    return [ent.text for ent in doc.ents if ent.label_ == "ORG" or ent.label_ == "PERSON" and ORG_WORDS.search(ent.text)]


class Speakers:
    """Turns the subjects of reporting verbs into forecasters, remembering who spoke last."""

    def __init__(self, docs, default: Speaker, known_people=(), roles=None):
        self.docs = list(docs)
        self.default = default
        self.last_person: Speaker | None = None
        self.last_org: Speaker | None = None
        self.last: Speaker | None = None
        self.groups: list[Speaker] = []  # groups named with their qualifier ("US officials")
        self.people = self._people(self.docs)
        self.descriptions = {name: description for name, (_, description) in dict(known_people).items()}
        self.roles = dict(roles or {})  # full name → the role the parse found beside it (ledger.extract.roles)
        for full in known_people:
            parts = full.split()
            if len(parts) >= 2:
                self.people.setdefault(parts[-1], full)
                self.people.setdefault(parts[0], full)
        self.position = 0
        self.orgs = [text for doc in docs for text in organisation_names(doc)]

    @staticmethod
    def _people(docs) -> dict[str, str]:
        """Surname → full name, from the PERSON entities of the whole article."""
        names: dict[str, str] = {}
        for doc in docs:
            for ent in doc.ents:
                if ent.label_ != "PERSON":
                    continue
                full = clean(ent.text)
                parts = full.split()
                if len(parts) >= 2 and parts[-1] not in names:
                    names[parts[-1]] = full
                    names.setdefault(parts[0], full)
        return names

    def remember(self, speaker: Speaker) -> Speaker:
        if speaker.kind == PERSON:
            self.last_person = speaker
        elif speaker.kind in (ORGANISATION, GROUP):
            self.last_org = speaker
            if speaker.kind == GROUP and " " in speaker.name:
                self.groups.append(speaker)
        self.last = speaker
        return speaker

    def of_sentence(self, doc, cue_start: int | None, quote_speaker: Speaker | None,
                    phrase: tuple[int, str, bool] | None = None) -> Speaker | None:
        """The speaker a sentence names, or None when it names none.

        `phrase` is what a pattern over the words found (position, words, whether it is a tail such as
        ', projects analyst Gene Munster.'): the small model misparses some of these, so a tail wins and
        a phrase fills in when the parse finds no subject.
        """
        self.position = next((i for i, d in enumerate(self.docs) if d is doc), self.position)
        if phrase and phrase[2]:
            speaker = self.of_phrase(doc, phrase, quote_speaker)
            if speaker is not None:
                return self.remember(speaker)
        cited = [child for token in doc if token.lower_ == "citing" and token.dep_ in ("advcl", "xcomp", "conj")
                 for child in token.children if child.dep_ == "dobj"]
        if cited:
            # "Yonhap reported, citing the intelligence agency": the view is the cited source's.
            speaker = self.of_subject(cited[0], quote_speaker)
            if speaker is not None:
                return self.remember(speaker)
        for subject, verb in reporting_subjects(doc, cue_start):
            speaker = self.of_subject(subject, quote_speaker)
            if speaker is not None:
                return self.remember(speaker)
        if phrase:
            speaker = self.of_phrase(doc, phrase, quote_speaker)
            if speaker is not None:
                return self.remember(speaker)
        return None

    def of_phrase(self, doc, phrase: tuple[int, str, bool], quote_speaker: Speaker | None) -> Speaker | None:
        start, words, _ = phrase
        end = start + len(words)
        tokens = [t for t in doc if start <= t.idx < end]
        if not tokens:
            return None
        roles = [t.i for t in tokens if t.lemma_.lower() in PERSON_ROLES]
        # Words before a role describe it ("N. Korea expert"); a name after it is the person.
        people = [t for t in tokens if t.ent_type_ == "PERSON" and (not roles or t.i > roles[-1])]
        following = doc[tokens[-1].i + 1] if tokens[-1].i + 1 < len(doc) else None
        if not people and following is not None and following.ent_type_ == "PERSON":
            people = [following]  # "analyst Gene Munster": the role, then the name
        if people:
            return self.of_subject(max(people, key=lambda t: t.i), quote_speaker)
        roots = [t for t in tokens if t.head not in tokens or t.head is t]
        head = next((t for t in reversed(tokens) if t.lemma_.lower() in PERSON_ROLES | GROUP_NOUNS), None) or next(
            (t for t in roots if t.pos_ in ("NOUN", "PROPN", "PRON")), None) or next(
            (t for t in reversed(tokens) if t.pos_ in ("NOUN", "PROPN", "PRON")), None)
        if head is not None:
            return self.of_subject(head, quote_speaker)
        if re.fullmatch(r"[A-Z][\w&.'’-]*", words):
            # "Square forecast revenue of ...": the tagger read the name as an adjective; one capitalised word
            # before a reporting verb is a name, a person's if the article names such a person.
            return Speaker(self.full_name(words), PERSON if words in self.people else ORGANISATION)
        return None

    def of_subject(self, token, quote_speaker: Speaker | None) -> Speaker | None:
        lower = token.lower_
        of_them = any(pobj.lower_ in ("those", "them", "these") for child in token.children
                      if child.dep_ == "prep" and child.lower_ == "of" for pobj in child.children)
        if of_them and self.last_org is not None and self.last_org.kind == GROUP:
            return self.last_org  # "Most of those who said ... expect": some of the group just quoted
        if token.pos_ == "PRON" or lower in ("he", "she", "they", "we", "i", "it"):
            if lower in ("he", "she"):
                return self.last_person_mentioned(token)
            if lower in ("i", "we") and quote_speaker is not None:
                return quote_speaker
            if lower == "it":
                # "it said": an organisation; a group or a person is never "it".
                return self.last_org if self.last_org and self.last_org.kind == ORGANISATION else None
            if lower in ("they", "we"):
                return self.last_org or self.last or (self.own_organisation() if lower == "we" else None)
            if lower == "i":
                return self.last_person
            partitive = any(child.dep_ == "prep" and child.lower_ == "of" for child in token.children)  # "some of the disruptions"
            if lower in ("everyone", "everybody", "many", "most", "others") and not partitive:
                # "Almost everyone agrees", "many expect": a group, with the words that qualify it.
                words = [t for t in token.lefts if t.dep_ in ("advmod", "amod")] + [token]
                return Speaker(" ".join(t.lower_ for t in words), GROUP)
            return None
        if token.ent_type_ in NOT_SPEAKERS or token.dep_ == "poss":
            return None
        for child in token.subtree:
            if child.dep_ == "appos" and child.ent_type_ == "PERSON" and child.i > token.i:
                # "another analyst, Katy Huberty of Morgan Stanley, predicted"; "the chief executive of
                # Northbank, Jane Roe, said": the name in apposition, wherever the parse hangs it.
                token = child
                break
        words = span_of(token)
        label = token.ent_type_
        name = clean(words.text, person=label == "PERSON" or label == "")
        if not name or not re.search(r"[A-Za-z]", name):
            return None
        if (label == "PERSON" or (token.pos_ == "PROPN" and name.split()[-1] in self.people)) and not ORG_WORDS.search(name):
            return Speaker(self.full_name(name), PERSON)
        if label == "PERSON":
            return Speaker(re.sub(r"^the\s+", "", name, flags=re.IGNORECASE), ORGANISATION)  # "World Health Organization"
        if label in ("ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "LAW", "EVENT") and not (
                token.tag_ in ("NNS", "NNPS") and token.lemma_.lower() in GROUP_NOUNS):
            return Speaker(self.long_form(re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)), ORGANISATION)
        lemma = token.lemma_.lower()
        # "most forecasts expect": documents in the plural speak as a group, as their authors would.
        if (token.tag_ in ("NNS", "NNPS") and (lemma in GROUP_NOUNS | DOCUMENTS or lower in GROUP_NOUNS)) or lemma in ("everyone", "people"):
            name = clean("".join((t.text if t.pos_ == "PROPN" or t.ent_type_ else t.lower_) + t.whitespace_ for t in words), person=False)
            name = re.sub(r"^(?:some|many|most|other|several|few|a few|both|all)\s+", "", name, flags=re.IGNORECASE)
            name += at_organisation(token)
            if " " not in name:
                # "Capital Economics' analysts expect ..." then "analysts expect ...": the same ones.
                qualified = [group for group in self.groups if group.name.split()[-1] == name]
                if qualified:
                    return qualified[-1]
            return Speaker(name, GROUP)
        indefinite = any(child.dep_ == "det" and child.lower_ in ("a", "an", "one", "another") for child in token.lefts)
        if lemma in PERSON_ROLES and indefinite:
            # "according to a noted economist" in a lead: the economist the article names further down;
            # "said an OPEC delegate" with none named: an unnamed person described by the role, not the organisation.
            introduced = self.next_person(lemma)
            if introduced is not None:
                return introduced
            described = "".join(t.text_with_ws for t in words if t.dep_ != "det")
            return Speaker(clean(described, person=False), PERSON)
        consensus = lemma in ("median", "average", "consensus", "mean") or (lemma in DOCUMENTS | {"estimate"} and any(
            child.lower_ in ("average", "median", "consensus", "mean") for child in token.lefts))
        groups = [self.last_org] if self.last_org is not None and self.last_org.kind == GROUP else self.groups[-1:]
        if consensus and groups:
            return groups[-1]  # "according to the average forecast", "the median estimate": the group polled
        if lemma in DOCUMENTS and indefinite_document(token):
            # "according to a new opinion poll" then "The latest YouGov poll had ...": the maker named next.
            for doc in [token.doc] + self.docs[self.position + 1:]:
                for later in doc:
                    if later.lemma_.lower() == lemma and (doc is not token.doc or later.i > token.i):
                        makers = [child for child in later.children if child.dep_ in ("compound", "poss", "nmod")
                                  and (child.ent_type_ == "ORG" or child.pos_ == "PROPN" and not child.ent_type_)]
                        if makers:
                            return Speaker(clean_org_name(span_of(makers[0]).text), ORGANISATION)
        if lemma in DOCUMENTS:
            # "a poll of economists", "Bloomberg's survey of economists": the view is the respondents'.
            respondents = [pobj for prep in token.rights if prep.dep_ == "prep" and prep.lower_ == "of"
                           for pobj in prep.children if pobj.dep_ == "pobj" and pobj.tag_ in ("NNS", "NNPS")
                           and pobj.lemma_.lower() in GROUP_NOUNS]
            if respondents:
                return self.of_subject(respondents[0], quote_speaker)
        if lemma in PERSON_ROLES or lemma in ORG_ROLES:
            owner = [child for child in token.children if child.dep_ in ("poss", "compound", "nmod") and child.ent_type_ == "ORG"
                     or child.dep_ == "poss" and child.pos_ == "PROPN" and child.ent_type_ not in ("PERSON", "GPE", "NORP")]
            owner += [pobj for prep in token.rights if prep.dep_ in ("prep", "agent") and prep.lower_ in ("by", "from", "of", "at")
                      for pobj in prep.children if pobj.dep_ == "pobj" and pobj.ent_type_ == "ORG"]
            if owner:
                return Speaker(re.sub(r"^the\s+", "", clean(span_of(owner[0]).text, person=False), flags=re.IGNORECASE), ORGANISATION)
        if lemma in PERSON_ROLES:
            definite = any(child.lower_ in ("the", "this", "that") for child in token.lefts)
            if definite:
                # "the analyst" refers back: to the person introduced with that role, else whoever spoke last,
                # else the last person named; only a deck before anyone is named points forward.
                back = self.described_before(lemma) or self.last_person or self.mentioned_before(token)
                if back is not None:
                    return back
            return self.next_person() or self.last_person or Speaker(name.lower(), PERSON)
        if lemma in ORG_ROLES:
            mentioned = [clean_org_name(text) for doc in self.docs[: self.position + 1] for text in organisation_names(doc)]
            if any(t.pos_ == "PROPN" for t in words):
                return Speaker(self.long_form(re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)), ORGANISATION)
            # Only a body ("the health agency"), not a document ("the new analysis"), is named by its description.
            modifiers = [] if lemma in DOCUMENTS else [
                t.lower_ for t in token.lefts if t.dep_ in ("amod", "compound") and t.pos_ in ("ADJ", "NOUN") and t.lower_ not in PASSING]
            # "The bank said" after "Northbank": the body named with that word; "the health agency" after a
            # pollster was named is another body, named by its description.
            fitting = [] if lemma in DOCUMENTS else [
                org for org in mentioned if (any(m in org.lower() for m in modifiers) if modifiers else lemma in org.lower())]
            if fitting:
                return Speaker(fitting[-1], ORGANISATION)
            later = [clean_org_name(org) for org in self.orgs if any(m in org.lower() for m in modifiers)]
            if later:
                return Speaker(later[0], ORGANISATION)  # "the country's intelligence agency", named further down
            if modifiers:
                return Speaker(clean(" ".join(t.text for t in words if t.dep_ != "det"), person=False), ORGANISATION)
            described = self.last_org and self.last_org.name.islower() and lemma not in self.last_org.name
            if self.last_org and self.last_org.kind == ORGANISATION and not described:
                return self.last_org
            return Speaker(mentioned[-1], ORGANISATION) if mentioned else None
        if token.pos_ == "PROPN":
            return Speaker(self.full_name(name), PERSON if len(name.split()) >= 2 else ORGANISATION)
        described = any(child.dep_ == "compound" and child.lemma_.lower() in ORG_ROLES for child in token.lefts)
        # A capitalised singular noun with no determiner as the subject of a reporting verb is a name the
        # tagger took for a common noun ("Northwind sees ..."): a bare singular count noun cannot be a subject.
        bare_name = token.tag_ == "NN" and token.text[:1].isupper() and not any(child.dep_ == "det" for child in token.children)
        if ACRONYM.fullmatch(token.text) or described or bare_name:
            # "Japanese bank MUFG sees ...", "the IEA expects": an acronym, or a name after a kind of body.
            return Speaker(token.text, ORGANISATION)
        return None

    def own_organisation(self) -> Speaker | None:
        """Whose "we" it is when no one has been quoted yet (a company's statement, its earnings call): the
        first organisation the text names in its legal form ("Acme, Inc.", "Acme Group")."""
        formal = [org for org in self.orgs if re.search(r"\b(?:Inc|Corp|Corporation|Ltd|plc|PLC|Group|Holdings|Company)\b\.?$", org)]
        if not formal:
            return None
        return Speaker(re.sub(r",?\s+(?:Inc|Corp|Ltd|plc|PLC)\.?$", "", clean_org_name(formal[0])), ORGANISATION)

    def long_form(self, name: str) -> str:
        """'Bank' after 'the Bank of England' was named: the body's name in full (a one-word short form only)."""
        if len(name.split()) != 1:
            return name
        mentioned = [clean_org_name(ent.text) for doc in self.docs[: self.position + 1] for ent in doc.ents if ent.label_ == "ORG"]
        longer = [org for org in mentioned if org.split()[0] == name and len(org.split()) > 1]
        return longer[-1] if longer else name

    def people_before(self, token) -> list[str]:
        """Full names of the people named before token, in order."""
        return [self.full_name(clean(ent.text)) for d_index, doc in enumerate(self.docs[: self.position + 1]) for ent in doc.ents
                if ent.label_ == "PERSON" and not ORG_WORDS.search(ent.text)
                and (d_index < self.position or ent.end <= token.i)]

    def described_before(self, role: str) -> Speaker | None:
        """The last person named so far whom the article described with the role ('Jane Roe, an economist')."""
        doc = self.docs[self.position]
        if not len(doc):
            return None
        described = [name for name in self.people_before(doc[-1])
                     if re.search(rf"(?i)\b{re.escape(role)}", self.roles.get(name, "") + " " + self.descriptions.get(name, ""))]
        return Speaker(described[-1], PERSON) if described else None

    def mentioned_before(self, token) -> Speaker | None:
        named = self.people_before(token)
        return Speaker(named[-1], PERSON) if named else None

    def last_person_mentioned(self, pronoun) -> Speaker | None:
        """'he' / 'she': the last person named before the pronoun, as a speaker or not ('X spoke on Monday. She said')."""
        mentions = [(d_index, ent.start) for d_index, doc in enumerate(self.docs[: self.position + 1]) for ent in doc.ents
                    if ent.label_ == "PERSON" and not ORG_WORDS.search(ent.text)
                    and (d_index < self.position or ent.start < pronoun.i)]
        if not mentions or self.last_person is not None:
            # Measured on the seeds and the dev corpus: once someone has been quoted, "he" is that speaker
            # far more often than a person merely mentioned since.
            return self.last_person
        d_index, start = mentions[-1]
        ent = next(e for e in self.docs[d_index].ents if e.start == start)
        mentioned = Speaker(self.full_name(clean(ent.text)), PERSON)
        if self.last_person and self.last_person.name.split()[-1] == mentioned.name.split()[-1]:
            return self.last_person
        # The speaker last quoted wins over a person merely mentioned in the same sentence as them.
        if self.last_person and d_index == self.position:
            return self.last_person
        return mentioned

    def next_person(self, role: str | None = None) -> Speaker | None:
        """'says N. Korea expert' in a deck: the expert is the person the article names further down.

        With a role noun given, only a person the article describes with it ("Ian Roe, an economist at ...").
        """
        later = []
        for doc in self.docs[self.position + 1:]:
            found = [(ent.start_char, clean(ent.text)) for ent in doc.ents
                     if ent.label_ == "PERSON" and len(clean(ent.text).split()) >= 2]
            found += [(doc.text.find(name), name) for name in self.descriptions if name in doc.text]
            later += [name for _, name in sorted(found)]
        experts = [name for name in later if EXPERTS.search(self.descriptions.get(name, ""))]
        if role is not None:
            # An expert of any kind answers to "an expert"; an economist to "an economist".
            wanted = EXPERTS if EXPERTS.fullmatch(role) else re.compile(rf"(?i)\b{re.escape(role)}")
            described = [name for name in later if wanted.search(self.descriptions.get(name, ""))]
            return Speaker(described[0], PERSON) if described else None
        chosen = (experts or later or [None])[0]
        return Speaker(chosen, PERSON) if chosen else None

    def full_name(self, name: str) -> str:
        parts = name.split()
        if len(parts) == 1 and parts[0] in self.people:
            return self.people[parts[0]]
        return name
