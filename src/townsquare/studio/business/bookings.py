"""Bookings as the shop's owner runs them: book a free slot for one of the shop's customers,
list the bookings (by day range, status and customer, a page at a time), move and cancel them.
The rules are the agent's (``appointments``: one live booking per slot, no slot in the past, no
change once an appointment has started); each change goes to the audit log as the owner's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import MINYEAR, UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import timezones
from townsquare.db.models import Account, AppointmentSlot, Booking, Customer
from townsquare.errors import InvalidInput, NotFound
from townsquare.social.pagination import Page, paginate
from townsquare.studio.business import appointments, audit
from townsquare.studio.business.accounts import business_account

BOOKING_STATUSES = ("booked", "cancelled")
OWNER_FREE_SLOTS = 50  # the free slots a "book for a customer" form offers


@dataclass(frozen=True)
class BookingFilter:
    """Which bookings to list: slots starting on ``first_day`` .. ``last_day`` (days on the
    shop's clock, both included), with this status, of this customer; ``None`` leaves that out."""

    first_day: date | None = None
    last_day: date | None = None
    status: str | None = None
    customer_id: int | None = None


def _customer(session: Session, business_id: int, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.business_id != business_id:
        raise NotFound(f"you have no customer {customer_id}")
    return customer


def business_booking(session: Session, business_id: int, booking_id: int) -> Booking:
    """One of the business's bookings (404 for anyone else's)."""
    booking = session.get(Booking, booking_id)
    slot = session.get(AppointmentSlot, booking.slot_id) if booking is not None else None
    if booking is None or slot is None or slot.business_id != business_id:
        raise NotFound(f"there is no booking {booking_id}")
    return booking


def _log(session: Session, business_id: int, tool: str, booking: Booking, say: str) -> None:
    arguments = {
        "booking_id": booking.id,
        "slot_id": booking.slot_id,
        "customer_id": booking.customer_id,
    }
    audit.record_owner(session, owner_id=business_id, tool=tool, arguments=arguments, say=say)


def book_for(session: Session, *, owner: Account, customer_id: int, slot_id: int) -> Booking:
    """Books a free, future slot for one of the owner's customers (409 when it is taken)."""
    business = business_account(owner)
    customer = _customer(session, business.id, customer_id)
    booking = appointments.book(session, customer, slot_id)
    say = f"Booked: appointment {booking.id} in slot {slot_id} for {customer.name}."
    _log(session, business.id, "book_appointment", booking, say)
    return booking


def move_booking(session: Session, *, owner: Account, booking_id: int, slot_id: int) -> Booking:
    """Moves a booking that has not started to another free, future slot."""
    business = business_account(owner)
    booking = business_booking(session, business.id, booking_id)
    customer = _customer(session, business.id, booking.customer_id)
    appointments.check_upcoming(session, booking)
    moved = appointments.move(session, customer, booking.id, slot_id)
    say = f"Moved: appointment {moved.id} is now in slot {slot_id}."
    _log(session, business.id, "move_appointment", moved, say)
    return moved


def cancel_booking(session: Session, *, owner: Account, booking_id: int) -> Booking:
    """Cancels a booking that has not started; its slot is free again."""
    business = business_account(owner)
    booking = business_booking(session, business.id, booking_id)
    customer = _customer(session, business.id, booking.customer_id)
    appointments.check_upcoming(session, booking)
    cancelled = appointments.cancel(session, customer, booking.id)
    _log(
        session,
        business.id,
        "cancel_appointment",
        cancelled,
        f"Cancelled: appointment {booking_id}.",
    )
    return cancelled


def list_bookings(
    session: Session,
    *,
    owner: Account,
    where: BookingFilter,
    cursor: str | None = None,
    limit: int,
) -> Page[Booking]:
    """The owner's bookings that match ``where``, newest booking first, a page at a time."""
    business = business_account(owner)
    if where.status is not None and where.status not in BOOKING_STATUSES:
        raise InvalidInput(f"a booking is {' or '.join(BOOKING_STATUSES)}, not {where.status!r}")
    if where.first_day and where.last_day and where.first_day > where.last_day:
        raise InvalidInput("the first day of the range is after its last day")
    query = (
        select(Booking)
        .join(AppointmentSlot, AppointmentSlot.id == Booking.slot_id)
        .where(AppointmentSlot.business_id == business.id)
    )
    zone = timezones.zone(business.time_zone)
    if where.first_day is not None:
        query = query.where(AppointmentSlot.starts_at >= _midnight(where.first_day, zone))
    if where.last_day is not None and where.last_day < date.max:
        query = query.where(
            AppointmentSlot.starts_at < _midnight(where.last_day + timedelta(days=1), zone)
        )
    if where.status is not None:
        query = query.where(Booking.status == where.status)
    if where.customer_id is not None:
        query = query.where(Booking.customer_id == where.customer_id)
    return paginate(session, query, Booking.id, cursor=cursor, limit=limit)


def _midnight(day: date, zone: tzinfo) -> datetime:
    """The day's first moment on the shop's clock, in UTC; at the calendar's edge, where that
    moment is before the first or after the last a datetime holds, the edge itself."""
    try:
        return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
    except OverflowError:
        edge = datetime.min if day.year == MINYEAR else datetime.max
        return edge.replace(tzinfo=UTC)


def free_slots(session: Session, *, owner: Account) -> list[AppointmentSlot]:
    """The next free slots the owner can book for a customer, soonest first."""
    business = business_account(owner)
    return appointments.free_slots(session, business.id, limit=OWNER_FREE_SLOTS)
