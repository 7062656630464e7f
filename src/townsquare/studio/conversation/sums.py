"""Answers that take two facts and arithmetic: the passages choose, code computes.

- **total**: an item's price, times a count the question names ("three chains"), plus the
  shipping price to where the question sends it. The shipping price is found by a second
  search ("postage to Berlin") and is the row or list item closest in meaning to the
  destination: the embedder knows Berlin is in Europe, the shipping page need not say so.
- **share**: a percentage a passage states of an item's price ("a 20% deposit"; "10% off for
  NHS staff" is the price less it).
- **deadline**: a date the question names ("today" is one) plus a span a passage states
  ("returns within 30 days"), the newer source's span when two disagree.
- **times**: an item's price times the people the question counts ("me and my partner",
  "both of us") or the count it names ("two places"), when it names no destination.

Money is ``Decimal`` and dates ``datetime.date``; every passage used is cited.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Literal

from babel import Locale

from townsquare.studio.conversation.answers import UNKNOWN, Answer, Candidate, Chooser
from townsquare.studio.conversation.values import Money, add_money, add_span, money, values
from townsquare.studio.conversation.wording import content_words, split_sentences
from townsquare.studio.knowledge.dates import find_dates
from townsquare.studio.knowledge.passages import Passage

Search = Callable[[str], list[Passage]]
_PERCENT = re.compile(r"\b(\d+(?:\.\d+)?)\s?%")
# A shipping row is the one closest to the destination; nothing under this cosine is it.
DESTINATION_MIN = 0.2
# Free shipping over a threshold applies when its sentence names the destination or is about
# as close to it as the shipping price's.
FREE_MARGIN = 0.15
_FREE_OVER = re.compile(r"\bfree\b[^.;]*?\bover\s+([£$€]\s?\d[\d,]*(?:\.\d{1,2})?)", re.I)

Computed = Answer | Literal["unknown"] | None
# Two people in the question ("me and my partner", "both of us"), the reply of a price times a
# count, and the word for today, in each language a member may ask in. (They belong in
# ``questions.Cues`` once that module is split; it is at its size limit.)
_TWO_PEOPLE = {  # "both" alone may count two things ("are both classes £30?"): not here
    "en": r"\b(?:me|i) and (?:my |a )?\w+\b|\bboth of us\b|\bthe two of us\b",
    "pt": r"\beu e (?:o |a )?(?:meu|minha) \w+\b|\bnós dois\b|\bnós duas\b",
    "fr": r"\bmoi et (?:mon|ma) \w+\b|\bnous deux\b",
    "de": r"\bich und (?:mein|meine) \w+\b|\bwir (?:zwei|beide)\b",
    "es": r"\byo y (?:mi) \w+\b|\bnosotr[oa]s dos\b",
}
_TIMES = {  # the reply of a price times a count
    "en": 'That comes to {total} ({first}): "{quote}" [1]',
    "pt": 'Dá {total} ({first}): "{quote}" [1]',
    "fr": "Cela fait {total} ({first}) : « {quote} » [1]",
    "de": "Das macht {total} ({first}): „{quote}“ [1]",
    "es": 'Son {total} ({first}): "{quote}" [1]',
}
_TODAY = {"en": "today", "pt": "hoje", "fr": "aujourd'hui", "de": "heute", "es": "hoy"}
# A count word joined to a unit ("six-week", "two hour") names the item, not how many of it.
_UNIT_AFTER = r"(?:-|\s+(?:minutes?|hours?|days?|weeks?|months?|years?|speed)\b)"


def compute(chooser: Chooser, passages: Sequence[Passage], search: Search) -> Computed:
    """The computed answer when the question asks for one (a total, a share, a deadline);
    None when it asks for none."""
    asked = chooser.asked
    if asked.type == "price" and not asked.destination and _count(chooser) > 1:
        return _times(chooser, passages)
    if asked.wants_total:
        return _total(chooser, passages, search)
    if asked.type == "price":
        return _share(chooser, passages)
    if asked.type in ("when", "other") and (start := _start(chooser)):
        return _deadline(chooser, passages, start)
    return None


def _start(chooser: Chooser) -> tuple[str, date] | None:
    """The date the question counts from: the first it names, or today when it says so."""
    named = find_dates(chooser.question, near=chooser.on)
    if named:
        return named[0]
    today = _TODAY.get(chooser.asked.language, _TODAY["en"])
    if re.search(rf"\b{today}\b", chooser.question, re.I):
        return today, chooser.on
    return None


def _count(chooser: Chooser) -> int:
    """How many the question asks for ("two inner tubes", "me and my sister"), 1 when it names
    no count; "the six-week course" names none."""
    question = chooser.question.lower()
    for word, count in chooser.cues.counts.items():
        if re.search(rf"\b{word}\b(?!{_UNIT_AFTER})", question):
            return count
    people = _TWO_PEOPLE.get(chooser.asked.language, _TWO_PEOPLE["en"])
    return 2 if re.search(people, question) else 1


def _times(chooser: Chooser, passages: Sequence[Passage]) -> Computed:
    """The price of one, times the count the question names."""
    count = _count(chooser)
    subject = chooser.asked.subject - _count_stems(chooser) - _people_stems(chooser)
    items = chooser.candidates(passages, "price", frozenset(subject))
    if not items:
        return UNKNOWN
    item, _ = chooser.pick(items)
    price = money(item.found[0])
    if price is None:
        return UNKNOWN
    total = Money(price.amount * count, price.symbol)
    first = chooser.cues.phrases.times.format(count=count, price=price)
    reply = _TIMES.get(chooser.asked.language, _TIMES["en"])
    text = reply.format(total=total, first=first, quote=item.sentence)
    return Answer(text, [item.passage.citation(item.sentence)])


def _people_stems(chooser: Chooser) -> set[str]:
    """The words of the question's "me and my partner" (not what is priced)."""
    people = _TWO_PEOPLE.get(chooser.asked.language, _TWO_PEOPLE["en"])
    return content_words(" ".join(re.findall(people, chooser.question.lower())))


