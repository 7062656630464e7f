"""Answers that take two facts and arithmetic: the question names the operation and some
operands (``operations``), the passages hold the rest, and code computes.

- **total with postage** (``shipping``): an item's price, times a count, plus the shipping
  price to where the question sends it.
- **items**: the prices of the items a question adds up ("the walnut frame plus the museum
  glass", "the session and 5 extra images"), each times its count.
- **times**: an item's price times the count the question names ("4 prints", "me and my
  partner"), when it names no destination.
- **split**: an item's price shared between the people the question counts ("going halves").
- **share**: a percentage a passage states, of an item's price ("a 20% deposit"; "10% off for
  teachers" is the price less it) or of an amount the member states ("an order of $300").
- **deadline**: a date the question names ("the 3rd of October", "today") plus the span a
  passage states ("returns within 21 days"), the newer source's span when two disagree; less
  it when the passage counts it back ("book no later than 14 days before the first night").
- **interval**: days until a date, or the hours of a time range (``intervals``).

Money is ``Decimal`` and dates ``datetime.date``; every passage used is cited.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Literal

from townsquare.studio.conversation.answers import PREFIX_MIN, UNKNOWN, Answer, Candidate, Chooser
from townsquare.studio.conversation.intervals import interval
from townsquare.studio.conversation.operations import (
    Item,
    count_of,
    counting_words,
    items,
    start_date,
    stated_amount,
    words_after,
)
from townsquare.studio.conversation.rates import counted, terms
from townsquare.studio.conversation.shipping import (
    PERCENT,
    Search,
    adds_fee,
    pick_item,
    price_of,
    price_words,
    total,
)
from townsquare.studio.conversation.values import Money, add_span, counts_back, money, values
from townsquare.studio.conversation.wording import content_words, meets
from townsquare.studio.knowledge.passages import Passage

__all__ = ["Computed", "Search", "compute"]

Computed = Answer | Literal["unknown"] | None
# A span that answers a deadline though the passage names little of the question (an FAQ on
# returns for "when can I send the Blue Ridge print back?") is at least this close in meaning.
SPAN_DENSE = 0.35


def compute(chooser: Chooser, passages: Sequence[Passage], search: Search) -> Computed:
    """The computed answer when the question asks for one (a total, a share, a deadline);
    None when it asks for none."""
    asked = chooser.asked
    if asked.wants_total and (asked.destination or adds_fee(chooser.question, chooser.cues)):
        return total(chooser, passages, search)
    if asked.type in ("price", "other") and not asked.destination:
        shared = _split(chooser, passages)
        if shared is not None:
            return shared
    if asked.type == "price" and not asked.destination:
        named = items(chooser.question, chooser.cues)
        summed = _items(chooser, passages, search, named) if named else None
        if summed is not None:
            return summed
        timed = _times(chooser, passages)
        if timed is not None:
            return timed
    if asked.wants_total:
        return UNKNOWN  # a total of no fee that no item sums
    if asked.type in ("price", "other") and (amount := stated_amount(chooser.question)):
        of_amount = _share_of_amount(chooser, passages, *amount)
        if of_amount is not None:
            return of_amount
    if asked.type == "price":
        return _share(chooser, passages)
    if asked.type in ("when", "other") and (
        start := start_date(chooser.question, asked.language, chooser.on)
    ):
        return _deadline(chooser, passages, start)
    if asked.type == "duration":
        return interval(chooser, passages)
    return None


def _times(chooser: Chooser, passages: Sequence[Passage]) -> Computed:
    """The price of one times the count the question names, or, for a price by the unit
    ("€45 per hive per week"), times the count of each unit it names ("3 hives for 2
    weeks"), plus the parts joined to it ("€30 call-out plus €25 an hour"); None when the
    question counts nothing the price is by, UNKNOWN when it counts and no price is found."""
    subject = chooser.asked.subject - counting_words(chooser.question, chooser.cues)
    many = count_of(chooser.question, chooser.cues) > 1
    found = chooser.candidates(passages, "price", frozenset(subject))
    item = pick_item(chooser, found) if found else None
    said_price = price_words(item, chooser.question) if item is not None else None
    if item is None or said_price is None:
        return UNKNOWN if many else None
    parts = terms(item.sentence, said_price)
    each = bool(chooser.cues.each) and re.search(chooser.cues.each, chooser.question.lower())
    said: list[str] = []
    summed = Decimal(0)
    multiplied = False
    for part in parts:
        counts = counted(part, chooser.question, chooser.cues)
        if not counts and len(parts) == 1 and not each:
            # a price by no unit the question counts, times how many it asks for
            counts = [count_of(chooser.question, chooser.cues, sold=item.sentence)]
        counts = [n for n in counts if n > 1]
        multiplied = multiplied or bool(counts)
        summed += part.amount.amount * math.prod(counts)
        times = " x ".join(str(n) for n in counts)
        phrase = chooser.cues.phrases.times
        said.append(phrase.format(count=times, price=part.amount) if times else str(part.amount))
    if not multiplied:
        return None  # nothing counted: the question's own answer, not a sum
    total = Money(summed, parts[0].amount.symbol)
    text = chooser.cues.phrases.product.format(
        total=total, first=" + ".join(said), quote=item.sentence
    )
    return Answer(text, [item.passage.citation(item.sentence)])


def _split(chooser: Chooser, passages: Sequence[Passage]) -> Computed:
    """The item's price over the people sharing it ("me and next door are splitting a bulk
    bag", "going halves on the course between the three of us": two when it counts none);
    None when the question shares nothing, UNKNOWN when it does and no price is found."""
    cues = chooser.cues
    split = re.search(cues.split, chooser.question.lower()) if cues.split else None
    if split is None:
        return None
    people = max(count_of(chooser.question, cues), 2)
    item = _item(chooser, passages, words_after(chooser.question, split.end(), cues))
    if item is not None and len([v for v in item.found if money(v)]) > 1:
        return None  # "£20 a session, or £100 for all six": which is shared is not said
    price = price_of(item, chooser.question) if item is not None else None
    if item is None or price is None or not price.amount:
        return UNKNOWN
    each = Money(price.amount / people, price.symbol)
    text = cues.phrases.split.format(result=each, price=price, people=people, quote=item.sentence)
    return Answer(text, [item.passage.citation(item.sentence)])


def _item(chooser: Chooser, passages: Sequence[Passage], what: frozenset[str]) -> Candidate | None:
    """The price sentence of the item ``what`` names (``_best_named``), else the chooser's
    pick among the prices about the rest of the question; None when there is none."""
    subject = chooser.asked.subject - counting_words(chooser.question, chooser.cues)
    found = _best_named(chooser, passages, what) or chooser.candidates(
        passages, "price", frozenset(subject)
    )
    return pick_item(chooser, found) if found else None


def _best_named(
    chooser: Chooser, passages: Sequence[Passage], what: frozenset[str]
) -> list[Candidate]:
    """The prices whose item ``what`` (what the question shares) names best ("splitting a
    bulk bag of the mixed hardwood" is the bulk bag's price, however much of the member's
    own context the question holds besides): of every price sentence, those naming more than
    half of it and the most of it; [] when none does (the chooser's bars decide then)."""
    if not what:
        return []
    prices = [c for c, _ in chooser.scan(passages, "price", chooser.asked.subject)]
    named = {id(c): _named(what, f"{c.passage.locator} {c.sentence}") for c in prices}
    most = max(named.values(), default=0)
    if 2 * most <= len(what):
        return []
    return [c for c in prices if named[id(c)] == most]


def _items(
    chooser: Chooser, passages: Sequence[Passage], search: Search, named: list[Item]
) -> Computed:
    """The sum of the items' prices, each found by its own words (and its own search when
    the question's passages hold none); None when one has no price, or two are one."""
    chosen: list[tuple[Candidate, Money, int]] = []
    for item in named:
        found = chooser.candidates(passages, "price", item.words)
        found = found or chooser.candidates(search(item.phrase), "price", item.words)
        if not found:
            return None
        # the sentences that name most of the item themselves ("Extra edited images are $18
        # each" for "5 extra edited images", not the session's sentence under the same title)
        own = {id(c): len(item.words & content_words(c.sentence)) for c in found}
        found = [c for c in found if own[id(c)] == max(own.values())]
        best = pick_item(chooser, found)
        price = price_of(best, item.phrase)
        if price is None:
            return None
        chosen.append((best, price, item.count))
    if len({(c.sentence, str(p)) for c, p, _ in chosen}) < len(chosen):
        return None
    if len({p.symbol for _, p, _ in chosen} - {""}) > 1:
        return None
    symbol = next((p.symbol for _, p, _ in chosen if p.symbol), "")
    summed = Money(sum((p.amount * n for _, p, n in chosen), Decimal(0)), symbol)
    said = [
        chooser.cues.phrases.times.format(count=n, price=p) if n > 1 else str(p)
        for _, p, n in chosen
    ]
    (first, item1), (second, item2) = zip(said, [c for c, _, _ in chosen], strict=True)
    text = chooser.cues.phrases.total.format(
        total=summed, first=first, second=second, quote1=item1.sentence, quote2=item2.sentence
    )
    return Answer(
        text, [item1.passage.citation(item1.sentence), item2.passage.citation(item2.sentence)]
    )


def _shares(chooser: Chooser, passages: Sequence[Passage]) -> list[Candidate]:
    """Sentences stating a percentage and no price, the best first."""
    found = [
        c
        for c in chooser.candidates(passages, "quantity", frozenset())
        if PERCENT.search(c.sentence) and not values("price", c.sentence)
    ]
    return sorted(found, key=lambda c: -c.score)


def _share_of_amount(
    chooser: Chooser, passages: Sequence[Passage], words: str, amount: Money
) -> Computed:
    """A percentage a passage states about the question ("custom orders need a 40% deposit"),
    of the amount the member states ("an order that comes to $300")."""
    subject = chooser.asked.subject
    for share in _shares(chooser, passages):
        named = subject & content_words(f"{share.passage.locator} {share.sentence}")
        percent = PERCENT.search(share.sentence)
        if len(named) < 2 or percent is None:
            continue
        return _apply(chooser, share, percent, amount, None)
    return None


def _share(chooser: Chooser, passages: Sequence[Passage]) -> Computed:
    """A percentage of an item's price, when a passage states one about words of the question
    that the item's own passage does not hold ("deposit" for "the deposit on the Raleigh";
    "sale" for "a gallery frame in the sale")."""
    subject = chooser.asked.subject
    for share in _shares(chooser, passages):
        about = f"{share.passage.title} {share.passage.locator} {share.sentence}"
        named = subject & content_words(re.sub(r"[-_.]+", " ", about))
        if not named:
            continue  # the share is about none of the question
        # The item: a price in a sentence not about the share itself, about most of the rest
        # of the question (of all of it, when the share names the item too: "every linen apron
        # is 30% off"); failing one, the price naming more of the rest than any other ("the
        # wildflower honey" of "we run a cafe and want 24 jars of wildflower honey"), else
        # about most of what the share and the question both name ("members get 10% off the
        # taster day" for "I'm in the Kildare association, the taster day with the discount?").
        prices = [
            c
            for c in chooser.candidates(passages, "price", frozenset())
            if c.sentence != share.sentence
        ]
        rest = frozenset(subject - named) or named
        found = (
            _naming(prices, rest, half=True)
            or _naming(prices, rest, half=False)
            or _naming(prices, named, half=True)
        )
        if not found:
            continue
        item = pick_item(chooser, found)
        held = content_words(f"{item.passage.title} {item.passage.locator} {item.passage.text}")
        if not named - held:
            continue  # the item's own source says all the share does: not a share of it
        price = price_of(item, chooser.question)
        percent = PERCENT.search(share.sentence)
        if price is None or percent is None:
            continue
        return _apply(chooser, share, percent, price, item)
    return None


def _naming(found: list[Candidate], words: frozenset[str], *, half: bool) -> list[Candidate]:
    """The candidates whose sentence (with its locator) names at least half of ``words``
    (``half``), or else the most of them, at least one ("beekeeping" names "beekeepers")."""
    named = {id(c): _named(words, f"{c.passage.locator} {c.sentence}") for c in found}
    most = max(named.values(), default=0)
    least = (len(words) + 1) // 2 if half else max(most, 1)
    return [c for c in found if named[id(c)] >= least]


def _named(words: frozenset[str], text: str) -> int:
    """How many of ``words`` ``text`` names, a stem meeting the longer ones it begins."""
    held = content_words(text)
    return sum(meets(word, held, shortest=PREFIX_MIN) for word in words)


def _apply(
    chooser: Chooser,
    share: Candidate,
    percent: re.Match[str],
    price: Money,
    item: Candidate | None,
) -> Answer:
    """``percent`` of ``price`` (or ``price`` less it, for a discount), citing the share and
    the item's source (none when the member stated the amount)."""
    part = Decimal(percent.group(1)) / 100
    off = re.search(chooser.cues.discount, share.sentence, re.I) is not None
    result = Money(price.amount * ((1 - part) if off else part), price.symbol)
    quote1 = item.sentence if item else str(price)
    text = chooser.cues.phrases.share.format(
        result=result,
        percent=percent.group(0) + (" off" if off else ""),
        price=price,
        quote1=quote1,
        quote2=share.sentence,
    )
    cited = [item.passage.citation(item.sentence)] if item else []
    return Answer(text, [*cited, share.passage.citation(share.sentence)])


def _deadline(chooser: Chooser, passages: Sequence[Passage], start: tuple[str, date]) -> Computed:
    """The question's date plus the span a passage states about the rest of the question, or
    failing one, the span closest in meaning to the question."""
    words, day = start
    subject = content_words(chooser.question.replace(words, " "), ignore=chooser.cues.asking)
    about = frozenset(subject)
    spans = chooser.candidates(passages, "duration", about) or [
        c for c, _ in chooser.scan(passages, "duration", about) if c.dense >= SPAN_DENSE
    ]
    if not spans:
        return None
    span, _ = chooser.pick(spans)
    for said in span.found:
        back = counts_back(span.sentence, said)
        end = add_span(day, said, back=back)
        if end is not None:
            fmt = chooser.cues.phrases.date_format
            phrase = chooser.cues.phrases.ahead if back else chooser.cues.phrases.deadline
            text = phrase.format(
                date=end.strftime(fmt),
                span=said,
                start=day.strftime(fmt),
                quote=span.sentence,
            )
            return Answer(text, [span.passage.citation(span.sentence)])
    return None
