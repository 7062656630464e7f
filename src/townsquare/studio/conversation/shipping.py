"""A price plus the postage to where the question sends it: two sources, summed in code.

The shipping price is found by a second search ("postage to Honolulu") and is the row or list
item closest in meaning to the destination: the embedder knows Honolulu is in Hawaii, the
shipping page need not say so. A row is its label and its columns ("Zone C: Alaska, Hawaii and
Canada: Prints $28; Framed pieces $85."): every column is the row's, and the column is the one
closest to the item sent (a frame goes at the framed price): the one sharing most of its
words, else one clearly closer in meaning, else the first. Free shipping over a threshold
applies when its sentence names the row's zone ("Zones A and B"), or names no zone and is
about as close to the destination as the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from typing import Literal

from babel import Locale

from townsquare.studio.conversation.answers import UNKNOWN, Answer, Candidate, Chooser
from townsquare.studio.conversation.cues import Cues
from townsquare.studio.conversation.operations import count_of, counting_words
from townsquare.studio.conversation.values import Money, add_money, money, values
from townsquare.studio.conversation.wording import content_words, split_sentences
from townsquare.studio.knowledge.passages import Passage

Search = Callable[[str], list[Passage]]
PERCENT = re.compile(r"\b(\d+(?:\.\d+)?)\s?%")
# A shipping row is the one closest to the destination; nothing under this cosine is it.
DESTINATION_MIN = 0.2
# Free shipping over a threshold applies when its sentence names the destination or is about
# as close to it as the shipping price's.
FREE_MARGIN = 0.15
# Another column of the row is the item's when it shares more words with the item than the
# first column does, or is this much closer to it in meaning.
COLUMN_MARGIN = 0.1
_AMOUNT = r"([£$€]\s?\d[\d,]*(?:\.\d{1,2})?)"
_FREE_OVER = re.compile(
    rf"\bfree\b[^.;]*?\b(?:over|above|of|from)\s+{_AMOUNT}"
    rf"|\b(?:over|above|of|from)\s+{_AMOUNT}[^.;]*?\bfree\b",
    re.I,
)
# What a price follows when it is the one a change replaced ("from £16 to £17", "it was £210").
_WAS = re.compile(r"\b(?:from|was|were|previously|formerly|von|war|était|era|van)\s*\(?$", re.I)
# The zones a sentence names ("in Zones A and B"): free shipping there applies to those only.
_ZONES = re.compile(r"\bzones?\s+(\w{1,2}(?:(?:,\s*|\s+(?:and|or|&)\s+)\w{1,2}\b)*)", re.I)


@dataclass(frozen=True)
class Part:
    """One shipping price: its row's sentence, where to, the column's words and its price."""

    passage: Passage
    sentence: str
    place: str  # the row's label ("Zone C: Alaska, Hawaii and Canada")
    column: str  # the column's label ("Framed pieces"), "" for a one-price row
    price: str
    near: float  # closeness in meaning of ``place`` to the destination
    free_over: Money | None = None  # "free on orders over $120": the threshold


def total(
    chooser: Chooser, passages: Sequence[Passage], search: Search
) -> Answer | Literal["unknown"]:
    """The item's price (times the count asked) plus the postage to the destination."""
    cues, asked = chooser.cues, chooser.asked
    shipping = re.compile(cues.shipping, re.I)
    question = chooser.question.lower()
    found = search(f"postage to {asked.destination or question}")
    parts = shipping_parts(passages, found, shipping)
    destination = asked.destination or named_place(parts, question)
    if not destination:
        return UNKNOWN
    parts = [replace(p, near=chooser.guard.similarity(destination, p.place) or 0.0) for p in parts]
    parts = [p for p in parts if not _another_country(chooser, p.place, destination)]
    rest = re.sub(cues.total, " ", question.replace(destination, " "))
    subject = asked.subject & content_words(shipping.sub(" ", rest))
    subject -= content_words(destination) | counting_words(question, cues)
    # what sending it is called ("couriered", "included"), not what is sent
    subject -= {stem for stem in subject if shipping.search(stem) or stem == "includ"}
    # what is sent is priced outside the shipping page ("UK mainland: Small parts £4.50" is
    # no item)
    items = [
        c
        for c in chooser.candidates(passages, "price", frozenset(subject))
        if not shipping.search(f"{c.passage.title} {c.passage.locator} {c.sentence}")
    ]
    if not items:
        return UNKNOWN
    item = pick_item(chooser, items)
    price = price_of(item, chooser.question)
    row = _postage(chooser, parts, item)
    if price is None or row is None:
        return UNKNOWN
    count = count_of(chooser.question, cues, sold=item.sentence)
    goods = Money(price.amount * count, price.symbol)
    post = money(row.price)
    free = _free_over(parts, goods, row)
    if free is not None and (
        _zones(free.sentence)
        or free.near >= row.near - FREE_MARGIN
        or content_words(destination) & content_words(free.sentence)
    ):
        row, post = free, Money(Decimal(0), goods.symbol)
    summed = add_money(goods, post) if post is not None else None
    if summed is None or post is None:
        return UNKNOWN
    first = cues.phrases.times.format(count=count, price=price) if count > 1 else str(price)
    text = cues.phrases.total.format(
        total=summed, first=first, second=post, quote1=item.sentence, quote2=row.sentence
    )
    return Answer(text, [item.passage.citation(item.sentence), row.passage.citation(row.sentence)])


