"""The operands a computed question names itself: counts, the items of a sum, an amount the
member states, and the date a span counts from, in the member's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from townsquare.studio.conversation.cues import cues
from townsquare.studio.conversation.operations import (
    count_of,
    items,
    start_date,
    stated_amount,
    words_after,
)
from townsquare.studio.conversation.values import Money

EN = cues("en")


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("Could I get 6 of the beeswax candles?", 6),
        ("What do three jars of honey cost?", 3),
        ("How much is a dozen bagels?", 12),
        ("A pair of wool socks, how much?", 2),
        ("Is the 8x10 print framed?", 1),
        ("What's postage to zone 2 for a candle?", 1),
        ("If I buy it on 21 September, when does the guarantee end?", 1),
        ("How much is the six-week pottery course?", 1),
        ("What would it cost for me and my brother?", 2),
        ("If the swarm is 20 miles away, what would it cost?", 1),
        ("How much is delivery for 15 km?", 1),
    ],
)
def test_the_count_a_question_names(question: str, count: int) -> None:
    assert count_of(question, EN) == count


def test_a_pair_is_one_when_it_is_sold_as_a_pair() -> None:
    question = "How much are a pair of walking poles?"
    assert count_of(question, EN, sold="Walking poles (pair): $40.") == 1
    assert count_of(question, EN, sold="Walking pole: $22 each.") == 2
    assert count_of("¿Cuánto cuestan dos velas de cera?", cues("es")) == 2


def test_a_number_after_what_the_item_is_called_is_its_label() -> None:
    question = "how much wd pitch 9 cost me for the weekend?"
    assert count_of(question, EN, sold="Pitch 9: grass pitch with hook-up; £24 a night.") == 1
    assert count_of(question, EN) == 9  # the item unknown: read as before
    order = "can I get 9 pitch pegs, how much?"
    assert count_of(order, EN, sold="Pitch pegs: steel; £1.50 each.") == 9


def test_the_items_a_sum_adds_each_with_its_count() -> None:
    found = items("What do a sourdough loaf and 4 croissants come to altogether?", EN)
    assert [(set(i.words), i.count) for i in found] == [
        ({"sourdough", "loaf"}, 1),
        ({"croissant"}, 4),
    ]
    plus = items("The linen apron plus gift wrapping - how much?", EN)
    assert [set(i.words) for i in plus] == [{"linen", "apron"}, {"gift", "wrap"}]


def test_no_sum_without_two_things_and_a_sum_asked() -> None:
    assert items("Is the bread and butter pudding vegan?", EN) == []
    assert items("How much for me and my partner in total?", EN) == []


def test_an_amount_the_member_states() -> None:
    assert stated_amount("My basket comes to €80.50; what's the deposit?") == (
        "€80.50",
        Money(Decimal("80.50"), "€"),
    )
    assert stated_amount("What's the deposit on a wedding cake?") is None


ON = date(2026, 9, 10)


@pytest.mark.parametrize(
    ("question", "language", "day"),
    [
        (
            "Wenn ich am 3. Oktober bestelle, bis wann kann ich zurückgeben?",
            "de",
            date(2026, 10, 3),
        ),
        ("Si lo compro el 5 de noviembre, ¿hasta cuándo es válido?", "es", date(2026, 11, 5)),
        ("Se eu encomendar a 7 de outubro, até quando posso devolver?", "pt", date(2026, 10, 7)),
        ("If I order on the 3rd, when's the last day to return it?", "en", date(2026, 10, 3)),
        ("If I order on the 14th, when's the last day to return it?", "en", date(2026, 9, 14)),
        ("I bought it on the 2nd of August. When does the warranty end?", "en", date(2026, 8, 2)),
        ("If I book today, when is the balance due?", "en", ON),
    ],
)
def test_the_date_a_span_counts_from(question: str, language: str, day: date) -> None:
    found = start_date(question, language, ON)
    assert found is not None and found[1] == day


def test_no_date_no_start() -> None:
    assert start_date("How long do I have to return a print?", "en", ON) is None


@pytest.mark.parametrize(
    ("question", "words"),
    [
        (
            "my nan and I are splitting 3 folding chairs for the hall - cost?",
            {"fold", "chair", "hall"},
        ),
        ("we're splitting the heavy wheelbarrow, what's the damage", {"heavy", "wheelbarrow"}),
        ("splitting, what's that each?", set()),
    ],
)
def test_what_a_split_shares_is_the_words_after_it(question: str, words: set[str]) -> None:
    assert words_after(question, question.index("splitting") + len("splitting"), EN) == words
