"""What a question asks: the type of its answer (a price, a date, a name, ...), what it is
about, and whether it wants the next date, a total or a deadline counted from a date.

Everything that depends on the member's language is in one table per language (``Cues``):
the cue words of each answer type, the words that only say what is asked (dropped from the
subject), the cues of a total, of "the next", of a deadline, and the phrases a reply is
composed from. ``LANGUAGES`` maps a language code to its table; adding a language is adding a
table, not changing the logic (``read_question`` and ``answers``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from townsquare.studio.conversation.wording import content_words

AnswerType = Literal[
    "price",
    "when",
    "time",
    "duration",
    "age",
    "level",
    "place",
    "name",
    "distance",
    "quantity",
    "yesno",
    "other",
]


@dataclass(frozen=True)
class Phrases:
    """What an extractive reply says around the source's own words ({...} filled in)."""

    quoted: str = 'Here is what {owner} wrote about that: "{quote}" [1]'
    as_of: str = 'As of {date}, {owner} wrote: "{quote}" [1]'
    next: str = 'The next one is {value}: "{quote}" [1]'
    total: str = 'That comes to {total} ({first} + {second}): "{quote1}" [1] "{quote2}" [2]'
    deadline: str = 'That is {date} ({span} from {start}): "{quote}" [1]'
    share: str = 'That comes to {result} ({percent} of {price}): "{quote1}" [1] "{quote2}" [2]'
    times: str = "{count} x {price}"
    date_format: str = "%-d %B %Y"


@dataclass(frozen=True)
class Cues:
    """One language's cue words, as regular expressions over the lower-cased question."""

    types: tuple[tuple[AnswerType, str], ...]  # the first that matches is the question's type
    asking: frozenset[str]  # words that say what is asked, not what about ("cost", "when")
    total: str  # the question wants a sum: "with postage", "in total"
    shipping: str  # what a shipping price is called in a passage
    destination: str  # "to <where>": group 1 is where to
    next: str  # "the next", "upcoming"
    deadline: str  # "by when", "last day": counted from a date the question names
    discount: str  # a percentage taken off ("10% off"), not a part paid ("a 20% deposit")
    counts: dict[str, int]  # "three chains": how many
    phrases: Phrases = field(default_factory=Phrases)


