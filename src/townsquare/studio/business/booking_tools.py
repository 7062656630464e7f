"""The appointment tools of a business agent: free slots, and booking, moving and cancelling
the customer's own appointments, each change checked and proposed first (``tools`` registers
them; the notice period of the policy is enforced by ``appointments``)."""

from __future__ import annotations

from typing import Any

from townsquare.db.models import AppointmentSlot
from townsquare.studio.business import appointments
from townsquare.studio.business.chat import Call, confirming, customer_of
from townsquare.studio.business.wording import moment, say, slot_lines
from townsquare.tools import Result


def _when(slot_id: int, call: Call) -> str:
    """ "slot 4 (Thu 10 Dec 14:00 UTC)", the day in the customer's language."""
    slot = call.session.get(AppointmentSlot, slot_id)
    named = say(call.language, "slot", slot=slot_id)
    return named + (f" ({moment(call.language, slot.starts_at)})" if slot else "")


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


def confirm_book(call: Call, args: dict[str, Any]) -> str:
    appointments.free_slot(call.session, call.business_id, args["slot_id"])
    return confirming(call, say(call.language, "confirm_book", when=_when(args["slot_id"], call)))


def book(call: Call, args: dict[str, Any]) -> Result:
    booking = appointments.book(call.session, customer_of(call), args["slot_id"])
    return Result(
        "ok",
        say(call.language, "booked", booking=booking.id, when=_when(booking.slot_id, call)),
        {"booking": booking.id},
    )


def confirm_move(call: Call, args: dict[str, Any]) -> str:
    booking = appointments.customer_booking(call.session, customer_of(call), args["booking_id"])
    appointments.check_notice(call.session, booking, call.policy.notice_hours)
    appointments.free_slot(call.session, call.business_id, args["slot_id"])
    when = _when(args["slot_id"], call)
    return confirming(call, say(call.language, "confirm_move", booking=booking.id, when=when))


def move(call: Call, args: dict[str, Any]) -> Result:
    booking = appointments.move(
        call.session,
        customer_of(call),
        args["booking_id"],
        args["slot_id"],
        notice_hours=call.policy.notice_hours,
    )
    when = _when(booking.slot_id, call)
    return Result("ok", say(call.language, "moved", booking=booking.id, when=when))


def confirm_cancel_booking(call: Call, args: dict[str, Any]) -> str:
    booking = appointments.customer_booking(call.session, customer_of(call), args["booking_id"])
    appointments.check_notice(call.session, booking, call.policy.notice_hours)
    when = _when(booking.slot_id, call)
    return confirming(
        call, say(call.language, "confirm_cancel_booking", booking=booking.id, when=when)
    )


def cancel_booking(call: Call, args: dict[str, Any]) -> Result:
    booking = appointments.cancel(
        call.session, customer_of(call), args["booking_id"], notice_hours=call.policy.notice_hours
    )
    return Result("ok", say(call.language, "booking_cancelled", booking=booking.id))
