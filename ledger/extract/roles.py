"""A person's role or affiliation as the article gives it: the apposition or the title beside their name.

"Jane Roe, chief economist at Acme Bank, said" → "chief economist at Acme Bank";
"Former minister of finance John Smith said" → "former minister of finance";
"The bank's chief economist, Jane Roe, said" → "the bank's chief economist";
"Fed Chair Jerome Powell said" → "Fed Chair". Read from the dependency parse, never guessed.
"""

from __future__ import annotations

import re

from ledger.extract.speakers import ORG_WORDS, PERSON_ROLES

# Nouns that make a title when they stand before a name ("analyst Gene Munster"); "Tuesday" or "Mr." do not.
TITLE_NOUNS = PERSON_ROLES | {
    "chairperson", "vice", "rep", "representative", "sen", "sen.", "rep.", "gov", "gov.", "general", "judge", "justice",
    "prosecutor", "attorney", "lawyer", "editor", "correspondent", "reporter", "fellow", "partner", "trader", "banker",
    "investor", "historian", "scholar", "specialist", "lecturer", "physician", "doctor", "epidemiologist", "virologist",
    "admiral", "commander", "mp", "congressman", "congresswoman", "councillor", "councilman", "king", "queen", "prince",
    "pope", "cardinal", "bishop", "boss", "owner", "principal", "dean", "officer", "pollster", "consultant", "columnist",
}
# Relative clauses and asides that follow an apposition are not part of the role; "chair and professor of
# marketing" is one role in two parts, so conjunctions stay.
NOT_ROLE = {"relcl", "acl", "advcl", "appos", "parataxis"}
# "Glapiński, who heads the National Bank of Poland": a relative clause that gives the role.
HEADS = {"head", "lead", "run", "chair", "direct", "manage", "oversee"}


def roles_of(docs) -> dict[str, str]:
    """Full name → the first role the article gives the person, from every PERSON entity's neighbours."""
    roles: dict[str, str] = {}
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ != "PERSON" or ORG_WORDS.search(ent.text):
                continue
            role = role_beside(ent)
            name = " ".join(ent.text.split())
            # The fullest description the article gives wins ("analyst" once, "Piper Jaffray analyst" later).
            if role and len(role) > len(roles.get(name, "")):
                roles[name] = role
    return roles


def role_beside(ent) -> str | None:
    root = ent.root
    for child in root.children:
        # "Jane Roe, chief economist at Acme Bank, said"
        if child.dep_ == "appos" and child.ent_type_ != "PERSON" and child.pos_ in ("NOUN", "PROPN"):
            return phrase(child, name=list(ent))
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.ent_type_ != "PERSON":
        # "The bank's chief economist, Jane Roe, said"; "another analyst, Katy Huberty of Morgan Stanley,"
        role = phrase(root.head, name=root)
        where = [prep for prep in root.rights if prep.dep_ == "prep" and prep.lower_ in ("of", "at", "with", "from")
                 and any(pobj.ent_type_ == "ORG" for pobj in prep.children)]
        if role and where:
            role = f"{role} {tidy(root.doc[where[0].i: where[0].right_edge.i + 1])}"
        return role
    for child in root.children:
        if child.dep_ == "relcl" and child.lemma_.lower() in HEADS:
            led = [t for t in child.children if t.dep_ == "dobj"]
            if led:
                words = tidy(led[0].doc[led[0].left_edge.i: led[0].right_edge.i + 1])
                return f"head of {words}" if words else None
    return title_before(ent)


def title_before(ent) -> str | None:
    """'Fed Chair Jerome Powell', 'analyst Gene Munster', 'Former minister of finance John Smith'."""
    doc, root = ent.doc, ent.root
    lefts = [child for child in root.lefts if child.i < ent.start and child.dep_ in ("compound", "amod", "nmod")]
    if not lefts:
        return None
    start = min(token.i for child in lefts for token in child.subtree)
    words = doc[start: ent.start]
    if not any(token.lemma_.lower().strip(".") in TITLE_NOUNS or token.lower_ in TITLE_NOUNS for token in words):
        return None
    return tidy(words)


def phrase(head, name) -> str | None:
    """The words of a role noun and what depends on it, without the name it stands beside or a relative clause."""
    name_tokens = {t.i for t in (name.subtree if hasattr(name, "subtree") else name)}
    kept = []

    def keep(token) -> None:
        kept.append(token)
        for child in token.children:
            if child.i not in name_tokens and child.dep_ not in NOT_ROLE:
                keep(child)

    keep(head)
    tokens = sorted({t.i: t for t in kept if t.i not in name_tokens}.values(), key=lambda t: t.i)
    if not tokens:
        return None
    # Keep one contiguous stretch around the head: a role is written in one piece.
    first = last = tokens.index(head)
    while first > 0 and tokens[first - 1].i == tokens[first].i - 1:
        first -= 1
    while last + 1 < len(tokens) and tokens[last + 1].i == tokens[last].i + 1:
        last += 1
    return tidy(head.doc[tokens[first].i: tokens[last].i + 1])


def tidy(span) -> str | None:
    words = list(span)
    while words and (words[0].dep_ == "det" and words[0].head.dep_ != "poss" or words[0].is_punct):
        words = words[1:]  # "an analyst", "another analyst"; "the bank's economist" keeps its "the"
    while words and words[-1].is_punct:
        words = words[:-1]
    if not words:
        return None
    text = "".join(t.text_with_ws for t in words).strip()
    first = words[0]
    if first.is_sent_start and first.pos_ != "PROPN" and not first.text.isupper():
        text = text[:1].lower() + text[1:]  # "Former minister ..." at the start of a sentence
    text = re.sub(r"\s+", " ", text)
    if text.count("(") > text.count(")"):
        text = text[: text.rindex("(")].strip()  # "the National Bank of Poland (NBP": the aside cut off
    return text if re.search(r"[A-Za-z]", text) else None


def role_of(speaker: str, roles: dict[str, str]) -> str | None:
    """The role given to the speaker anywhere in the article, by full name or by surname."""
    if speaker in roles:
        return roles[speaker]
    surname = speaker.split()[-1] if speaker.split() else ""
    matches = [role for name, role in roles.items() if name.split()[-1] == surname]
    return matches[0] if matches else None
