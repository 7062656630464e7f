"""Does this sentence answer this question? What a question asks must be in the sentence that
answers it, not only near it: a passage about shipping is not an answer to gift wrapping.

Six tests, each over the question's own words (``Chooser.candidates`` and the pipeline's
untyped path apply them):

- **a measure asks for its unit**: "what tyre pressure", "the maximum load", "how wide" ask a
  number in a unit of that dimension (psi or bar, kg, mm or cm); a sentence with a number in
  another unit ("40-45mm" for a pressure) or none does not answer (``asked_measure``,
  ``measures``).
- **the question's own figures are not its answer**: "how many students are in the six-week
  course?" is not answered by the "six" of "six-week" (``restated``).
- **another day is another thing**: a sentence that names a weekday or month, none of those the
  question names, is about another day ("Saturday: 9am to 2pm" for the Sunday ride)
  (``other_day``).
- **a count counts the asked thing**: "how many students ..." is answered by a number of
  students (or, for people, of places, seats or "up to 8"), not by "two firings" or "10 kg of
  clay" in the same row (``counted``, ``counts``).
- **a part is a percentage**: "how much deposit ..." is answered by the percentage said beside
  "deposit" ("a 30% deposit"), not by a price (``shares``).
- **the asked thing is in the answer**: "what was the winning time ..." names what it wants
  ("winning time"); an untyped question's quoted sentences must hold a word of it
  (``focus``, ``holds``).

English cue words only: a question in another language is read as before (no measure, no
count, no focus). All but the last only ever turn a quote into "I don't know"; a part's
percentage is a new answer, and only to a price question about a word said beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from townsquare.studio.conversation.questions import Asked
from townsquare.studio.conversation.wording import content_words, meets, numbers, stem, words

_NUMBER = r"\d+(?:[.,]\d+)?(?:\s?(?:-|\u2013|to)\s?\d+(?:[.,]\d+)?)?"
# Each dimension: the nouns that ask it ("what tyre pressure", "the maximum load"), the
# adjectives of "how <adjective>", and the units that state it.
_DIMENSIONS: dict[str, tuple[str, str, str]] = {
    "length": (
        r"size|width|length|height|depth|diameter",
        r"wide|tall|high|deep",
        r"mm|cm|m|metres?|meters?|inch(?:es)?|ft|feet|\"|″|c\b",
    ),
    "weight": (r"weight|load|mass", r"heavy", r"kg|kilos?|g|grams?|lbs?|oz|tonnes?"),
    "pressure": (r"pressure", r"", r"psi|bar|kpa"),
    "temperature": (r"temperature", r"hot", r"°\s?[cf]?|degrees?|celsius|fahrenheit|℃"),
    "volume": (r"volume", r"", r"ml|l|litres?|liters?|cl"),
    "speed": (r"speed", r"fast", r"km/h|kph|mph"),
}
# Up to three words after "what/which [is] [the]" hold the measure noun; "how long" asks a
# duration and is read as one before this applies.
_ASKS_MEASURE = re.compile(
    r"\b(?:what|which)(?:'s| is| are| was| were)?\s+(?:the |a |an |your |its )?"
    r"(?P<words>[a-z-]+(?:\s+[a-z-]+){0,2})"
    r"|\bhow (?P<adjective>[a-z]+)\b"
)
# "How many <thing>": what the number must count.
_COUNTED = re.compile(r"\bhow many (?P<thing>[a-z][a-z'-]*)")
# A count of people is also said as the places it fills ("six places", "up to 8 can join").
_PEOPLE = frozenset(
    stem(word)
    for word in """people persons person participants students learners guests attendees
    visitors riders kids children adults members places spaces spots seats tickets""".split()  # noqa: SIM905
)
_CAPPED = re.compile(
    r"\b(?:max(?:imum)?|up to|capped at|limited to|at most|no more than)\s*$", re.I
)
_SHARE = re.compile(r"\b\d+(?:[.,]\d+)?\s?%")
SHARE_REACH = 2  # a part's percentage is this near the word that names the part
COUNT_REACH = 3  # the counted noun is at most this many words after the number
# A quoted sentence this close in meaning to the thing asked names it in other words (MiniLM
# cosine: 0.35 for "phone number" and "ring the workshop on 0114 ...", 0.09-0.19 for "winning
# time" and a race report's lines that give none).
FOCUS_DENSE = 0.3
PREFIX_MIN = 4  # stems this long meet the longer stems they begin ("lub" does not)
NAME_OF_SUBJECT = 0.5  # a name with this share of the question's words names its subject
# "What's the latest I can cancel?", "what is the title of your book?" name no thing: these
# words say what kind of answer is wanted (a date, a name), as the answer's type does.
_ANSWER_WORDS = frozenset({"latest", "earliest", "soonest", "title"})
# Weekdays in any case; months capitalised ("may" is a verb far more often). Each is its own
# class: a sentence dated "From March" is not about another day than "Sunday".
_WEEKDAYS = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", re.I)
_MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
# The thing an untyped question names: "what [is] [the] <one to three words>" before a verb,
# a preposition or the end ("what was the winning time at ...", "which chain lube do you ...").
_FOCUS = re.compile(
    r"^(?:so |and |ok |okay )?(?:what|which)(?:'s|'re| is| are| was| were)?\s+"
    r"(?:kind of |sort of |type of )?(?:the |a |an |your |my |our |its )?"
    r"(?P<phrase>(?:[a-z][\w'-]*\s+){0,2}?[a-z][\w'-]*)"
    r"(?=\s+(?:do|does|did|is|are|was|were|should|would|can|could|will|for|of|on|at|in|to"
    r"|with|from|you|i|we|they|that|when)\b|\s*[?.!]?\s*$)"
)


def _asking(question: str) -> str:
    """The question's last sentence that asks ("I'm booked on it. What's the latest ...?")."""
    parts = [p for p in re.split(r"(?<=[.!?])\s+", question.strip()) if p.endswith("?")]
    return " ".join((parts[-1] if parts else question).lower().split())


