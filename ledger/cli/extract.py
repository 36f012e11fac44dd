"""`ledger extract`: list an article's candidate forecasts, review them one by one, or accept them all."""

from typing import Optional

import typer
from typing_extensions import Annotated

from ledger.cli.common import FormatOption, output_format, settings

# The sentence makes the table too wide to read; it is in --review, csv and json.
CANDIDATE_COLUMNS = ["candidate", "speaker", "cue", "probability", "resolve_by", "statement"]
ACCEPTED_COLUMNS = ["candidate", "status", "question_id", "forecaster", "role", "probability", "resolve_by", "statement", "reason"]
FIX_WITH = {"probability": "[p]", "resolve_by": "[d]", "speaker": "[w]", "role": "[r]"}
CHOICES = "[a]ccept, [e]dit statement, [d]ate, [p]robability, [w]ho, [r]ole, [s]kip, [q]uit"
CONDITION_CHOICES = "Record the condition: [l]ink to a question, [n]ew question from its text, [k]eep it as criteria text"


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def extract(
    ctx: typer.Context,
    article: Annotated[str, typer.Argument(metavar="FILE_URL_OR_SOURCE_ID", help="The article's text file, its web address (fetched once; not again once it is a source), a saved .html page, or the id of a source whose text the ledger holds.")],
    published: Annotated[Optional[str], typer.Option("--published", metavar="DATE", help="Publication date: deadlines are read against it and forecasts are stated on it. Default: the source's, when the article is registered, or the date in a web page's markup.")] = None,
    speaker: Annotated[Optional[str], typer.Option("--speaker", metavar="NAME", help="Who the article's own voice is (e.g. the outlet). Default: the source's outlet, else 'the article', which is listed but not recorded.")] = None,
    accept_all: Annotated[bool, typer.Option("--accept-all", help="Record every clear candidate that has a probability, a deadline and a speaker; list the others (and the borderline ones) as skipped. A candidate's condition ('if talks resume') goes into its question's criteria text, as no question is linked without a reviewer. Registers the article as a source on the way; accepting it twice adds nothing.")] = False,
    review: Annotated[bool, typer.Option("--review", help="Walk the candidates one at a time (accept, edit, skip, quit) and record the accepted ones at the end; a conditional candidate is offered a link to an existing question or a new question made from its condition. Ctrl-C records nothing.")] = False,
    horizon: Annotated[Optional[str], typer.Option("--horizon", metavar="DATE", help="Resolve-by date for candidates whose sentence gives none (any form --by accepts, read against the publication date). Without it they are skipped by --accept-all.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """List the candidate forecasts in an article: who said what, how sure (cue and probability), by when.

    Listing writes nothing. --accept-all records them (for scripts); --review asks about each one.
    """
    from ledger import review as reviewing
    from ledger.errors import LedgerError
    from ledger.output import print_rows

    fmt = output_format(fmt)
    if accept_all and review:
        raise LedgerError("give --accept-all or --review, not both")
    if horizon is not None and not (accept_all or review):
        raise LedgerError("--horizon gives deadlines to candidates being recorded: use it with --accept-all or --review")
    state = settings(ctx)
    ledger = state.ledger()
    found = reviewing.find_article(ledger, article, published=published, speaker=speaker, today=state.today)
    if found.undated_note and not (accept_all or review):
        _say(f"Note: {found.undated_note}.")
    if not (accept_all or review):
        rows = reviewing.candidate_rows(found)
        if fmt == "json":
            print_rows(rows, fmt)
            return
        numbered = [{"candidate": number, **row} for number, row in enumerate(rows, start=1)]
        print_rows(numbered, fmt, columns=None if fmt == "csv" else CANDIDATE_COLUMNS, empty="(no candidate forecasts)")
        return
    drafts = reviewing.drafts(found, horizon=horizon)
    if review:
        drafts = _walk(drafts, reviewing.stated_day(found, state.today), ledger)
    rows = reviewing.accept(ledger, found, drafts, today=state.today, skip_borderline=accept_all)
    print_rows(rows, fmt, columns=None if fmt == "json" else ACCEPTED_COLUMNS, empty="(nothing recorded)")
    counts = {status: sum(row["status"] == status for row in rows) for status in (reviewing.RECORDED, reviewing.ALREADY, reviewing.SKIPPED)}
    typer.echo(", ".join(f"{status}: {count}" for status, count in counts.items()), err=True)


def _say(text: str = "") -> None:
    # The conversation goes to stderr, so stdout holds only the result (JSON stays parseable).
    typer.echo(text, err=True)


def _show(draft, total: int) -> None:
    import textwrap

    from ledger.output import WRAP_AT

    probability = "none" if draft.probability is None else f"{draft.probability:.2f}"
    fields = [
        ("sentence", draft.sentence),
        ("speaker", f"{draft.speaker} ({draft.speaker_kind})"),
        ("role", draft.role),
        ("cue", f"{draft.cue or '(a number)'} -> {probability}"),
        ("deadline", f"{draft.deadline_phrase or '(none)'} -> {draft.resolve_by or 'no date'}"),
        ("statement", draft.statement),
        ("condition", _condition_shown(draft)),
        ("borderline", "yes: a plan, an intent or a hedged claim; shown after the clear forecasts" if draft.borderline else None),
    ]
    _say(f"\nCandidate {draft.number} of {total}")
    for name, value in fields:
        if value:
            lines = textwrap.wrap(str(value), 2 * WRAP_AT) or [""]
            _say(f"  {name:<10} {lines[0]}")
            for line in lines[1:]:
                _say(f"  {'':<10} {line}")


def _condition_shown(draft) -> Optional[str]:
    if not draft.condition:
        return None
    if draft.condition_link is None:
        return f"{draft.condition} (recorded in the question's criteria)"
    return f"{draft.condition} ({draft.condition_link.described()})"


def _ask(label: str, apply, default=None):
    """Prompt until `apply(answer)` accepts the answer; its refusals are said and asked again."""
    from ledger.errors import LedgerError

    while True:
        answer = typer.prompt(label, default=default, err=True)
        try:
            return apply(answer)
        except LedgerError as error:
            _say(f"Error: {error}")


def _offer_condition(draft, stated_on, ledger):
    """A conditional candidate: link its condition to an open question, make one from its text, or keep it as criteria."""
    from ledger import review as reviewing, rules

    _say(f"This forecast counts only if: {draft.condition}")
    nearest = reviewing.nearest_questions(ledger, draft.condition)
    if nearest:
        _say("Open questions nearest the condition:")
        for question in nearest:
            _say(f"  #{question['question_id']}  {question['statement']}  (resolve by {question['resolve_by']})")
    else:
        _say("No open question in the ledger shares its words.")
    while True:
        choice = typer.prompt(CONDITION_CHOICES, default="k", err=True).strip().lower()[:1]
        if choice == "k":
            return reviewing.keep_condition_as_criteria(draft)
        if choice == "l":
            return _ask("Question id (add =no if it must resolve no)", lambda answer: reviewing.link_condition(ledger, draft, answer),
                        str(nearest[0]["question_id"]) if nearest else None)
        if choice == "n":
            claim, outcome = reviewing.condition_claim(draft.condition)
            statement = _ask("The condition's question", rules.statement, claim)
            return _ask("Its resolve-by date", lambda answer: reviewing.new_condition(draft, statement, answer, stated_on, outcome),
                        draft.resolve_by.isoformat())
        _say(f"Unknown choice: {CONDITION_CHOICES}.")


def _walk(drafts: list, stated_on, ledger) -> list:
    """Ask about each draft; return the accepted ones. EOF or Ctrl-C aborts the command and nothing is written."""
    from ledger import review as reviewing

    def current_probability(draft):
        return draft.cue if draft.cue and draft.probability is not None else draft.probability

    # choice: (prompt, edit(draft, answer) -> draft, the value offered as default)
    edits = {
        "e": ("Statement", reviewing.edit_statement, lambda draft: draft.statement),
        "d": ("Resolve by (a date or a phrase such as 'end of next year')",
              lambda draft, answer: reviewing.edit_resolve_by(draft, answer, stated_on),
              lambda draft: draft.resolve_by and draft.resolve_by.isoformat()),
        "p": ("Probability (0.3, 30%, or words such as 'likely')", reviewing.edit_probability, current_probability),
        "w": ("Who said it", reviewing.edit_speaker, lambda draft: draft.speaker),
        "r": ("Their role, as the article gives it ('-' for none)", reviewing.edit_role, lambda draft: draft.role),
    }
    accepted = []
    for draft in drafts:
        _show(draft, len(drafts))
        while True:
            choice = typer.prompt(CHOICES, err=True).strip().lower()[:1]
            if choice == "q":
                _say(f"Stopped at candidate {draft.number}; recording the {len(accepted)} accepted.")
                return accepted
            if choice == "s":
                break
            if choice == "a":
                problem = reviewing.unready(draft, stated_on)
                if problem is None:
                    if draft.condition:
                        draft = _offer_condition(draft, stated_on, ledger)
                    accepted.append(draft)
                    break
                field, reason = problem
                _say(f"Cannot accept yet: {reason}; set it with {FIX_WITH[field]}.")
                continue
            if choice not in edits:
                _say(f"Unknown choice: {CHOICES}.")
                continue
            label, apply, current = edits[choice]
            draft = _ask(label, lambda answer: apply(draft, answer), current(draft))
            _show(draft, len(drafts))
    return accepted
