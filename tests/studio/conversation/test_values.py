"""Answers of each type in a sentence, money added as Decimal, and dates counted on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from townsquare.studio.conversation.values import (
    Money,
    add_money,
    add_span,
    counts_back,
    money,
    values,
)


@pytest.mark.parametrize(
    ("kind", "sentence", "found"),
    [
        ("price", "Taster: price £45; duration 2 hours.", ["£45"]),
        ("price", "Entry is free for members, 12 euros otherwise.", ["free", "12 euros"]),
        ("time", "Open 9:30am to 5:30pm, Thursdays till 7pm.", ["9:30am", "5:30pm", "7pm"]),
        ("when", "On the first Saturday of every month.", ["first Saturday"]),
        ("when", "Moving to Saturday 27 June 2026.", ["Saturday 27 June 2026"]),
        (
            "duration",
            "Bring it back within 30 days, or two weeks for parts.",
            ["30 days", "two weeks"],
        ),
        ("age", "Kids' first pedal bike, ages 4-6, red.", ["ages 4-6"]),
        ("age", "Jonah is 19, doing his qualification.", ["Jonah is 19"]),
        ("age", "Young people from 14 can join with a booked adult.", ["from 14"]),
        ("age", "Für Kinder ab 8 Jahren.", ["ab 8"]),
        ("age", "Voor kinderen van 5 tot 12 jaar.", ["5 tot 12 jaar"]),
        ("age", "Aberto a partir de 16 anos.", ["a partir de 16"]),
        ("level", "Good for complete beginners.", ["complete beginners"]),
        ("distance", "About 40 km, out through Loxley.", ["40 km"]),
        ("quantity", "Arch 7 opens at 9am; 4 places at £120.", ["7", "4"]),
        ("name", "The dog is called Bramble.", ["Bramble"]),
        ("place", "The ride meets at Kelham Island Museum.", ["at Kelham Island Museum"]),
        ("place", "Open in May, at Rua do Almada 212 in Porto.", ["at Rua", "in Porto"]),
    ],
)
def test_each_type_finds_its_answers_in_the_source_words(
    kind: str, sentence: str, found: list[str]
) -> None:
    assert values(kind, sentence) == found  # type: ignore[arg-type]


def test_a_sentence_of_another_type_holds_no_answer() -> None:
    assert values("price", "The class runs on Saturdays from 10am.") == []
    assert values("age", "Level intermediate; 7 hours; 9:30-4:30.") == []
    assert values("age", "It is 10 minutes away; Kelham is 5 minutes on foot.") == []
    # "from" a time or a price, or the start of a range of hours, is no age
    assert values("age", "Open from 10 to 4, from 9:30 on Sundays, from £5.") == []
    assert values("age", "Ouvert dès 10h, ab 9 Uhr.") == []
    assert values("age", "Prices change from 1 February 2026, from 3 May 2026.") == []
    assert values("other", "Anything at all.") == []
    assert values("place", "I opened the studio in October 2021, on Saturday.") == []


def test_money_is_decimal_and_only_one_currency_adds_up() -> None:
    assert money("£6.50") == Money(Decimal("6.50"), "£")
    assert money("£1,450") == Money(Decimal("1450"), "£")
    assert money("free") == Money(Decimal(0), "")
    assert money("30%") is None  # a part, not an amount
    assert str(add_money(Money(Decimal("13.00"), "£"), Money(Decimal("4.50"), "£"))) == "£17.50"
    assert str(add_money(Money(Decimal(18), "£"), Money(Decimal(11), "£"))) == "£29"
    assert add_money(Money(Decimal(1), "£"), Money(Decimal(1), "€")) is None


@pytest.mark.parametrize(
    ("span", "end"),
    [
        ("30 days", date(2026, 6, 1)),
        ("two weeks", date(2026, 5, 16)),
        ("12 months", date(2027, 5, 2)),
        ("5 working days", date(2026, 5, 8)),  # 2 May 2026 is a Saturday
    ],
)
def test_a_span_is_counted_on_from_a_date(span: str, end: date) -> None:
    assert add_span(date(2026, 5, 2), span) == end


def test_a_span_without_a_length_in_days_is_not_counted() -> None:
    assert add_span(date(2026, 5, 2), "90 minutes") is None
    assert add_span(date(2026, 5, 2), "soon") is None


@pytest.mark.parametrize(
    ("sentence", "said", "amount"),
    [
        ("Le bol coûte 12,50 € et la tasse 8 €.", ["12,50 €", "8 €"], ["€12.50", "€8"]),
        ("Prints: USD 45.00 each.", ["USD 45.00"], ["$45"]),
        ("Das Set kostet 1.250,00 EUR.", ["1.250,00 EUR"], ["€1,250"]),
        ("A wedding package is $1,250.", ["$1,250"], ["$1,250"]),
        ("O kit custa R$ 120,00.", ["R$ 120,00"], ["R$120"]),
        ("Un cours coûte CHF 30.", ["CHF 30"], ["CHF 30"]),
        ("Envio: 30 libras.", ["30 libras"], ["£30"]),
        ("Cards 2.50€ each.", ["2.50€"], ["€2.50"]),
    ],
)
def test_a_price_in_any_currency_format(sentence: str, said: list[str], amount: list[str]) -> None:
    assert values("price", sentence) == said
    assert [str(money(s)) for s in said] == amount


def test_a_span_counted_back_from_a_date() -> None:
    assert add_span(date(2026, 12, 20), "14 days", back=True) == date(2026, 12, 6)
    assert add_span(date(2026, 6, 1), "2 working days", back=True) == date(2026, 5, 28)
    assert counts_back("Book no later than 14 days before the first night.", "14 days")
    assert counts_back("Réservez 2 semaines avant le départ.", "2 semaines")
    assert not counts_back("Returns within 14 days of delivery.", "14 days")
    assert not counts_back("Returns within 14 days of delivery.", "30 days")  # not in it
