"""A price's terms and units, and what a question counts of each unit."""

from __future__ import annotations

from decimal import Decimal

from townsquare.studio.conversation.cues import ENGLISH
from townsquare.studio.conversation.rates import counted, terms


def test_a_price_is_by_the_units_after_it() -> None:
    (term,) = terms("Hive rental: price €45 per hive per week; notes two weeks minimum.", "€45")
    assert term.amount.amount == Decimal(45) and term.units == ("hiv", "week")
    (hourly,) = terms("Tuning: $60 an hour, travel extra.", "$60")
    assert hourly.units == ("hour",)


def test_prices_joined_by_plus_are_one_prices_terms() -> None:
    sentence = "Swarm collection: price €30 call-out plus €25 an hour; notes within 30 km."
    found = terms(sentence, "€25")
    assert [(t.said, t.units) for t in found] == [("€30", ()), ("€25", ("hour",))]
    assert [t.said for t in terms("Mugs £12; bowls £20.", "£20")] == ["£20"]
    assert terms("Mugs £12.", "£99") == []


def test_a_question_counts_each_unit_and_the_people() -> None:
    (rental,) = terms("Hive rental: €45 per hive per week.", "€45")
    assert counted(rental, "We need 3 big hives for 2 weeks", ENGLISH) == [3, 2]
    assert counted(rental, "one hive for a fortnight", ENGLISH) == [1, 2]
    assert counted(rental, "how much is it?", ENGLISH) == []
    (tour,) = terms("Hive tour: EUR 35 per person.", "EUR 35")
    assert counted(tour, "A hive tour for me and my daughter?", ENGLISH) == [2]
    assert counted(tour, "A hive tour for four of us?", ENGLISH) == [4]
    assert counted(tour, "One hive tour?", ENGLISH) == [1]