def _total(chooser: Chooser, passages: Sequence[Passage], search: Search) -> Computed:
    cues = chooser.cues
    shipping = re.compile(cues.shipping, re.I)
    destination = chooser.asked.destination
    rest = re.sub(cues.total, " ", chooser.question.lower().replace(destination, " "))
    subject = chooser.asked.subject & content_words(shipping.sub(" ", rest))
    subject -= content_words(destination) | _count_stems(chooser) | _people_stems(chooser)
    # what sending it is called ("couriered", "included"), not what is sent
    subject -= {stem for stem in subject if shipping.search(stem) or stem == "includ"}
    items = [
        c
        for c in chooser.candidates(passages, "price", frozenset(subject))
        if not shipping.search(c.sentence)
    ]
    if not items or not destination:
        return UNKNOWN
    item, _ = chooser.pick(items)
    parts = _shipping_parts(chooser, passages, search, shipping)
    postage = _postage(chooser, parts)
    if postage is None:
        return UNKNOWN
    row, price_words = postage
    count = _count(chooser)
    price, post = money(item.found[0]), money(price_words)
    if price is None or post is None:
        return UNKNOWN
    goods = Money(price.amount * count, price.symbol)
    free = _free_over(chooser, parts, goods)
    if free is not None and (
        free.dense >= row.dense - FREE_MARGIN
        or content_words(destination) & content_words(free.sentence)
    ):
        row, post = free, Money(Decimal(0), goods.symbol)
    total = add_money(goods, post)
    if total is None:
        return UNKNOWN
    first = cues.phrases.times.format(count=count, price=price) if count > 1 else str(price)
    text = cues.phrases.total.format(
        total=total, first=first, second=post, quote1=item.sentence, quote2=row.sentence
    )
    return Answer(text, [item.passage.citation(item.sentence), row.passage.citation(row.sentence)])


def _count_stems(chooser: Chooser) -> set[str]:
    return content_words(" ".join(chooser.cues.counts))


def _shipping_parts(
    chooser: Chooser, passages: Sequence[Passage], search: Search, shipping: re.Pattern[str]
) -> list[tuple[Candidate, str]]:
    """The parts (a row, a list item between semicolons) of the shipping sentences of
    ``passages`` and of a search for postage to the destination, each as a candidate whose
    ``dense`` is its closeness in meaning to the destination."""
    parts = []
    seen: set[int] = set()
    for passage in [*passages, *search(f"postage to {chooser.asked.destination}")]:
        if passage.chunk_id in seen:
            continue
        seen.add(passage.chunk_id)
        heading = f"{passage.title} {passage.locator}"
        for sentence in split_sentences(passage.text):
            if not shipping.search(f"{heading} {sentence}"):
                continue
            for part in re.split(r";\s+", sentence):
                prices = values("price", part)
                if not prices or _PERCENT.search(part):
                    continue
                place = part.split(":")[0] if ":" in part else part
                if _another_country(chooser, place):
                    continue
                near = chooser.guard.similarity(chooser.asked.destination, place) or 0.0
                parts.append((Candidate(passage, sentence, tuple(prices), 1, 1, near, 0), part))
    return parts


