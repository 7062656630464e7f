"""What a computed question names itself: the operands that come from the member's words.

Code reads these, never the model: how many of a thing ("4 prints", "a pair of", "three of
the frames", "me and my partner"), the items a total adds up ("the walnut frame plus the museum
glass"), an amount the member states ("an order that comes to $300"), and the date a span
counts from ("the 3rd of October", "am 3. Oktober", "on the 3rd", "today"). The other operands
(prices, spans, percentages, postage) are values of cited passages (``sums``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from townsquare.studio.conversation.cues import Cues
from townsquare.studio.conversation.cues import cues as cues_of
from townsquare.studio.conversation.values import PRICE, Money, money
from townsquare.studio.conversation.wording import content_words
from townsquare.studio.knowledge.dates import find_dates

# A count word joined to a unit ("six-week", "two hour", "20 miles away") names the item or a
# measure, not how many of it.
_UNIT = (
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|speed|inch(?:es)?|in|cm|mm|kg|g"
    r"|ml|l|x|percent|am|pm|st|nd|rd|th|miles?|km|kilomet(?:re|er)s?|metres?|meters?|m|feet|ft"
    r"|yards?|lbs?|oz|(?:of )?(?:january|february|march|april|may|june|july"
    r"|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov"
    r"|dec)"
)
_UNIT_AFTER = rf"(?:-|\s*(?:{_UNIT})\b)"
# A count in digits: not part of a price, a size ("8x10"), a time, a date or a decimal, and
# not a label's number ("zone 2", "size 4").
_DIGITS = re.compile(rf"(?<![\w$£€.,:/x-])(\d{{1,2}})(?![\w.,:/%-])(?!{_UNIT_AFTER})\s+[a-zà-ÿ]")
_LABELLED = re.compile(r"\b(?:zone|size|no|number|step|level|band|tier|room|row|area|day|week)\s*$")
_PAIR = {"a pair of": 2, "a couple of": 2, "a dozen": 12, "half a dozen": 6}
# What says a sum is asked (the table's ``together`` joins its items).
_SUMMED = (
    r"\btotal\b|\baltogether\b|\btogether\b|\bin all\b|\bbill\b|\bcomes? to\b|\bplus\b"
    r"|\ball in\b|\bcombined\b"
)
# The words that end the phrase naming an item ("... the museum glass upgrade? What ...").
# What a split shares is named by at most this many content words after it.
SHARED_WORDS = 3
_PHRASE_END = re.compile(r"[?!.;,:]|\s-\s|\b(?:together|altogether|in total|total|for me)\b")


@dataclass(frozen=True)
class Item:
    """One thing a total adds: its words and how many."""

    words: frozenset[str]  # content-word stems naming it
    count: int
    phrase: str  # the question's words for it


def count_of(question: str, cues: Cues, *, sold: str = "") -> int:
    """How many the question asks for ("two inner tubes", "4 prints", "a pair of", "me and my
    sister"), 1 when it names no count; "the six-week course" and "8x10" name none, nor "a
    pair of" what is ``sold`` as a pair ("Brake pads (pair): £9"), nor "plot 14" when the
    item ``sold`` is a plot (a label)."""
    lowered = question.lower()
    for words, count in _PAIR.items():
        if re.search(rf"\b{words}\b", lowered):
            unit = words.split()[-2 if words.endswith(" of") else -1]
            return 1 if re.search(rf"\b{unit}\b", sold.lower()) else count
    for word, count in cues.counts.items():
        if re.search(rf"\b{word}\b(?!{_UNIT_AFTER})", lowered):
            return count
    for digits in _DIGITS.finditer(lowered):
        before = lowered[: digits.start()]
        if int(digits.group(1)) > 1 and not _LABELLED.search(before) and not _names(before, sold):
            return int(digits.group(1))
    return 2 if re.search(cues.two_people, lowered) else 1


def _names(before: str, sold: str) -> bool:
    """Whether the word just ``before`` a number is one the item ``sold`` is called by: the
    number is its label ("plot 14" of a plots list), not how many of it."""
    last = before.split()[-1:] if before.strip() else []
    return bool(last and sold and content_words(last[0]) & content_words(sold))


def words_after(question: str, at: int, cues: Cues) -> frozenset[str]:
    """The first content words of ``question`` from ``at`` up to the end of its phrase: what
    a split shares ("splitting a bulk bag of the mixed"), not the member's own context."""
    phrase = re.split(_PHRASE_END, question.lower()[at:])[0]
    said = [w for w in phrase.split() if content_words(w, ignore=cues.asking)]
    return frozenset(content_words(" ".join(said[:SHARED_WORDS]), ignore=cues.asking))


def counting_words(question: str, cues: Cues) -> set[str]:
    """The words of the question that count ("three", "me and my partner"), not what is
    priced."""
    lowered = question.lower()
    said = " ".join(
        [*cues.counts, *_PAIR, *re.findall(cues.two_people, lowered), *re.findall(cues.us, lowered)]
    )
    return content_words(said)


def items(question: str, cues: Cues) -> list[Item]:
    """The items a sum adds ("the walnut box frame plus the museum glass upgrade", "the
    portrait session and 5 extra edited images"): two phrases joined, each naming something,
    when the question asks a sum; [] otherwise."""
    lowered = " ".join(question.lower().split())
    summed = re.search(_SUMMED, lowered) or re.search(cues.total, lowered)
    for found in re.finditer(cues.together, lowered):
        left = re.split(_PHRASE_END, lowered[: found.start()])[-1]
        right = re.split(_PHRASE_END, lowered[found.end() :])[0]
        if not summed and "plus" not in found.group(0):
            continue
        parts = [
            Item(
                frozenset(content_words(phrase, ignore=cues.asking) - counting_words(phrase, cues)),
                count_of(phrase, cues),
                phrase.strip(),
            )
            for phrase in (left, right)
        ]
        if all(part.words for part in parts):
            return parts
    return []


def stated_amount(question: str) -> tuple[str, Money] | None:
    """An amount the member states ("an order that comes to $300"), with its words."""
    for found in PRICE.finditer(question):
        amount = money(found.group(0))
        if amount is not None and amount.amount > 0:
            return found.group(0), amount
    return None


def start_date(question: str, language: str, on: date) -> tuple[str, date] | None:
    """The date the question counts from: the first it names (in its own language's month
    names too), "the 3rd" as the next 3rd from ``on``, or ``on`` when it says "today"."""
    named = find_dates(question, near=on)
    if named:
        return named[0]
    ordinal = re.search(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b", question, re.I)
    if ordinal is not None and 1 <= (day := int(ordinal.group(1))) <= 31:
        for months in range(0, 3):
            month = on.replace(day=1) + relativedelta(months=months)
            try:
                candidate = month.replace(day=day)
            except ValueError:
                continue
            if candidate >= on:
                return ordinal.group(0), candidate
    today = cues_of(language).today
    if re.search(rf"\b{today}\b", question, re.I):
        return today, on
    return None
