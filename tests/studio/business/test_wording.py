"""The business agent's fixed texts: every language has every text with the same placeholders,
the customer's language is told from their messages, and a refusal names its rule in it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from string import Formatter
from typing import get_args

import pytest
from babel.dates import format_date

from tests.utils.factories import slot_of_shop
from townsquare.ai.languages import COMMUNITY_LANGUAGES
from townsquare.db.models import AppointmentSlot
from townsquare.errors import Conflict, Forbidden, NotFound
from townsquare.studio.business.phrases import CATALOGUE, LANGUAGES, STATUSES
from townsquare.studio.business.phrases.texts import Language, Text
from townsquare.studio.business.wording import (
    Clash,
    Missing,
    Refusal,
    customer_language,
    moment,
    quoted_note,
    say,
    service,
    slot_lines,
    status,
)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_every_language_has_every_text_with_the_same_placeholders() -> None:
    assert set(CATALOGUE) == set(LANGUAGES) == set(STATUSES)
    # The creator agent's reply languages, and the neighbours' a shop's customers write in.
    assert set(LANGUAGES) == {*COMMUNITY_LANGUAGES, "it", "nl", "pl"}
    for language, texts in CATALOGUE.items():
        assert set(texts) == set(get_args(Text)), language
        for name, text in texts.items():
            assert _fields(text) == _fields(CATALOGUE["en"][name]), (language, name)


def test_every_language_but_english_names_every_status() -> None:
    for language in ("pt", "fr", "de", "es", "it", "nl", "pl"):
        assert set(STATUSES[language]) == set(STATUSES["pt"]), language
    assert status("fr", "pending") == "en attente" and status("en", "return_requested") == (
        "return requested"
    )


@pytest.mark.parametrize(
    ("message", "earlier", "language"),
    [
        ("Olá, quero cancelar a encomenda R-3203", [], "pt"),
        ("sim", ["Olá, quero cancelar a encomenda R-3203"], "pt"),
        ("oui", ["Je voudrais réserver un créneau samedi, s'il vous plaît."], "fr"),
        ("yes", ["Please cancel order R-3101"], "en"),
        ("yes", [], "en"),
        ("¿Dónde está mi pedido R-3401?", ["Please cancel order R-3101"], "es"),
        ("Vorrei annullare l'ordine PP-5502, la mia email è giulia@example.it", [], "it"),
        ("sì", ["Vorrei annullare l'ordine PP-5502, la mia email è giulia@example.it"], "it"),
        ("Waar is mijn bestelling R-3102?", [], "nl"),
        ("Chcę anulować zamówienie R-3101", [], "pl"),
        ("tak", ["Chcę anulować zamówienie R-3101"], "pl"),
    ],
)
def test_the_customers_language_is_their_latest_that_tells(
    message: str, earlier: list[str], language: str
) -> None:
    assert customer_language(message, earlier) == language


def test_dates_and_statuses_are_written_in_the_customers_language() -> None:
    assert moment("en", datetime(2026, 12, 10, 14, 0)) == "Thursday 10 December at 14:00 UTC"
    said = say("pt", "rule_window", days=21, order="R-1", date=date(2026, 11, 27))
    assert said == (
        "as devoluções são aceites até 21 dias após a entrega, e a encomenda R-1 foi entregue a"
        " 27 novembro 2026"
    )
    assert say("es", "order", order="R-1", status="shipped", items="1 x A", total="6.50 EUR") == (
        "El pedido R-1 está enviado: 1 x A, 6.50 EUR."
    )


def test_a_refusal_is_forbidden_in_english_and_told_in_the_customers_language() -> None:
    refusal = Refusal("rule_notice", hours=48, when=datetime(2026, 12, 8, 9, 0))
    assert isinstance(refusal, Forbidden)
    assert str(refusal) == (
        "appointments can be moved or cancelled up to 48 hours before they start, and yours is"
        " on Tuesday 8 December at 09:00 UTC"
    )
    assert refusal.told("fr").startswith(
        "les rendez-vous peuvent être déplacés ou annulés jusqu'à 48 heures avant leur début"
    )


def test_what_is_missing_or_in_the_way_is_told_in_the_customers_language() -> None:
    when = datetime(2026, 12, 10, 14, tzinfo=UTC)
    missing, clash = Missing("no_order", order="R-9"), Clash("slot_taken", slot=4, when=when)
    assert isinstance(missing, NotFound) and isinstance(clash, Conflict)
    assert str(missing) == "there is no order 'R-9' on your account"  # the API's 404 detail
    assert missing.told("pt") == "não existe a encomenda 'R-9' na sua conta"
    assert (
        clash.told("de") == "der Termin am Donnerstag, 10. Dezember um 14:00 UTC ist schon vergeben"
    )


def test_italian_dutch_and_polish_customers_read_their_own_language() -> None:
    assert say("it", "confirm_cancel", order="R-1", total="6.50 EUR") == (
        "Vuole che annulli l'ordine R-1 (6.50 EUR)?"
    )
    assert say("nl", "order", order="R-1", status="shipped", items="1 x A", total="6.50 EUR") == (
        "Bestelling R-1 is verzonden: 1 x A, 6.50 EUR."
    )
    said = say("pl", "rule_window", days=14, order="R-1", date=date(2026, 11, 27))
    within = "zwroty są przyjmowane do 14 dni od dostawy"
    assert said == f"{within}, a zamówienie R-1 dostarczono 27 listopada 2026"
    assert (
        Missing("no_order", order="R-9").told("it") == "non esiste l'ordine 'R-9' sul suo account"
    )


def test_a_quote_in_another_language_is_noted_in_the_customers() -> None:
    assert quoted_note("it", "en") == "(citato così come è scritto, in inglese)"
    assert quoted_note("nl", "en") == "(letterlijk geciteerd, in het Engels)"
    assert quoted_note("de", "de") == "" and quoted_note("pl", None) == ""


def test_a_free_slot_is_listed_with_its_service() -> None:
    slots = [
        slot_of_shop(4, datetime(2026, 12, 10, 14, tzinfo=UTC), service="Trim"),
        slot_of_shop(5, datetime(2026, 12, 11, 9, tzinfo=UTC)),
    ]
    assert slot_lines("en", slots) == (
        "Thursday 10 December at 14:00 UTC (Trim); Friday 11 December at 09:00 UTC"
    )
    assert slot_lines("nl", slots[:1]) == "donderdag 10 december om 14:00 UTC (Trim)"


@pytest.mark.parametrize(
    ("time_zone", "line"),
    [
        ("Europe/Berlin", "Friday 11 December at 00:30 CET"),  # the next day on the shop's clock
        ("America/New_York", "Thursday 10 December at 18:30 EST"),
        ("America/Sao_Paulo", "Thursday 10 December at 20:30 UTC-03"),  # no abbreviation
    ],
)
def test_a_slot_is_written_on_its_shops_clock(time_zone: str, line: str) -> None:
    slot = slot_of_shop(1, datetime(2026, 12, 10, 23, 30, tzinfo=UTC), time_zone=time_zone)
    assert slot_lines("en", [slot]) == line


APPOINTMENT_TEXTS: tuple[Text, ...] = (
    "confirm_book",
    "booked",
    "confirm_move",
    "moved",
    "confirm_cancel_booking",
    "booking_cancelled",
)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("text", APPOINTMENT_TEXTS)
def test_an_appointment_is_named_by_its_service_and_its_time_in_each_language(
    language: Language, text: Text
) -> None:
    when, was = datetime(2026, 12, 10, 14, tzinfo=UTC), datetime(2026, 12, 9, 11, tzinfo=UTC)
    said = say(language, text, service="Beard trim", when=when, was=was)
    weekday = format_date(when, "EEEE", locale=language)
    assert "Beard trim" in said and weekday in said and "14:00" in said
    assert "UTC" in said
    if "{was}" in CATALOGUE[language][text]:  # a move names where it comes from too
        assert format_date(was, "EEEE", locale=language) in said and "11:00" in said


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_customer_text_has_a_place_for_a_slots_or_a_bookings_id(language: Language) -> None:
    ids = {"slot", "booking"}
    assert [t for t, said in CATALOGUE[language].items() if _fields(said) & ids] == []
    # An appointment named by no service is called what any booking is called.
    slot = slot_of_shop(4, datetime(2026, 12, 10, 14, tzinfo=UTC))
    assert service(language, slot) == CATALOGUE[language]["appointment"]
    assert service(language, AppointmentSlot(service="Trim")) == "Trim"