def _another_country(chooser: Chooser, place: str) -> bool:
    """Whether ``place`` (a shipping row's label) is a country, and the destination another
    one: "Spain" is not the row for Germany, however close the two are in meaning."""
    countries = _countries(chooser.asked.language)
    label = re.sub(r"\([^)]*\)", " ", place).strip().lower()
    destination = chooser.asked.destination.strip().lower()
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


def _postage(chooser: Chooser, parts: list[tuple[Candidate, str]]) -> tuple[Candidate, str] | None:
    """The shipping price to the destination: the part closest in meaning to it (a threshold
    such as "free on orders over £50" is not a price), and its first price."""
    prices = [
        (candidate, values("price", part)[0])
        for candidate, part in parts
        if not _FREE_OVER.search(part) and candidate.dense >= DESTINATION_MIN
    ]
    return max(prices, key=lambda item: item[0].dense) if prices else None


def _free_over(
    chooser: Chooser, parts: list[tuple[Candidate, str]], goods: Money
) -> Candidate | None:
    """The closest part that makes shipping free for ``goods`` ("free UK postage on orders
    over £50"), if one does."""
    free = [
        candidate
        for candidate, part in parts
        if (found := _FREE_OVER.search(part)) is not None
        and (limit := money(found.group(1))) is not None
        and limit.symbol in ("", goods.symbol)
        and goods.amount >= limit.amount
        and candidate.dense >= DESTINATION_MIN
    ]
    return max(free, key=lambda c: c.dense) if free else None


def _share(chooser: Chooser, passages: Sequence[Passage]) -> Computed:
    """A percentage of an item's price, when a passage states one about words of the question
    that the item's own passage does not hold ("deposit" for "the deposit on the Raleigh")."""
    subject = chooser.asked.subject
    shares = [
        c
        for c in chooser.candidates(passages, "quantity", frozenset())
        if _PERCENT.search(c.sentence) and not values("price", c.sentence)
    ]
    for share in sorted(shares, key=lambda c: -c.score):
        named = subject & content_words(f"{share.passage.locator} {share.sentence}")
        rest = frozenset(subject - named)
        if not named or not rest:
            continue  # the share is about none of the question, or all of it (no item)
        # The item: a price about most of the rest of the question, in a sentence that is not
        # about the share itself.
        items = [
            c
            for c in chooser.candidates(passages, "price", frozenset())
            if c.sentence != share.sentence
            and len(rest & content_words(f"{c.passage.locator} {c.sentence}")) * 2 >= len(rest)
        ]
        if not items:
            continue
        item, _ = chooser.pick(items)
        held = content_words(f"{item.passage.title} {item.passage.locator} {item.passage.text}")
        if not named - held:
            continue  # the item's own source says all the share does: not a share of it
        price = money(item.found[0])
        percent = _PERCENT.search(share.sentence)
        if price is None or percent is None:
            continue
        part = Decimal(percent.group(1)) / 100
        off = re.search(chooser.cues.discount, share.sentence, re.I) is not None
        result = Money(price.amount * ((1 - part) if off else part), price.symbol)
        text = chooser.cues.phrases.share.format(
            result=result,
            percent=percent.group(0) + (" off" if off else ""),
            price=price,
            quote1=item.sentence,
            quote2=share.sentence,
        )
        return Answer(
            text, [item.passage.citation(item.sentence), share.passage.citation(share.sentence)]
        )
    return None


def _deadline(chooser: Chooser, passages: Sequence[Passage], start: tuple[str, date]) -> Computed:
    """The question's date plus the span a passage states about the rest of the question."""
    words, day = start
    subject = content_words(chooser.question.replace(words, " "), ignore=chooser.cues.asking)
    spans = chooser.candidates(passages, "duration", frozenset(subject))
    if not spans:
        return None
    span, _ = chooser.pick(spans)
    for said in span.found:
        end = add_span(day, said)
        if end is not None:
            fmt = chooser.cues.phrases.date_format
            text = chooser.cues.phrases.deadline.format(
                date=end.strftime(fmt),
                span=said,
                start=day.strftime(fmt),
                quote=span.sentence,
            )
            return Answer(text, [span.passage.citation(span.sentence)])
    return None
