"""Appointment slots and bookings. A slot holds at most one live booking; a customer only ever
sees, moves or cancels their own bookings."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from townsquare.db.models import AppointmentSlot, Booking, Customer
from townsquare.db.types import utcnow
from townsquare.errors import InvalidInput
from townsquare.studio.business import shop_clock
from townsquare.studio.business.wording import Clash, Missing, Refusal

FREE_SLOTS_LIMIT = 8


def add_slot(
    session: Session, business_id: int, starts_at: datetime, *, minutes: int = 30, service: str = ""
) -> AppointmentSlot:
    if not 5 <= minutes <= 24 * 60:
        raise InvalidInput("a slot lasts 5 minutes to a day")
    slot = AppointmentSlot(
        business_id=business_id, starts_at=starts_at, minutes=minutes, service=service
    )
    session.add(slot)
    session.flush()
    return slot


def _taken() -> object:
    return exists().where(Booking.slot_id == AppointmentSlot.id, Booking.status == "booked")


def free_slots(
    session: Session,
    business_id: int,
    *,
    after: datetime | None = None,
    limit: int | None = FREE_SLOTS_LIMIT,
    services: Sequence[str] = (),
) -> list[AppointmentSlot]:
    """The next free slots, soonest first (of these ``services`` only, when any are given;
    all of them when ``limit`` is None)."""
    query = select(AppointmentSlot).where(
        AppointmentSlot.business_id == business_id,
        AppointmentSlot.starts_at >= (after or utcnow()),
        ~_taken(),  # type: ignore[operator]
    )
    if services:
        query = query.where(AppointmentSlot.service.in_(services))
    return list(session.scalars(query.order_by(AppointmentSlot.starts_at).limit(limit)))


def free_slot(session: Session, business_id: int, slot_id: int) -> AppointmentSlot:
    slot = session.get(AppointmentSlot, slot_id, with_for_update=True)
    if slot is None or slot.business_id != business_id:
        raise Missing("no_slot", slot=slot_id)
    if slot.starts_at < utcnow():
        raise Clash("slot_past", slot=slot_id, when=shop_clock.starts(slot))
    taken = session.scalar(
        select(Booking.id).where(Booking.slot_id == slot.id, Booking.status == "booked")
    )
    if taken is not None:
        raise Clash("slot_taken", slot=slot_id, when=shop_clock.starts(slot))
    return slot


def customer_bookings(session: Session, customer: Customer) -> list[Booking]:
    return list(
        session.scalars(
            select(Booking)
            .where(Booking.customer_id == customer.id, Booking.status == "booked")
            .order_by(Booking.id)
        )
    )


def customer_booking(session: Session, customer: Customer, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None or booking.customer_id != customer.id or booking.status != "booked":
        raise Missing("no_booking", booking=booking_id)
    return booking


def check_upcoming(session: Session, booking: Booking) -> None:
    """A booking can be moved or cancelled until its slot starts (409 after)."""
    if booking.status != "booked":
        raise Clash("booking_was_cancelled", booking=booking.id)
    slot = session.get(AppointmentSlot, booking.slot_id)
    if slot is not None and slot.starts_at < utcnow():
        raise Clash("booking_started", booking=booking.id)


def check_notice(session: Session, booking: Booking, notice_hours: int | None) -> None:
    """The customer changes an appointment no later than the policy's notice period before it
    (403 naming the rule after); the owner's own changes are not bound by it."""
    slot = session.get(AppointmentSlot, booking.slot_id)
    if notice_hours is None or slot is None:
        return
    if slot.starts_at - utcnow() < timedelta(hours=notice_hours):
        raise Refusal("rule_notice", hours=notice_hours, when=shop_clock.starts(slot))


@contextmanager
def _into(session: Session, slot: AppointmentSlot) -> Iterator[None]:
    """The block puts a booking into ``slot`` in a savepoint: the database refuses a second
    live booking of a slot (two at once both passed ``free_slot``), and that is a 409 that
    leaves the rest of the transaction as it was."""
    try:
        with session.begin_nested():
            yield
            session.flush()
    except IntegrityError as exc:
        raise Clash("slot_taken", slot=slot.id, when=shop_clock.starts(slot)) from exc


def book(session: Session, customer: Customer, slot_id: int) -> Booking:
    slot = free_slot(session, customer.business_id, slot_id)
    booking = Booking(slot_id=slot_id, customer_id=customer.id, status="booked")
    with _into(session, slot):
        session.add(booking)
    return booking


def move(
    session: Session,
    customer: Customer,
    booking_id: int,
    slot_id: int,
    *,
    notice_hours: int | None = None,
) -> Booking:
    booking = customer_booking(session, customer, booking_id)
    check_upcoming(session, booking)
    check_notice(session, booking, notice_hours)
    if booking.slot_id == slot_id:
        held = session.get(AppointmentSlot, slot_id)
        assert held is not None, "the booking's own slot"
        raise Clash("booking_in_slot", booking=booking_id, when=shop_clock.starts(held))
    slot = free_slot(session, customer.business_id, slot_id)
    with _into(session, slot):
        booking.slot_id = slot_id
    return booking


def cancel(
    session: Session, customer: Customer, booking_id: int, *, notice_hours: int | None = None
) -> Booking:
    booking = customer_booking(session, customer, booking_id)
    check_upcoming(session, booking)
    check_notice(session, booking, notice_hours)
    booking.status = "cancelled"
    session.flush()
    return booking
