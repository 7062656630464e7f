"""The ids a tool call acts on come from the customer's own records, never from the model's
imagination: the model (or a rule) says *what* to do, and this module fills in *which* of the
customer's orders, bookings or the shop's free slots (or products) it is about.

An order number, booking or slot the customer wrote, or a booking or free slot named by its day
("on Friday 11 December at 14:00", ``days``), is taken as written (the service then says
whether it exists and is theirs, so someone else's reads as not found). When the customer named
none, the model's choice stands only if it is one of theirs; otherwise the one record that fits
the action (the only pending order for a cancellation, the only booking) is used, and when none
or several fit, the agent asks which one, listing the customer's own. A product code of the
catalog that the customer wrote is used over the model's; a code the catalog lacks is replaced
by the product the customer named, else the agent asks which product they mean.
"""

from __future__ import annotations

import re
from typing import Any

from townsquare.db.models import AppointmentSlot, Booking, Order
from townsquare.db.types import utcnow
from townsquare.studio.business import appointments, catalog, orders, shop_clock
from townsquare.studio.business.chat import Call
from townsquare.studio.business.clock import shift
from townsquare.studio.business.days import named_last, named_slots
from townsquare.studio.business.services import DAYS_AHEAD, named_services, shop_services
from townsquare.studio.business.wording import order_lines, say, slot_lines
from townsquare.tools import Result

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SKU = re.compile(r"[\w]+(?:-[\w]+)*")
# "E-1001", "#1001", "o-17": what an order number looks like in a message.
ORDER_NUMBER = re.compile(r"(?<![\w-])(?:[A-Za-z]{1,5}-\d{1,8}|#\d{3,8})(?![\w-])")
SLOT_NUMBER = re.compile(
    r"\b(?:slot|horário|créneau|hueco|turno|zeitfenster)\s*#?(\d{1,9})\b", re.I
)
BOOKING_NUMBER = re.compile(
    r"\b(?:appointment|booking|agendamento|marcação|rendez-vous|termin|cita|reserva)\s*#?(\d{1,9})\b",
    re.I,
)
# The arguments that name one of the customer's records.
RECORD_IDS = frozenset({"order_number", "booking_id", "slot_id"})
# Which orders an action can apply to (None: any of them).
FITS: dict[str, frozenset[str] | None] = {
    "order_details": None,
    "cancel_order": orders.CANCELLABLE,
    "request_return": orders.RETURNABLE,
}


def resolve(
    call: Call, tool: str, arguments: dict[str, Any], message: str, *, slot: int | None = None
) -> dict[str, Any] | Result:
    """The arguments with ids taken from the customer's records, or a clarifying question;
    ``slot``: the free slot the customer took from those the agent offered (``picks``)."""
    chosen = dict(arguments)
    if "sku" in chosen:  # the shop's products: anyone may ask about them
        sku = _sku(call, str(chosen["sku"]), message)
        if isinstance(sku, Result):
            return sku
        chosen["sku"] = sku
    if tool == "list_free_slots":  # the service the customer named, never the model's guess
        return _service(call, message)
    if call.customer is None:  # no records to choose from
        placeholder = RECORD_IDS & arguments.keys()
        return Result("refused", say(call.language, "no_customer")) if placeholder else chosen
    if tool == "verify_customer" and not EMAIL.search(message):
        # The model copying its example's address, or verifying anew a verified customer: only
        # an address the customer wrote is checked.
        return Result(
            "ok", say(call.language, "already_verified" if call.verified else "verify_first")
        )
    if "order_number" in chosen and tool in FITS and call.verified:
        order = _order(call, tool, str(chosen["order_number"]), message)
        if isinstance(order, Result):
            return order
        chosen["order_number"] = order
    if "booking_id" in chosen:
        booking = _booking(call, chosen["booking_id"], message)
        if isinstance(booking, Result):
            return booking
        chosen["booking_id"] = booking
    if "slot_id" in chosen:
        moving = chosen.get("booking_id") if tool == "move_appointment" else None
        found = slot if slot is not None else _slot(call, chosen["slot_id"], message, moving)
        if isinstance(found, Result):
            return found
        chosen["slot_id"] = found
    return chosen


def invented(call: Call, arguments: dict[str, Any], message: str) -> bool:
    """The model chose a product code that neither the catalog nor the message holds (a small
    model copies its example's): its choice of tool is a guess too, so the turn asks the
    documents first ("can I wash the leather collar?" is a care question, not a product's)."""
    if "sku" not in arguments:
        return False
    skus = _skus(call)
    return str(arguments["sku"]).lower() not in skus and not _written(skus, message)


def _skus(call: Call) -> dict[str, str]:
    return {p.sku.lower(): p.sku for p in catalog.list_products(call.session, call.business_id)}


def _written(skus: dict[str, str], message: str) -> list[str]:
    return [skus[w.lower()] for w in SKU.findall(message) if w.lower() in skus]


def _sku(call: Call, proposed: str, message: str) -> str | Result:
    """A product code of the catalog that the customer wrote, else the model's if the catalog
    has it, else the product the customer named. A code from nowhere asks which product they
    mean, among those their words match."""
    skus = _skus(call)
    written = _written(skus, message)
    if written:
        return written[0]
    if proposed.lower() in skus:
        return skus[proposed.lower()]
    named = catalog.named_product(call.session, call.business_id, message)
    if named is not None:
        return named.sku
    found = catalog.search_products(call.session, call.business_id, message)
    lines = "; ".join(f"{p.name} ({p.sku})" for p in found)
    asked = say(call.language, "which_product", lines=lines) if found else ""
    return Result("ok", asked or say(call.language, "name_product"))


