"""The policy's notice period: a customer's appointment is not moved or cancelled later than
that before it starts, and the refusal names the rule; the owner is not bound by it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.studio.business.conftest import Shop, say
from townsquare.db import Database
from townsquare.db.models import Booking
from townsquare.errors import Forbidden
from townsquare.studio.business import appointments, policy
from townsquare.studio.business.orders import customer_for_account
from townsquare.studio.business.runner import execute

pytestmark = pytest.mark.postgres


def _booked(database: Database, shop: Shop, notice: str) -> tuple[int, int]:
    with database.session() as session:
        policy.set_policy(session, shop.business_id, notice)
        alice = customer_for_account(session, shop.business_id, shop.alice_id)
        assert alice is not None
        first, second, *_ = appointments.free_slots(session, shop.business_id)
        return appointments.book(session, alice, first.id).id, second.id


def test_a_change_inside_the_notice_period_is_refused_naming_the_rule(
    database: Database, shop: Shop
) -> None:
    # The first slot is tomorrow at 10:00 UTC: always inside 100 hours.
    booking_id, slot_id = _booked(
        database, shop, "Appointments can be moved or cancelled with 100 hours' notice."
    )
    with database.session() as session:
        call = say(session, shop, shop.alice_id, "move it")
        moved = execute(call, "move_appointment", {"booking_id": booking_id, "slot_id": slot_id})
        cancelled = execute(call, "cancel_appointment", {"booking_id": booking_id})
        for result in (moved, cancelled):
            assert result.status == "refused"
            assert result.say.startswith(
                "I'm sorry, I can't do that: appointments can be moved or cancelled up to"
                " 100 hours before they start, and yours is on "
            )
        alice = customer_for_account(session, shop.business_id, shop.alice_id)
        assert alice is not None
        with pytest.raises(Forbidden, match="up to 100 hours before"):
            appointments.cancel(session, alice, booking_id, notice_hours=100)
        # Without the policy's notice (the owner's own changes), it is cancelled.
        assert appointments.cancel(session, alice, booking_id).status == "cancelled"


def test_outside_the_notice_period_the_change_is_proposed(database: Database, shop: Shop) -> None:
    booking_id, _ = _booked(database, shop, "Cancel at least 1 hours before your class.")
    with database.session() as session:
        call = say(session, shop, shop.alice_id, "cancel it")
        proposed = execute(call, "cancel_appointment", {"booking_id": booking_id})
        assert proposed.status == "proposed"
        live = session.scalar(select(Booking.status).where(Booking.id == booking_id))
        assert live == "booked"