def adds_fee(question: str, cues: Cues) -> bool:
    """Whether the total ``question`` asks adds a fee for getting it there ("with the
    postage", "inc. your travel fee", "delivered"), where the destination may be said as a
    place of the member's own ("Portishead here")."""
    shipping = re.compile(cues.shipping, re.I)
    return any(shipping.search(said.group(0)) for said in re.finditer(cues.total, question.lower()))


def sizes(text: str) -> set[str]:
    """The sizes and models a text names ("8x10", "11 x 14", "700c"), normalised; "3rd",
    "6pm" and "90min" are none."""
    text = text.lower().replace("\N{MULTIPLICATION SIGN}", "x")
    found = re.findall(r"\b\d+(?:\.\d+)?\s?x\s?\d+(?:\.\d+)?\b|\b\d+[a-z]{1,3}\b", text)
    return {
        re.sub(r"\s", "", f)
        for f in found
        if not re.fullmatch(r"\d+(?:st|nd|rd|th|am|pm|h|hrs?|min|mins|s|kg|g|ml|cm|mm)", f)
    }


def pick_item(chooser: Chooser, items: list[Candidate]) -> Candidate:
    """The candidate for the item asked: among those naming the sizes the question names
    ("the 11x14"), when any does, and stating a price no other candidate says was replaced,
    the chooser's pick."""
    named = sizes(chooser.question)
    sized = [c for c in items if named and named <= sizes(f"{c.passage.locator} {c.sentence}")]
    found = sized or items
    # a price a change replaced ("from 1 February it is £230 (it was £210)") is no item's price
    # wherever else it is still written (the catalog's "£210")
    stale = {str(money(said)) for c in found for said in _replaced(c)}
    current = [c for c in found if not {str(money(s)) for s in c.found if money(s)} <= stale]
    return chooser.pick(current or found)[0]


def price_of(candidate: Candidate, question: str) -> Money | None:
    """The price ``candidate`` states of what the question names (``price_words``)."""
    said = price_words(candidate, question)
    return money(said) if said is not None else None


def price_words(candidate: Candidate, question: str) -> str | None:
    """The words of the price ``candidate`` states of what the question names: in "the 8x10
    is $54 and the 11x14 is $80", the one whose clause names the sizes asked and no other,
    then most of the question's words (the first on a tie); never the price a change replaced
    ("goes from £16 to £17")."""
    asked_words, asked_sizes = content_words(question), sizes(question)
    best: tuple[tuple[int, int, int], str] | None = None
    start = 0
    replaced = _replaced(candidate)
    for said in candidate.found:
        at = candidate.sentence.find(said, start)
        if at < 0:
            continue
        clause = candidate.sentence[start : at + len(said)]
        start = at + len(said)
        if money(said) is None or said in replaced:
            continue
        named = sizes(clause)
        score = (
            len(asked_sizes & named),
            -len(named - asked_sizes),
            len(asked_words & content_words(clause)),
        )
        if best is None or score > best[0]:
            best = (score, said)
    return best[1] if best else None


def _replaced(candidate: Candidate) -> set[str]:
    """The prices ``candidate``'s sentence says a change replaced, when it states the new one
    too: "the solo walk goes from £16 to £17", "£8, up from £7.50", "£230 (it was £210)";
    none when every price reads so ("prints from £10, frames from £40")."""
    sentence, at = candidate.sentence, 0
    said_as: dict[str, bool] = {}
    for said in candidate.found:
        at = sentence.find(said, at)
        if at >= 0 and money(said) is not None:
            said_as[said] = _WAS.search(sentence[:at]) is not None
            at += len(said)
    old = {said for said, was in said_as.items() if was}
    return old if len(old) < len(said_as) else set()


