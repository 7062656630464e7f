"""The business agent's fixed texts: every language has every text with the same placeholders,
the customer's language is told from their messages, and a refusal names its rule in it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from string import Formatter
from typing import get_args

import pytest

from townsquare.ai.languages import COMMUNITY_LANGUAGES
from townsquare.db.models import AppointmentSlot
from townsquare.errors import Conflict, Forbidden, NotFound
from townsquare.studio.business.phrases import CATALOGUE, LANGUAGES, STATUSES
from townsquare.studio.business.phrases.texts import Text
from townsquare.studio.business.wording import (
    Clash,
    Missing,
    Refusal,
    customer_language,
    moment,
    quoted_note,
    say,
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
    assert moment("en", datetime(2026, 12, 10, 14, 0)) == "Thu 10 Dec 14:00 UTC"
    said = say("pt", "rule_window", days=21, order="R-1", date=date(2026, 11, 27))
    assert said == (
        "as devoluções são aceites até 21 dias após a entrega, e a encomenda R-1 foi entregue a"
        " 27 novembro 2026"
    )
    assert say("es", "order", order="R-1", status="shipped", items="1 x A", total="6.50 EUR") == (
        "El pedido R-1 está enviado: 1 x A, 6.50 EUR."
    )


def test_a_refusal_is_forbidden_in_english_and_told_in_the_customers_language() -> None:
    refusal = Refusal("rule_notice", hours=48, booking=3, when=datetime(2026, 12, 8, 9, 0))
    assert isinstance(refusal, Forbidden)
    assert str(refusal) == (
        "appointments can be moved or cancelled up to 48 hours before they start, and"
        " appointment 3 starts Tue 08 Dec 09:00 UTC"
    )
    assert refusal.told("fr").startswith(
        "les rendez-vous peuvent être déplacés ou annulés jusqu'à 48 heures avant leur début"
    )


def test_what_is_missing_or_in_the_way_is_told_in_the_customers_language() -> None:
    missing, clash = Missing("no_order", order="R-9"), Clash("slot_taken", slot=4)
    assert isinstance(missing, NotFound) and isinstance(clash, Conflict)
    assert str(missing) == "there is no order 'R-9' on your account"  # the API's 404 detail
    assert missing.told("pt") == "não existe a encomenda 'R-9' na sua conta"
    assert clash.told("de") == "Zeitfenster 4 ist schon vergeben"


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
        AppointmentSlot(id=4, starts_at=datetime(2026, 12, 10, 14, tzinfo=UTC), service="Trim"),
        AppointmentSlot(id=5, starts_at=datetime(2026, 12, 11, 9, tzinfo=UTC), service=""),
    ]
    assert (
        slot_lines("en", slots)
        == "slot 4: Thu 10 Dec 14:00 UTC (Trim); slot 5: Fri 11 Dec 09:00 UTC"
    )
