"""Bookings as the owner runs them: a free, future slot booked for one of the shop's customers
(a taken or past slot refused, one live booking per slot held by the database itself), the list
filtered by days, status and customer a page at a time, moves and cancellations of appointments
that have not started, each change in the audit log as the owner's, nobody else's."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tests.studio.business.conftest import Shop
from tests.utils.factories import make_account, unique_handle
from townsquare.db import Database
from townsquare.db.models import Account, AppointmentSlot, Booking, Customer, ToolCall
from townsquare.db.types import utcnow
from townsquare.errors import Conflict, Forbidden, InvalidInput, NotFound
from townsquare.studio.business import appointments, orders
from townsquare.studio.business.bookings import (
    BookingFilter,
    book_for,
    cancel_booking,
    free_slots,
    list_bookings,
    move_booking,
)
from townsquare.studio.business.wording import moment

pytestmark = pytest.mark.postgres


def _owner(session: Session, shop: Shop) -> Account:
    owner = session.get(Account, shop.business_id)
    assert owner is not None
    return owner


def _customer(session: Session, shop: Shop, member_id: int) -> Customer:
    customer = orders.customer_for_account(session, shop.business_id, member_id)
    assert customer is not None
    return customer


def _slots(session: Session, shop: Shop) -> list[AppointmentSlot]:
    return list(
        session.scalars(
            select(AppointmentSlot)
            .where(AppointmentSlot.business_id == shop.business_id)
            .order_by(AppointmentSlot.starts_at)
        )
    )


def test_the_owner_books_moves_and_cancels_for_a_customer(database: Database, shop: Shop) -> None:
    with database.session() as session:
        owner, alice = _owner(session, shop), _customer(session, shop, shop.alice_id)
        first, second, *_ = _slots(session, shop)
        assert [s.id for s in free_slots(session, owner=owner)][:2] == [first.id, second.id]
        booking = book_for(session, owner=owner, customer_id=alice.id, slot_id=first.id)
        assert (booking.customer_id, booking.slot_id, booking.status) == (
            alice.id,
            first.id,
            "booked",
        )
        assert first.id not in [s.id for s in free_slots(session, owner=owner)]
        # The customer sees it as the agent shows it to them.
        assert appointments.customer_bookings(session, alice) == [booking]
        moved = move_booking(session, owner=owner, booking_id=booking.id, slot_id=second.id)
        assert moved.slot_id == second.id
        assert first.id in [s.id for s in free_slots(session, owner=owner)]
        cancelled = cancel_booking(session, owner=owner, booking_id=booking.id)
        assert cancelled.status == "cancelled"
        assert appointments.customer_bookings(session, alice) == []
        logged = session.scalars(
            select(ToolCall).where(ToolCall.owner_id == shop.business_id).order_by(ToolCall.id)
        ).all()
        assert [(c.tool, c.arguments["slot_id"]) for c in logged] == [
            ("book_appointment", first.id),
            ("move_appointment", second.id),
            ("cancel_appointment", second.id),
        ]
        assert logged[0].result["say"] == (
            f"Booked: appointment {booking.id} in slot {first.id} for Alice Moreau."
        )


def test_a_taken_or_past_slot_and_a_settled_booking_are_refused(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        owner = _owner(session, shop)
        alice, bruno = (_customer(session, shop, m) for m in (shop.alice_id, shop.bruno_id))
        first, second, *_ = _slots(session, shop)
        booking = book_for(session, owner=owner, customer_id=alice.id, slot_id=first.id)
        at_first = re.escape(moment("en", first.starts_at))
        with pytest.raises(Conflict, match=f"^{at_first} is already taken$"):
            book_for(session, owner=owner, customer_id=bruno.id, slot_id=first.id)
        with pytest.raises(Conflict, match=f"^your appointment is already on {at_first}$"):
            move_booking(session, owner=owner, booking_id=booking.id, slot_id=first.id)
        past = appointments.add_slot(session, shop.business_id, utcnow() - timedelta(hours=1))
        in_the_past = f"^{re.escape(moment('en', past.starts_at))} is in the past$"
        with pytest.raises(Conflict, match=in_the_past):
            book_for(session, owner=owner, customer_id=bruno.id, slot_id=past.id)
        with pytest.raises(Conflict, match=in_the_past):
            move_booking(session, owner=owner, booking_id=booking.id, slot_id=past.id)
        with pytest.raises(NotFound, match=r"^that time is not one of ours$"):
            book_for(session, owner=owner, customer_id=bruno.id, slot_id=999_999)
        started = Booking(slot_id=past.id, customer_id=bruno.id, status="booked")
        session.add(started)
        session.flush()
        already = "^that appointment has already started$"
        with pytest.raises(Conflict, match=already):
            move_booking(session, owner=owner, booking_id=started.id, slot_id=second.id)
        with pytest.raises(Conflict, match=already):
            cancel_booking(session, owner=owner, booking_id=started.id)
        cancel_booking(session, owner=owner, booking_id=booking.id)
        with pytest.raises(Conflict, match=r"^that appointment is cancelled$"):
            cancel_booking(session, owner=owner, booking_id=booking.id)
        with pytest.raises(Conflict, match=r"^that appointment is cancelled$"):
            move_booking(session, owner=owner, booking_id=booking.id, slot_id=second.id)


def test_the_database_holds_one_live_booking_per_slot(
    database: Database, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    with database.session() as session:
        owner = _owner(session, shop)
        alice, bruno = (_customer(session, shop, m) for m in (shop.alice_id, shop.bruno_id))
        slot, other = _slots(session, shop)[:2]
        book_for(session, owner=owner, customer_id=alice.id, slot_id=slot.id)
        moving = book_for(session, owner=owner, customer_id=bruno.id, slot_id=other.id)
        # Two requests at once both find the slot free: the constraint refuses the second, and
        # the transaction goes on as it was.
        monkeypatch.setattr(appointments, "free_slot", lambda *_: slot)
        taken = f"^{re.escape(moment('en', slot.starts_at))} is already taken$"
        with pytest.raises(Conflict, match=taken):
            book_for(session, owner=owner, customer_id=bruno.id, slot_id=slot.id)
        with pytest.raises(Conflict, match=taken):
            move_booking(session, owner=owner, booking_id=moving.id, slot_id=slot.id)
        assert session.get(Booking, moving.id).slot_id == other.id  # type: ignore[union-attr]
        customer_ids, slot_id = (alice.id, bruno.id), slot.id
        session.rollback()
    with database.session() as session, pytest.raises(IntegrityError):
        for customer_id in customer_ids:
            session.add(Booking(slot_id=slot_id, customer_id=customer_id, status="booked"))
            session.flush()
    with database.session() as session:  # cancelled ones do not count
        for customer_id in customer_ids:
            session.add(Booking(slot_id=slot_id, customer_id=customer_id, status="cancelled"))
        session.flush()


def test_only_the_shops_own_customers_bookings_and_only_a_business(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        owner = _owner(session, shop)
        other = make_account(session, unique_handle("shop"), kind="business")
        stranger_customer = orders.add_customer(session, other.id, name="Z", email="z@example.com")
        alice = _customer(session, shop, shop.alice_id)
        first = _slots(session, shop)[0]
        with pytest.raises(NotFound, match=f"^you have no customer {stranger_customer.id}$"):
            book_for(session, owner=owner, customer_id=stranger_customer.id, slot_id=first.id)
        with pytest.raises(NotFound, match=r"^that time is not one of ours$"):
            book_for(session, owner=other, customer_id=stranger_customer.id, slot_id=first.id)
        booking = book_for(session, owner=owner, customer_id=alice.id, slot_id=first.id)
        with pytest.raises(NotFound, match=f"^there is no booking {booking.id}$"):
            cancel_booking(session, owner=other, booking_id=booking.id)
        with pytest.raises(NotFound, match=f"^there is no booking {booking.id}$"):
            move_booking(session, owner=other, booking_id=booking.id, slot_id=first.id)
        assert list_bookings(session, owner=other, where=BookingFilter(), limit=10).items == []
        member = session.get(Account, shop.alice_id)
        assert member is not None
        with pytest.raises(Forbidden, match="only a business account"):
            list_bookings(session, owner=member, where=BookingFilter(), limit=10)


def test_bookings_are_listed_by_days_status_and_customer_a_page_at_a_time(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        owner = _owner(session, shop)
        alice, bruno = (_customer(session, shop, m) for m in (shop.alice_id, shop.bruno_id))
        slots = _slots(session, shop)  # one a day from tomorrow
        made = [
            book_for(session, owner=owner, customer_id=who.id, slot_id=slot.id)
            for who, slot in zip((alice, bruno, alice, bruno), slots, strict=True)
        ]
        cancel_booking(session, owner=owner, booking_id=made[3].id)

        def ids(where: BookingFilter, limit: int = 10, cursor: str | None = None) -> list[int]:
            page = list_bookings(session, owner=owner, where=where, cursor=cursor, limit=limit)
            return [b.id for b in page.items]

        assert ids(BookingFilter()) == [b.id for b in reversed(made)]
        day = slots[1].starts_at.date()
        assert ids(BookingFilter(first_day=day, last_day=day)) == [made[1].id]
        assert ids(BookingFilter(first_day=day)) == [made[3].id, made[2].id, made[1].id]
        assert ids(BookingFilter(last_day=day)) == [made[1].id, made[0].id]
        assert ids(BookingFilter(status="cancelled")) == [made[3].id]
        assert ids(BookingFilter(status="booked", customer_id=bruno.id)) == [made[1].id]
        first = list_bookings(session, owner=owner, where=BookingFilter(), limit=3)
        assert first.next_cursor is not None
        assert ids(BookingFilter(), cursor=first.next_cursor) == [made[0].id]
        with pytest.raises(InvalidInput, match=r"^a booking is booked or cancelled, not 'lost'$"):
            ids(BookingFilter(status="lost"))
        with pytest.raises(InvalidInput, match=r"^the first day of the range is after its last"):
            ids(BookingFilter(first_day=day, last_day=day - timedelta(days=1)))
        with pytest.raises(InvalidInput, match=r"^cursor must be"):
            ids(BookingFilter(), cursor="x")


def test_the_owners_days_are_the_shops_own(database: Database, shop: Shop) -> None:
    """On Kiritimati (UTC+14) a slot at 11:00 UTC is 01:00 the next day: listed on that day."""
    with database.session() as session:
        owner = _owner(session, shop)
        owner.time_zone = "Pacific/Kiritimati"
        day = (utcnow() + timedelta(days=30)).date()
        late = appointments.add_slot(
            session, shop.business_id, datetime.combine(day, time(11), tzinfo=UTC)
        )
        alice = _customer(session, shop, shop.alice_id)
        booking = book_for(session, owner=owner, customer_id=alice.id, slot_id=late.id)

        def ids(first: date, last: date) -> list[int]:
            where = BookingFilter(first_day=first, last_day=last)
            return [b.id for b in list_bookings(session, owner=owner, where=where, limit=10).items]

        next_day = day + timedelta(days=1)
        assert ids(next_day, next_day) == [booking.id]
        assert ids(day, day) == []


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_calendars_first_and_last_days_list_every_booking_on_any_clock(
    database: Database, shop: Shop, zone: str
) -> None:
    """Midnight of 1 January of year 1 east of UTC, and of 31 December 9999 west of it, is no
    moment a datetime holds: the range runs to the calendar's edge instead of failing."""
    with database.session() as session:
        owner = _owner(session, shop)
        owner.time_zone = zone
        [slot, *_] = _slots(session, shop)
        alice = _customer(session, shop, shop.alice_id)
        booking = book_for(session, owner=owner, customer_id=alice.id, slot_id=slot.id)
        for first, last in ((date.min, date.max), (date.min, date.max - timedelta(days=1))):
            where = BookingFilter(first_day=first, last_day=last)
            listed = list_bookings(session, owner=owner, where=where, limit=10).items
            assert [b.id for b in listed] == [booking.id]