def asked_measure(question: str, language: str) -> str | None:
    """The dimension an English question asks a measure of ("length", "weight", ...)."""
    if language != "en":
        return None
    for match in _ASKS_MEASURE.finditer(_asking(question)):
        for dimension, (nouns, adjectives, _) in _DIMENSIONS.items():
            if match.group("words") is not None:
                if any(re.fullmatch(nouns, word) for word in match.group("words").split()):
                    return dimension
            elif adjectives and re.fullmatch(adjectives, match.group("adjective")):
                return dimension
    return None


def retype(asked: Asked, question: str) -> Asked:
    """An untyped question that asks a measure is a quantity; its measure noun is what the
    unit says, so it leaves the subject."""
    dimension = asked_measure(question, asked.language)
    if asked.type != "other" or dimension is None:
        return asked
    nouns = content_words(_DIMENSIONS[dimension][0].replace("|", " "))
    return replace(asked, type="quantity", subject=frozenset(asked.subject - nouns))


def measures(dimension: str, sentence: str) -> list[str]:
    """The numbers with a unit of ``dimension`` that ``sentence`` states ("56cm", "2 kg")."""
    unit = _DIMENSIONS[dimension][2]
    pattern = re.compile(rf"(?<![\w£$€]){_NUMBER}\s?(?:{unit})(?![a-z])", re.I)
    return [m.group(0) for m in pattern.finditer(sentence)]


def counted(question: str, language: str) -> str | None:
    """The stem of what an English "how many <thing>" question counts, or None."""
    if language != "en":
        return None
    found = _COUNTED.search(_asking(question))
    return stem(found.group("thing")) if found else None


def counts(thing: str, value: str, sentence: str) -> bool:
    """Whether ``value`` (a number of ``sentence``) counts ``thing``: the thing follows it
    within ``COUNT_REACH`` words ("two pieces", "4 places" for people), or, for people, a cap
    comes before it ("up to 8")."""
    for found in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", sentence):
        after = [stem(w) for w in words(sentence[found.end() :])[:COUNT_REACH]]
        if any(meets(thing, {w}, shortest=PREFIX_MIN) for w in after):
            return True
        if thing in _PEOPLE and (set(after) & _PEOPLE or _CAPPED.search(sentence[: found.start()])):
            return True
    return False


def shares(subject: frozenset[str], sentence: str) -> list[str]:
    """The percentages of ``sentence`` said of a word of ``subject`` ("a 30% deposit" for
    "how much deposit ...?"): a price question about a part is answered by the part."""
    found = []
    for match in _SHARE.finditer(sentence):
        near = words(sentence[: match.start()])[-SHARE_REACH:]
        near += words(sentence[match.end() :])[:SHARE_REACH]
        if any(meets(word, {stem(w) for w in near}, shortest=PREFIX_MIN) for word in subject):
            found.append(match.group(0))
    return found


def restated(value: str, question: str) -> bool:
    """Whether ``value`` only repeats figures the question itself states."""
    said = numbers(value)
    return bool(said) and said <= numbers(question)


def names_the_subject(name: str, question: str) -> bool:
    """Whether a name is mostly the question's own words: "Adult Tap" in "who teaches the
    tap class?" is what the question is about, not who ("Carbon Bike Repair" for "who mends
    carbon frames?" is an answer)."""
    named = content_words(name)
    return bool(named) and len(named & content_words(question)) >= NAME_OF_SUBJECT * len(named)


def other_day(question: str, sentence: str) -> bool:
    """Whether ``sentence`` names only other weekdays (or only other months) than the
    question, when the question names one."""
    for days in (_WEEKDAYS, _MONTHS):
        asked = {m.lower() for m in days.findall(question)}
        named = {m.lower() for m in days.findall(sentence)}
        if asked and named and not asked & named:
            return True
    return False


def focus(question: str, language: str, *, ignore: frozenset[str]) -> str:
    """The thing an English "what/which <thing> ..." question names ("winning time"), less
    the words that only say what is asked (``ignore``); "" when it names none."""
    if language != "en":
        return ""
    found = _FOCUS.search(_asking(question))
    if found is None:
        return ""
    phrase = found.group("phrase")
    return phrase if content_words(phrase, ignore=ignore | _ANSWER_WORDS) else ""


def holds(
    thing: str,
    texts: list[str],
    *,
    ignore: frozenset[str],
    similarity: Callable[[str, str], float | None],
) -> bool:
    """Whether ``texts`` name ``thing`` (always, when it is ""): a word of it, or a text this
    close to it in meaning ("ring the workshop on 0114 ..." names a phone number)."""
    if not thing:
        return True
    held = content_words(" ".join(texts))
    stems = content_words(thing, ignore=ignore | _ANSWER_WORDS)
    if any(meets(word, held, shortest=PREFIX_MIN) for word in stems):
        return True
    return any((similarity(thing, text) or 0.0) >= FOCUS_DENSE for text in texts if text)
