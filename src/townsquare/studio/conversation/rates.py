"""A price by the unit, and how many of each unit a question asks for.

A price is often a rate: "€45 per hive per week", "£25 an hour", "$12/person", "EUR 35 per
person"; and sometimes a fixed part plus a rate: "€30 call-out plus €25 an hour". A question
names how many of each unit ("3 hives for 2 weeks", "a fortnight", "if it takes 2 hours"), or
of people ("four of us", "me and my daughter"). Code multiplies each term of the price by the
counts of its units and adds the terms; the words are the source's and the member's, never
the model's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from townsquare.studio.conversation.cues import Cues
from townsquare.studio.conversation.operations import count_of
from townsquare.studio.conversation.values import PRICE, Money, money
from townsquare.studio.conversation.wording import stem

__all__ = ["Term", "counted", "terms"]

# After a price, the unit it is by: "per hive", "a week", "an hour", "/day", "each night".
_PER = re.compile(r"^\s*(?:per|an?|/|each|every)\s*([a-z]+)\b", re.I)
# Between two prices, what makes them one price's parts ("€30 call-out plus €25 an hour").
_PLUS = re.compile(r"^[^;.,]{0,30}?(?:\bplus\b|\+|\band then\b)\s*$", re.I)
# Units that count people: their count is the question's count of people or things.
_PEOPLE = frozenset(
    stem(word) for word in ("person", "people", "head", "adult", "guest", "participant")
)
# A number then what it counts ("3 hives", "two weeks", "a fortnight").
# A span that names its count ("a fortnight" is two weeks).
_SPANS = {"fortnight": ("week", 2)}


@dataclass(frozen=True)
class Term:
    """One part of a price: its words, its amount and the units it is by (stems)."""

    said: str
    amount: Money
    units: tuple[str, ...]


def terms(sentence: str, said: str) -> list[Term]:
    """The price ``said`` of ``sentence`` as its terms: itself with its units, and any price
    joined to it by "plus" ("€30 call-out plus €25 an hour" is two terms)."""
    prices = [m for m in PRICE.finditer(sentence) if money(m.group(0)) is not None]
    at = next((i for i, m in enumerate(prices) if m.group(0) == said), None)
    if at is None:
        return []
    first = last = at
    while first > 0 and _PLUS.match(sentence[prices[first - 1].end() : prices[first].start()]):
        first -= 1
    while last + 1 < len(prices) and _PLUS.match(
        sentence[prices[last].end() : prices[last + 1].start()]
    ):
        last += 1
    found = []
    for match in prices[first : last + 1]:
        amount = money(match.group(0))
        if amount is not None:
            found.append(Term(match.group(0), amount, _units(sentence[match.end() :])))
    return found


def _units(after: str) -> tuple[str, ...]:
    """The units a price is by, from the words after it ("per hive per week": hive, week)."""
    found = []
    while (unit := _PER.match(after)) is not None:
        found.append(stem(unit.group(1)))
        after = after[unit.end() :]
    return tuple(found)


def counted(term: Term, question: str, cues: Cues) -> list[int]:
    """The counts ``term`` is multiplied by: of each of its units the question counts ("3
    hives for 2 weeks", "two cargo bikes", "a fortnight" of weeks), and, for a unit of
    people ("per person"), of the people the rest of the question names ("four of us")."""
    lowered = question.lower()
    numbers = "|".join([r"\d{1,3}", "an?", "one", *cues.counts])
    counts, said = [], []
    for unit in term.units:
        named = re.search(
            rf"\b({numbers})\s+(?:[a-z'-]+\s+){{0,2}}?({re.escape(unit)}[a-z]*)\b", lowered
        )
        span = next((n for word, (u, n) in _SPANS.items() if u == unit and word in lowered), 0)
        if named is not None:
            number = named.group(1)
            counts.append(int(number) if number.isdigit() else cues.counts.get(number, 1))
            said.append(named.group(0))
        elif span:
            counts.append(span)
        elif unit in _PEOPLE:
            counts.append(-1)  # the people the rest of the question counts
    rest = lowered
    for words in said:
        rest = rest.replace(words, " ")
    people = count_of(rest, cues)
    return [people if n == -1 else n for n in counts]
