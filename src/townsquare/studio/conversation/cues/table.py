"""One language's cue table: the words that tell a question's answer type and wants, and the
phrases a reply is composed from (``questions.read_question`` and ``answers`` read them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from townsquare.ai.languages import fold_accents
from townsquare.studio.knowledge.dates import MONTH_NAMES

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
    ahead: str = 'That is {date} ({span} before {start}): "{quote}" [1]'  # a span counted back
    share: str = 'That comes to {result} ({percent} of {price}): "{quote1}" [1] "{quote2}" [2]'
    bridge: str = 'That is {name}: "{quote1}" [1] "{quote2}" [2]'
    times: str = "{count} x {price}"
    product: str = 'That comes to {total} ({first}): "{quote}" [1]'  # a price times a count
    split: str = 'That comes to {result} each ({price} / {people}): "{quote}" [1]'  # shared
    until: str = 'That is {days} days from today ({start}) to {date}: "{quote}" [1]'
    span: str = 'That is {span} ({range}): "{quote}" [1]'
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
    together: str  # what joins the items of a sum ("X plus Y", "X and Y")
    two_people: str  # two people in the question ("me and my partner", "both of us")
    today: str  # the word for today (a deadline counted from it)
    phrases: Phrases = field(default_factory=Phrases)
    # "the class that Jonah runs": a thing described, not named (``bridge``); over the
    # question as written (a name is capitalised); "" where no description is recognised
    described: str = ""
    current: str = ""  # "now", "currently": the value in force today (a newer source decides)
    until: str = ""  # "how many days until ...": counted from today to a date
    each: str = ""  # "the price per jar", "how much each": the price of one, not times a count
    us: str = ""  # "four of us": the people counted, not what is priced
    # "we're splitting it", "going halves": the price shared between the people the question
    # counts (two when it counts none); "" where no split is recognised
    split: str = ""
    # How members write quickly, spelled out before the question is read: (pattern, in any
    # case, and its replacement), e.g. "whens ur next class" -> "when is your next class"
    shorthand: tuple[tuple[str, str], ...] = ()
    # A line that only dates its source, in a passage written in this language ("Publicado el
    # 10 de junio de 2026"): its words besides the figures (month names, "posted on"), accents
    # folded; English's are read by ``knowledge.dates`` instead
    dateline: frozenset[str] = frozenset()


def dateline_words(language: str, words: str) -> frozenset[str]:
    """The words of a line that only dates a post written in ``language``: its month names
    (``knowledge.dates.MONTH_NAMES``) and ``words`` ("publicado el"), accents folded."""
    return frozenset(fold_accents(w) for w in (*MONTH_NAMES[language], *words.split()))