_MONEY = r"money|deposit|postage|shipping|delivery|fees?|discount|rent|tip|change"
_AUX = r"is|are|does|do|did|was|were|will|would|can|could|should|has|have|may|am"
ENGLISH = Cues(
    types=(
        ("yesno", rf"^(?:{_AUX})\b"),
        (
            "duration",
            r"\bhow long\b|\bhow much (?:time|notice)\b|\bduration\b"
            r"|\bhow many (?:minutes|hours|days|weeks|months|years)\b",
        ),
        # "how much salt" asks a quantity; "how much deposit" a price
        ("quantity", rf"\bhow much (?!(?:{_AUX}|{_MONEY}|for|to|it|altogether)\b)[a-z]+"),
        (
            "price",
            r"\bhow much\b|\bcosts?\b|\bprices?d?\b|\bfees?\b|\bcharge[sd]?\b|\bpay\b"
            r"|\bexpensive\b|\bcheap\b|\btotal\b|\bpostage\b|\bshipping\b|\brates?\b",
        ),
        ("age", r"\bhow old\b|\bwhat age\b|\bages\b|\bage (?:group|limit|range)\b|\bminimum age\b"),
        ("level", r"\b(?:what|which) level\b|\bsuitable for\b|\bexperience\b"),
        (
            "time",
            r"\bwhat time\b|\bwhich time\b|\bopening (?:hours|times)\b|\bwhat hours\b"
            r"|\bhow late\b|\bhow early\b",
        ),
        (
            "when",
            rf"^when\b|\bwhen (?:{_AUX})\b|\bwhat date\b|\bwhich (?:day|date|month)s?\b"
            r"|\blast day\b|\blatest date\b"
            r"|\bwhat days?\b|\bdeadline\b|\bby when\b",
        ),
        (
            "place",
            r"\bwhere\b|(?<!email )\baddress\b|\blocation\b|\blocated\b"
            r"|\bwhich (?:town|city|venue)\b",
        ),
        (
            "name",
            r"\bwho\b|\bname of\b|\bwhat(?:'s| is) (?:the |your |her |his )?name\b|\bcalled\b",
        ),
        ("distance", r"\bhow far\b|\bdistance\b|\bradius\b|\bhow many (?:miles|km)\b"),
        ("quantity", r"\bhow many\b|\bnumber of\b|\bhow big\b|\bcapacity\b"),
    ),
    asking=frozenset(
        """much cost costs price prices priced fee fees charge pay rate rates expensive cheap
        total long time notice duration old age ages level suitable experience when date day
        days what
        which where address location located who name called many number big far capacity
        distance radius miles travel
        hours open opening close start finish end next upcoming coming deadline last late
        early need take offer offers sell sells provide run runs make makes get gets look
        looks happen happens usually anything something place come comes goes want like
        currently now whats wheres whos hows near around there""".split()  # noqa: SIM905
    ),
    total=(
        r"\b(?:in )?total\b|\baltogether\b|\ball in\b|\bincluding (?:postage|shipping|delivery)\b"
        r"|\b(?:with|plus|and) (?:the )?(?:postage|shipping|delivery|p&p)\b"
        r"|\b(?:posted|delivered|shipped|sent) to\b"
    ),
    shipping=r"\b(?:postage|shipping|delivery|deliver|p&p|posted|post|courier|zone)\b",
    destination=(
        r"\bto (?:the |an? )?((?:zone \d+|[a-z]+(?: [a-z]+)?))"
        r"(?=$|[,.?!;:]| (?:and|with|incl|includ|postage|please|what|how))"
    ),
    next=r"\bnext\b|\bupcoming\b|\bcoming up\b|\bsoonest\b",
    deadline=r"\bby when\b|\blast day\b|\bdeadline\b|\buntil when\b|\bhow long do i have\b",
    discount=r"\boff\b|\bdiscount\b|\bless\b|\breduction\b|\bsaving\b",
    counts={"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8},
)
LANGUAGES: dict[str, Cues] = {"en": ENGLISH}


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


def cues(language: str) -> Cues:
    """The table for ``language``, English when there is none."""
    return LANGUAGES.get(language, ENGLISH)


def read_question(
    question: str, *, language: str = "en", names: frozenset[str] = frozenset()
) -> Asked:
    """The answer type, subject and wants of ``question`` (``names``: the agent's and owner's,
    never a subject)."""
    table = cues(language)
    lowered = " ".join(question.lower().split())
    # The cue said first decides: "who looks after the stall when you teach?" asks a name.
    found = [
        (match.start(), order, kind)
        for order, (kind, pattern) in enumerate(table.types)
        if (match := re.search(pattern, lowered)) is not None
    ]
    kind: AnswerType = min(found)[2] if found else "other"
    subject = frozenset(content_words(_asking_sentence(question), ignore=table.asking | names))
    # A total is a price whatever else the question says first ("to a UK address, what do I
    # pay in total?").
    prices = dict(table.types).get("price", "")
    wants_total = bool(prices) and all(re.search(p, lowered) for p in (table.total, prices))
    kind = "price" if wants_total else kind
    destination = ""
    if wants_total:
        places = re.findall(table.destination, lowered)  # the last "to ...": where it goes
        destination = places[-1] if places else ""
    return Asked(
        type=kind,
        subject=subject,
        language=language,
        wants_next=kind in ("when", "time") and re.search(table.next, lowered) is not None,
        wants_total=wants_total,
        wants_deadline=re.search(table.deadline, lowered) is not None,
        destination=destination,
    )


def _asking_sentence(question: str) -> str:
    """The sentence that asks, when a message says more ("What's the address? I want to drop
    my bike off"): what the rest says is context, not what the answer must be about."""
    asking = [part for part in re.split(r"(?<=[.!?])\s+", question.strip()) if part.endswith("?")]
    return " ".join(asking) if asking else question
