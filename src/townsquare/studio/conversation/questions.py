"""What a question asks: the type of its answer (a price, a date, a name, ...), what it is
about, and whether it wants the next date, a total or a deadline counted from a date.

Everything that depends on the member's language is in one table per language (``cues``):
the cue words of each answer type, the words that only say what is asked (dropped from the
subject), the cues of a total, of "the next", of a deadline, and the phrases a reply is
composed from; adding a language is adding a table, not changing the logic here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from townsquare.ai.languages import fold_accents
from townsquare.studio.conversation.cues import AnswerType, Cues, cues
from townsquare.studio.conversation.wording import content_words

# Where one clause of a question ends and the next begins.
_CLAUSE = re.compile(r"[,;:.?!]\s|\s-\s")


@dataclass(frozen=True)
class Asked:
    """What one question asks."""

    type: AnswerType
    subject: frozenset[str]  # content-word stems naming what it is about
    language: str
    wants_next: bool = False  # "when is the next ...": the first date from today
    wants_total: bool = False  # a price plus shipping, summed
    wants_deadline: bool = False  # a date counted from a date the question names
    destination: str = ""  # where a total's shipping is to ("zone 2", "france")
    wants_current: bool = False  # "now": the newest of rival values answers


def read_question(
    question: str, *, language: str = "en", names: frozenset[str] = frozenset()
) -> Asked:
    """The answer type, subject and wants of ``question`` (``names``: the agent's and owner's,
    never a subject)."""
    table = cues(language)
    question = spelled_out(question, table)
    lowered = " ".join(question.lower().split())
    # The cue said first decides: "who looks after the stall when you teach?" asks a name;
    # after a dash, the part after it ("Liz asked where to start - how long is ...?").
    # A question typed without its accents ("a quelle heure", "cuanto dura") is read again
    # with the cues' accents folded too, when as written it says none.
    found = []
    for part in (lowered.rsplit(" - ", 1)[-1], lowered):
        for folded in (False, True):
            found = [
                (match.start(), order, kind)
                for order, (kind, pattern) in enumerate(table.types)
                if (match := _search(pattern, part, folded)) is not None
            ]
            if found:
                break
        if found:
            break
    kind: AnswerType = min(found)[2] if found else "other"
    # A clause that asks an amount makes a price question, whatever the question opens with:
    # "can we get 2 bulk bags, what'll that set me back?" asks the price, not whether ("can I
    # pay in instalments?" stays a yes/no question).
    if kind == "yesno" and any(
        found_kind == "price" and _CLAUSE.search(part[:at]) for at, _, found_kind in found
    ):
        kind = "price"
    subject = frozenset(content_words(_asking_sentence(question), ignore=table.asking | names))
    # A total is a price whatever else the question says first ("to a UK address, what do I
    # pay in total?").
    prices = dict(table.types).get("price", "")
    wants_total = bool(prices) and all(_says(p, lowered) for p in (table.total, prices))
    kind = "price" if wants_total else kind
    destination = ""
    if wants_total:
        # the last "to ...": where it goes
        places = re.findall(table.destination, lowered) or re.findall(
            fold_accents(table.destination), fold_accents(lowered)
        )
        destination = places[-1] if places else ""
    return Asked(
        type=kind,
        subject=subject,
        language=language,
        wants_next=kind in ("when", "time") and _says(table.next, lowered),
        wants_total=wants_total,
        wants_deadline=_says(table.deadline, lowered),
        destination=destination,
        wants_current=bool(table.current) and _says(table.current, lowered),
    )


def _search(pattern: str, text: str, folded: bool) -> re.Match[str] | None:
    """``pattern`` in ``text`` as written, or with both's accents folded."""
    if not folded:
        return re.search(pattern, text)
    return re.search(fold_accents(pattern), fold_accents(text))


def _says(pattern: str, text: str) -> bool:
    """Whether ``text`` says ``pattern``, as written or typed without its accents."""
    return _search(pattern, text, False) is not None or _search(pattern, text, True) is not None


def spelled_out(question: str, table: Cues) -> str:
    """``question`` with the table's ``shorthand`` spelled out ("Whens ur next class" ->
    "When is your next class")."""
    for pattern, replacement in table.shorthand:
        question = re.sub(pattern, replacement, question, flags=re.IGNORECASE)
    return question


def _asking_sentence(question: str) -> str:
    """The sentence that asks, when a message says more ("What's the address? I want to drop
    my bike off"): what the rest says is context, not what the answer must be about."""
    asking = [part for part in re.split(r"(?<=[.!?])\s+", question.strip()) if part.endswith("?")]
    return " ".join(asking) if asking else question