def shipping_parts(
    passages: Sequence[Passage], found: Sequence[Passage], shipping: re.Pattern[str]
) -> list[Part]:
    """The prices (a row's columns, a list item between semicolons) of the shipping sentences
    of ``passages`` and of those a search for the postage ``found``; a row's place is its
    label with the columns that follow it unpriced ("Zone 2: Places Craven Arms, Tenbury
    Wells"), its closeness to the destination not yet known."""
    parts = []
    seen: set[int] = set()
    for passage in [*passages, *found]:
        if passage.chunk_id in seen:
            continue
        seen.add(passage.chunk_id)
        heading = f"{passage.title} {passage.locator}"
        for sentence in split_sentences(passage.text):
            if not shipping.search(f"{heading} {sentence}"):
                continue
            place = ""
            for piece in re.split(r";\s+", sentence):
                # a piece with a label is a row (a list item) of its own; one without is
                # another column of the row before it
                label, colon, rest = piece.rpartition(":")
                if colon:
                    place = label.strip()
                else:
                    rest = piece
                prices = values("price", rest)
                if colon and not prices:
                    place = piece.strip()
                where = place or piece
                if not prices or PERCENT.search(piece):
                    continue
                column = rest.replace(prices[0], " ").strip(" .")
                free = _FREE_OVER.search(piece)
                parts.append(
                    Part(
                        passage,
                        sentence,
                        where,
                        column,
                        prices[0],
                        0.0,
                        money(free.group(1) or free.group(2)) if free else None,
                    )
                )
    return parts


def named_place(parts: Sequence[Part], question: str) -> str:
    """The place of the one shipping row that the question names by words of its own ("im
    out at Craven Arms", "Knighton here"): words no other row's place holds (the table's
    column name, "Places", is every row's); "" when it names none, or two rows alike."""
    places = {p.place: content_words(p.place) for p in parts}
    said = content_words(question)
    own = {
        place: len(words & said - set().union(*(w for o, w in places.items() if o != place)))
        for place, words in places.items()
    }
    most = max(own.values(), default=0)
    named = [place for place, n in own.items() if n == most]
    return named[0] if most and len(named) == 1 else ""


def _another_country(chooser: Chooser, place: str, destination: str) -> bool:
    """Whether ``place`` (a shipping row's label) is a country, and the destination another
    one: "Spain" is not the row for Germany, however close the two are in meaning."""
    countries = _countries(chooser.asked.language)
    label = re.sub(r"\([^)]*\)", " ", place).strip().lower()
    destination = destination.strip().lower()
    return label in countries and destination in countries and label != destination


@cache
def _countries(language: str) -> frozenset[str]:
    """Country names (Babel's, in English and ``language``), lower-cased."""
    names: set[str] = set()
    for code in dict.fromkeys(["en", language]):
        try:
            territories = Locale.parse(code).territories
        except (ValueError, LookupError):
            continue
        names |= {name.lower() for key, name in territories.items() if key.isalpha()}
    return frozenset(names)


def _postage(chooser: Chooser, parts: list[Part], item: Candidate) -> Part | None:
    """The shipping price to the destination for ``item``: the row closest in meaning to the
    destination (a threshold such as "free on orders over £50" is not a price), and of its
    columns the one closest to the item, the first unless another is clearly closer."""
    priced = [p for p in parts if p.free_over is None and p.near >= DESTINATION_MIN]
    if not priced:
        return None
    best = max(priced, key=lambda p: p.near)
    row = [p for p in priced if p.sentence == best.sentence and p.place == best.place]
    if len(row) < 2:
        return best
    what = f"{item.passage.locator} {item.sentence}"
    shared = [len(content_words(what) & content_words(p.column)) for p in row]
    if max(shared) > 0:
        return row[shared.index(max(shared))]
    closeness = [chooser.guard.similarity(what, p.column or p.place) or 0.0 for p in row]
    chosen = max(range(len(row)), key=lambda i: closeness[i])
    return row[chosen] if closeness[chosen] >= closeness[0] + COLUMN_MARGIN else row[0]


def _free_over(parts: list[Part], goods: Money, row: Part) -> Part | None:
    """The part that makes shipping free for ``goods`` to ``row``'s destination, if one does:
    one naming the row's zone ("prints ship free in Zones A and B on orders of $120 or
    more"), else the closest one naming no zone."""
    free = [
        p
        for p in parts
        if p.free_over is not None
        and p.free_over.symbol in ("", goods.symbol)
        and goods.amount >= p.free_over.amount
    ]
    zoned = [p for p in free if _zones(p.sentence) & _zones(row.place)]
    if zoned:
        return zoned[0]
    near = [p for p in free if not _zones(p.sentence) and p.near >= DESTINATION_MIN]
    return max(near, key=lambda p: p.near) if near else None


def _zones(text: str) -> set[str]:
    """The zone names a text gives ("Zone C: ..." is {"c"}; "Zones A and B" {"a", "b"})."""
    return {
        name.lower()
        for found in _ZONES.finditer(text)
        for name in re.split(r",\s*|\s+(?:and|or|&)\s+", found.group(1))
    }
