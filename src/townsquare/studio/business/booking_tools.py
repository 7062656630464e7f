"""The appointment tools of a business agent: free slots, the customer's own appointments, and
booking, moving and cancelling them, each change checked and proposed first (``tools``
registers them; the notice period of the policy is enforced by ``appointments``). Every
sentence names an appointment by its service and its time in the customer's language, never by
a slot's or a booking's id."""

from __future__ import annotations

from typing import Any

from townsquare.db.models import AppointmentSlot, Booking
from townsquare.db.types import utcnow
from townsquare.studio.business import appointments, shop_clock
from townsquare.studio.business.chat import Call, confirming, customer_of
from townsquare.studio.business.wording import say, service, slot_lines
from townsquare.tools import Result


def _booked(call: Call, booking: Booking) -> AppointmentSlot:
    slot = call.session.get(AppointmentSlot, booking.slot_id)
    assert slot is not None, "a booking's slot is deleted with it"
    return slot


def _what(call: Call, slot: AppointmentSlot) -> dict[str, object]:
    """A slot as the sentences name it: its service and its start (``wording.moment``)."""
    return {"service": service(call.language, slot), "when": shop_clock.starts(slot)}


def list_free_slots(call: Call, args: dict[str, Any]) -> Result:
    """The next free slots (of the service asked about, if one was)."""
    services = [args["service"]] if args.get("service") else []
    slots = appointments.free_slots(call.session, call.business_id, services=services)
    if not slots:
        return Result("ok", say(call.language, "no_slots"))
    lines = slot_lines(call.language, slots)
    return Result(
        "ok", say(call.language, "free_slots", lines=lines), {"slots": [s.id for s in slots]}
    )


def my_appointments(call: Call, args: dict[str, Any]) -> Result:
    """The customer's upcoming appointments, each by its service and time."""
    bookings = appointments.customer_bookings(call.session, customer_of(call))
    slots = [_booked(call, booking) for booking in bookings]
    upcoming = sorted((s for s in slots if s.starts_at >= utcnow()), key=lambda s: s.starts_at)
    if not upcoming:
        return Result("ok", say(call.language, "no_bookings"))
    lines = slot_lines(call.language, upcoming)
    return Result("ok", say(call.language, "your_bookings", lines=lines))


def confirm_book(call: Call, args: dict[str, Any]) -> str:
    slot = appointments.free_slot(call.session, call.business_id, args["slot_id"])
    return confirming(call, say(call.language, "confirm_book", **_what(call, slot)))


def book(call: Call, args: dict[str, Any]) -> Result:
    booking = appointments.book(call.session, customer_of(call), args["slot_id"])
    return Result(
        "ok",
        say(call.language, "booked", **_what(call, _booked(call, booking))),
        {"booking": booking.id},
    )


def confirm_move(call: Call, args: dict[str, Any]) -> str:
    booking = appointments.customer_booking(call.session, customer_of(call), args["booking_id"])
    appointments.check_notice(call.session, booking, call.policy.notice_hours)
    slot = appointments.free_slot(call.session, call.business_id, args["slot_id"])
    was = shop_clock.starts(_booked(call, booking))
    question = say(call.language, "confirm_move", was=was, **_what(call, slot))
    return confirming(call, question)


def move(call: Call, args: dict[str, Any]) -> Result:
    booking = appointments.move(
        call.session,
        customer_of(call),
        args["booking_id"],
        args["slot_id"],
        notice_hours=call.policy.notice_hours,
    )
    return Result("ok", say(call.language, "moved", **_what(call, _booked(call, booking))))


def confirm_cancel_booking(call: Call, args: dict[str, Any]) -> str:
    booking = appointments.customer_booking(call.session, customer_of(call), args["booking_id"])
    appointments.check_notice(call.session, booking, call.policy.notice_hours)
    question = say(call.language, "confirm_cancel_booking", **_what(call, _booked(call, booking)))
    return confirming(call, question)


def cancel_booking(call: Call, args: dict[str, Any]) -> Result:
    booking = appointments.cancel(
        call.session, customer_of(call), args["booking_id"], notice_hours=call.policy.notice_hours
    )
    said = say(call.language, "booking_cancelled", **_what(call, _booked(call, booking)))
    return Result("ok", said)