def _order(call: Call, tool: str, proposed: str, message: str) -> str | Result:
    assert call.customer is not None
    named: list[str] = [n.lstrip("#") for n in ORDER_NUMBER.findall(message)]
    theirs = orders.customer_orders(call.session, call.customer)
    numbers = {o.number.lower(): o.number for o in theirs}
    if len(named) == 1:
        return numbers.get(named[0].lower(), named[0])
    if named:  # several: the model's pick among them, if it is one of them
        if proposed.lower() in {n.lower() for n in named}:
            return numbers.get(proposed.lower(), proposed)
        return _which_order(call, theirs)
    if proposed.lower() in numbers:
        return numbers[proposed.lower()]
    statuses = FITS[tool]
    fitting = [o for o in theirs if statuses is None or o.status in statuses]
    return fitting[0].number if len(fitting) == 1 else _which_order(call, theirs)


def _which_order(call: Call, theirs: list[Order]) -> Result:
    if not theirs:
        return Result("ok", say(call.language, "no_orders"))
    return Result("ok", say(call.language, "which_order", lines=order_lines(call.language, theirs)))


def _service(call: Call, message: str) -> dict[str, Any]:
    named = named_services(message, shop_services(call.session, call.business_id))
    return {"service": named[0]} if len(named) == 1 else {}


def _booking(call: Call, proposed: Any, message: str) -> int | Result:
    assert call.customer is not None
    theirs = appointments.customer_bookings(call.session, call.customer)
    ids = {b.id for b in theirs}
    named = [int(n) for n in BOOKING_NUMBER.findall(message)]
    if named:
        mine = [n for n in named if n in ids]
        return mine[0] if len(mine) == 1 else named[0]
    slots = {b.slot_id: b.id for b in theirs}
    # Strict: "move my lesson to Friday at 17:00" does not name the Friday 11:00 lesson.
    on_day = named_slots(message, _slots(call, slots), strict=True)
    if len(on_day) == 1:
        return slots[on_day[0].id]
    if isinstance(proposed, int) and proposed in ids:
        return proposed
    if len(theirs) == 1:
        return theirs[0].id
    if not theirs:
        return Result("ok", say(call.language, "no_bookings"))
    listed = slot_lines(call.language, sorted(_slots(call, slots), key=lambda s: s.starts_at))
    return Result("ok", say(call.language, "which_booking", lines=listed))


def _slots(call: Call, ids: dict[int, int]) -> list[AppointmentSlot]:
    return [s for s in (call.session.get(AppointmentSlot, i) for i in ids) if s is not None]


def _slot(call: Call, proposed: Any, message: str, moving: int | None = None) -> int | Result:
    named = SLOT_NUMBER.findall(message)
    if named:
        return int(named[-1])  # "move appointment 3 to slot 5": the slot it goes to is last
    shifted = _shifted(call, moving, message) if isinstance(moving, int) else None
    if shifted is not None:
        return shifted
    services = named_services(message, shop_services(call.session, call.business_id))
    free = appointments.free_slots(
        call.session, call.business_id, limit=DAYS_AHEAD, services=services
    )
    on_day = named_slots(message, free)
    if on_day and not named_slots(message, free, strict=True):
        return _not_free(call, on_day)  # the day has free slots, none at the time asked for
    on_day = named_last(message, on_day) if len(on_day) > 1 else on_day
    if len(on_day) == 1:
        return on_day[0].id
    if isinstance(proposed, int) and proposed in {s.id for s in free}:
        return proposed
    if not free:
        return Result("ok", say(call.language, "no_slots"))
    free = on_day or free[: appointments.FREE_SLOTS_LIMIT]
    return Result("ok", say(call.language, "which_slot", lines=slot_lines(call.language, free)))


def _shifted(call: Call, booking_id: int, message: str) -> int | Result | None:
    """The free slot a move "an hour later" or "to the same time next week" goes to, counted
    from the booking's own time (of its service); the free ones near that time when it is not
    free; None when the message names no such shift."""
    delta = shift(message)
    booking = call.session.get(Booking, booking_id)
    current = call.session.get(AppointmentSlot, booking.slot_id) if booking else None
    if delta is None or current is None:
        return None
    target = shop_clock.starts(current) + delta  # on the shop's clock: 10:00 stays 10:00 over DST
    services = [current.service] if current.service else []
    near = appointments.free_slots(
        call.session,
        call.business_id,
        after=max(target.replace(hour=0, minute=0), utcnow()),
        services=services,
    )
    exact = [s for s in near if s.starts_at == target]  # the same instant, whatever the zone
    if exact:
        return exact[0].id
    return _not_free(call, near) if near else Result("ok", say(call.language, "no_slots"))


def _not_free(call: Call, instead: list[AppointmentSlot]) -> Result:
    """The time asked for is not free: said so, and the free ones offered instead."""
    lines = slot_lines(call.language, instead)
    offer = say(call.language, "which_slot", lines=lines)
    return Result("ok", f"{say(call.language, 'not_free_then')} {offer}")
