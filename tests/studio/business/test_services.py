"""Which of the shop's appointment services a message names, and the requests read from them: a
booking asked by the service and a day, a booking named by its day."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.studio.business.conftest import Shop
from townsquare.db import Database
from townsquare.db.models import AppointmentSlot
from townsquare.db.types import utcnow
from townsquare.studio.business import appointments, orders
from townsquare.studio.business.days import named_slots
from townsquare.studio.business.services import (
    asks_for_service,
    named_services,
    names_a_booking,
    names_a_service,
    shop_services,
)

pytestmark = pytest.mark.postgres

SALON = ["Haircut and blow-dry", "Colour treatment", "Beard trim appointment"]


@pytest.mark.parametrize(
    ("message", "named"),
    [
        ("Can I get my hair cut on Friday?", ["Haircut and blow-dry"]),
        ("Do you have a haircut free tomorrow?", ["Haircut and blow-dry"]),
        ("I'd like my colour done", ["Colour treatment"]),
        ("Could you trim my beard on Monday?", ["Beard trim appointment"]),
        ("Is there an appointment free?", []),  # what every booking is called names none
        ("Quería un tratamiento de color", []),
    ],
)
def test_a_service_is_named_by_a_word_of_its_own(message: str, named: list[str]) -> None:
    assert named_services(message, SALON) == named


def test_a_word_of_another_form_names_the_service() -> None:
    assert names_a_service("Can your team come and groom my poodle?", ["Grooming"])
    assert names_a_service("una consulta", ["Garden consultation"])
    assert not names_a_service("Where is my parcel?", ["Grooming", "Garden consultation"])


def _slot(database: Database, shop: Shop, days: int, service: str) -> int:
    start = (utcnow() + timedelta(days=days)).replace(hour=15, minute=0, second=0, microsecond=0)
    with database.session() as session:
        return appointments.add_slot(
            session, shop.business_id, start, minutes=60, service=service
        ).id


def test_the_shops_services_and_a_booking_asked_by_service_and_day(
    database: Database, shop: Shop
) -> None:
    tuning = _slot(database, shop, 3, "Espresso machine tuning")
    with database.session() as session:
        assert shop_services(session, shop.business_id) == [
            "Espresso machine tuning",
            "Home brewing class",
        ]
        slot = session.get(AppointmentSlot, tuning)
        assert slot is not None
        day = f"{slot.starts_at.day} {slot.starts_at:%B}"
        assert asks_for_service(
            session, shop.business_id, f"Could someone tune my espresso machine on {day}?"
        )
        # A day with no free slot of that service, or no service named: no booking asked.
        assert not asks_for_service(
            session, shop.business_id, "Could someone tune my espresso machine on 31 February?"
        )
        assert not asks_for_service(session, shop.business_id, f"Are you open on {day}?")


def test_a_booking_is_named_by_its_day(database: Database, shop: Shop) -> None:
    with database.session() as session:
        alice = orders.customer_for_account(session, shop.business_id, shop.alice_id)
        assert alice is not None
        free = appointments.free_slots(session, shop.business_id)
        booking = appointments.book(session, alice, free[1].id)
        slot = session.get(AppointmentSlot, booking.slot_id)
        assert slot is not None and named_slots(f"{slot.starts_at:%A}", [slot])
        assert names_a_booking(session, alice, f"I can't make it on {slot.starts_at:%A}")
        other = free[2].starts_at
        assert not names_a_booking(session, alice, f"I can't make it on {other:%A}")
        assert not names_a_booking(session, None, f"I can't make it on {slot.starts_at:%A}")
