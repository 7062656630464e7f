"""Words, numbers and sentences as the grounding guard, the safety checks and the memory read
them: stems, content words, numbers with their units and what each is about, negation,
sentence splitting, and whether a sentence states a fact at all."""

from __future__ import annotations

import functools
import re

from townsquare.ai.languages import fold_accents

# Words that carry no fact: function words, question words, the filler of a polite reply, and
# the greetings, hedges and texting shorthand of a member's message ("hiya", "u", "exactly").
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can could did do does doing don down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is isn it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves s t ll re ve d m o y ever really much many please tell know let get got go
    going one yes hey oh ok okay well still
    hi hiya hello heya lol haha thx pls plz u ur bc cos coz btw tbh actually exactly basically
    literally sometime sometimes maybe perhaps probably anyway anyways kinda sorta wondering
    """.split()  # noqa: SIM905  (a word list reads better as words)
)
# Words of a pleasantry: a sentence made only of these (and names) states no fact.
CHATTER = frozenset(
    """hi hello hiya welcome thank thanks cheers bye goodbye great glad happy hope help helpful
    question questions ask asking answer feel free anything else lovely wonderful nice enjoy
    sure course absolutely love day morning evening afternoon night time chat talk talking
    pleasure meet good fine doing today reach touch wish best luck fun excited amazing awesome
    """.split()  # noqa: SIM905  (a word list reads better as words)
)
_NUMBER_WORDS = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "twenty": "20",
    "thirty": "30",
    "fifty": "50",
    "hundred": "100",
    # Ordinals are facts too: "the second Saturday" is not "the first Saturday".
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
}
_WORD = re.compile(r"[a-z0-9]+")
# A number with what is glued to it: "£5.50", "10am", "4:30 pm", "250°C", "75%", "20g". The unit
# is part of the fact: "10 people" is not supported by "from 10am".
_NUMBER = re.compile(
    r"([£$€]?)(\d+(?:[.:,]\d+)*)(?:\s?(am|pm|%|°\s?[cf]|kg|g|ml|cm|mm|k)(?![a-z]))?", re.I
)
# Words that link a number to its subject without naming it ("costs £4", "from 9am"): they are
# skipped when finding what a number is about.
_LINKING = frozenset(
    """cost costs costing price priced charge charged pay fee start starts started run runs from
    until till around about approximately roughly just only pm kg ml cm mm
    """.split()  # noqa: SIM905  (a word list reads better as words)
)
# A clause ends at a comma, semicolon, bracket, line break or conjunction: in "opens at 8am and
# closes at 1pm" each time has a clause of its own.
_CLAUSE_END = re.compile(r"[,;()\n]|\s(?:and|but|or|then|while|whereas)\s", re.I)
_NEGATION = re.compile(
    r"\b(?:not|no|never|cannot|nothing|none|nobody|without)\b|n['\u2019]t\b", re.I
)
# A sentence ends at . ! ? (or … ) followed by space, or at a line break; "e.g." and decimals
# ("£5.50") stay whole because the next character is not a space.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'\u201d\u2019)\]]*\s+|\n+")
_CITATION_MARK = re.compile(r"\s*\[(?:source\s*)?\d+(?:\s*,\s*\d+)*\]", re.I)


def stem(word: str) -> str:
    """A light suffix-stripper: enough that 'baking', 'bakes' and 'bake' meet, and 'classes'
    and 'class'; a full stemmer buys little at sentence level and is one more dependency."""
    if word.isdigit() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix, shortest in (("ingly", 3), ("ing", 3), ("edly", 3), ("ed", 3), ("ally", 4),
                             ("al", 4), ("ly", 4)):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            word = word[: -len(suffix)]
            if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiouls":
                word = word[:-1]  # shipping -> shipp -> ship
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def words(text: str) -> list[str]:
    """Lower-cased word tokens, accents folded ("Sábado" and "sabado" are one word),
    apostrophes splitting ("don't" -> "don", "t")."""
    return _WORD.findall(fold_accents(text.lower()))


def content_words(text: str, *, ignore: frozenset[str] = frozenset()) -> set[str]:
    """The stems of the words that carry meaning, less ``ignore`` (words or stems); numbers
    are kept apart (see ``numbers``)."""
    ignore = _folded(ignore)
    stems = {
        stem(word)
        for word in words(text)
        if word not in STOPWORDS and word not in ignore and not any(c.isdigit() for c in word)
    }
    return stems - ignore


@functools.lru_cache(maxsize=1024)
def _folded(ignore: frozenset[str]) -> frozenset[str]:
    """``ignore`` as ``words`` reads it: accents folded ("próximo" is ignored as "proximo")."""
    return frozenset(fold_accents(word.lower()) for word in ignore)


def meets(stem: str, stems: set[str], *, shortest: int) -> bool:
    """Whether ``stem`` is one of ``stems`` or, both being at least ``shortest`` letters, one
    begins the other ("stor" of "store" and "storag" of "storage"; "politic" and "political")."""
    if stem in stems:
        return True
    if len(stem) < shortest:
        return False
    return any(
        len(other) >= shortest and (other.startswith(stem) or stem.startswith(other))
        for other in stems
    )


def numbers(text: str) -> set[str]:
    """Numbers in ``text`` with their currency and unit, normalised: '10:30' and '10.30' meet,
    '1,200' is '1200', '8 am' is '8am', and number words up to twelve (and the first five
    ordinals) count as digits."""
    found = {_number(match) for match in _NUMBER.finditer(text)}
    found.update(_NUMBER_WORDS[word] for word in words(text) if word in _NUMBER_WORDS)
    return found


def _number(match: re.Match[str]) -> str:
    currency, digits, unit = match.groups()
    value = re.sub(r",(?=\d{3}\b)", "", digits).replace(":", ".").rstrip(".,")
    return f"{currency}{value.removesuffix('.00')}{(unit or '').replace(' ', '').lower()}"


def _subject_stems(text: str) -> list[str]:
    """The stems of the words of ``text`` that can say what a number is about, in order."""
    return [
        stem(word)
        for word in words(text)
        if word not in STOPWORDS
        and word not in _LINKING
        and word not in _NUMBER_WORDS
        and not any(c.isdigit() for c in word)
    ]


def _bindings(text: str) -> list[tuple[str, str | None]]:
    """Each number of ``text`` with the word it is about: the nearest before it in its clause,
    else the nearest after it, else None."""
    found: list[tuple[str, str | None]] = []
    for clause in _CLAUSE_END.split(text):
        for match in _NUMBER.finditer(clause):
            before = _subject_stems(clause[: match.start()])
            after = _subject_stems(clause[match.end() :])
            found.append((_number(match), before[-1] if before else next(iter(after), None)))
    return found


def misbinds(sentence: str, passage: str) -> bool:
    """Whether ``sentence`` ties a number to a word that ``passage`` uses, but never in a clause
    with that number ("closes at 8am" from "opens at 8am and closes at 1pm")."""
    clauses = [(numbers(c), set(_subject_stems(c))) for c in _CLAUSE_END.split(passage)]
    used = {word for _, stems in clauses for word in stems}
    return any(
        word in used and not any(value in held and word in stems for held, stems in clauses)
        for value, word in _bindings(sentence)
        if word is not None
    )


def negated(text: str) -> bool:
    return _NEGATION.search(text) is not None


def split_sentences(text: str) -> list[str]:
    """Sentences and lines of ``text``, stripped, without empty ones or bullet marks."""
    parts = (part.strip().lstrip("-•*").strip() for part in _SENTENCE_END.split(text))
    return [part for part in parts if part]


def strip_citation_marks(text: str) -> str:
    """'Classes are £45 [1].' -> 'Classes are £45.': the marks the model was asked to write."""
    return _CITATION_MARK.sub("", text)


def states_a_fact(sentence: str, names: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence claims anything: it has a number, or a content word that is neither
    pleasantry nor a name ("Thanks for asking, Sam!" claims nothing)."""
    if numbers(sentence):
        return True
    return bool(content_words(sentence, ignore=CHATTER | names))


def is_small_talk(message: str, names: frozenset[str] = frozenset()) -> bool:
    """A greeting, thanks or goodbye that asks for no fact ('hi!', 'thanks so much Maya')."""
    tokens = words(message)
    return 0 < len(tokens) <= 12 and not states_a_fact(message, names)
