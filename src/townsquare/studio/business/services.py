"""Which of the shop's appointment services a customer's message names ("the next free garden
consultation", "could your team come and plant my hedge", "una consulta"), read against the
services the shop's own slots offer, whatever the trade.

A service is named when a word of the message and a word of the service's name share their
beginning (at least ``STEM`` letters, and all of the shorter one's when it is shorter than
that, so "plant" names "Planting visit" and "consulta" names "Garden consultation"). A word
every service shares, or what any booking is called ("appointment" in "Grooming appointment"),
tells none of them apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import AppointmentSlot, Customer
from townsquare.studio.business import appointments, catalog
from townsquare.studio.business.days import named_slots

STEM = 5  # letters two words must share to be one word in two forms
SHORTEST = 4  # shorter words ("a", "for", "the") name nothing
DAYS_AHEAD = 200  # how many free slots a day the customer wrote is looked for among
_WORDS = re.compile(r"[^\W\d_]+")


def shop_services(session: Session, business_id: int) -> list[str]:
    """The services the shop's slots offer (their names as the owner wrote them)."""
    names = session.scalars(
        select(AppointmentSlot.service)
        .where(AppointmentSlot.business_id == business_id, AppointmentSlot.service != "")
        .distinct()
    )
    return sorted(names)


# What any booking is called, in each language the shop serves: a service's name with one of
# these ("Beard trim appointment") is named by its other words.
GENERIC = frozenset(
    """appointment appointments booking bookings slot slots session sessions service services
    marcação agendamento horário rendez-vous créneau termin termine cita reserva turno
    appuntamento prenotazione afspraak reservering wizyta rezerwacja""".split()  # noqa: SIM905
)


def _words(text: str) -> set[str]:
    return {w for w in _WORDS.findall(text.lower()) if len(w) >= SHORTEST and w not in GENERIC}


def _same(one: str, other: str) -> bool:
    shared = len(_prefix(one, other))
    return shared >= min(STEM, len(one), len(other))


def _prefix(one: str, other: str) -> str:
    for i, (a, b) in enumerate(zip(one, other, strict=False)):
        if a != b:
            return one[:i]
    return one[: min(len(one), len(other))]


def named_services(message: str, services: Sequence[str]) -> list[str]:
    """The services of ``services`` the message names by a word that tells them apart."""
    said = _words(message)
    names = {service: _words(service) for service in services}
    shared = set.intersection(*names.values()) if len(names) > 1 else set()
    return [
        service
        for service, words in names.items()
        if any(_same(w, s) for w in words - shared for s in said)
    ]


def names_a_service(message: str, services: Sequence[str]) -> bool:
    """The message names one of the shop's services (by any of its words)."""
    said = _words(message)
    return any(_same(w, s) for service in services for w in _words(service) for s in said)


def asks_for_service(session: Session, business_id: int, message: str) -> bool:
    """The message names one of the shop's services and the day of one of its free slots
    ("Could your team come and plant my hedge on Sunday 13 December at 9?"): a booking, asked
    without the word "book"."""
    named = named_services(message, shop_services(session, business_id))
    if not named:
        return False
    free = appointments.free_slots(session, business_id, limit=DAYS_AHEAD, services=named)
    return bool(named_slots(message, free))


def names_a_booking(session: Session, customer: Customer | None, message: str) -> bool:
    """The message names the day of one of the customer's own bookings ("my appointment on
    Friday", "meine Gartenberatung vom 12. Dezember"), whatever it calls the appointment."""
    if customer is None:
        return False
    slots = (
        session.get(AppointmentSlot, b.slot_id)
        for b in appointments.customer_bookings(session, customer)
    )
    return bool(named_slots(message, [slot for slot in slots if slot is not None]))


def holds_a_booking(session: Session, customer: Customer | None) -> bool:
    """The customer has a live booking with the shop."""
    return customer is not None and bool(appointments.customer_bookings(session, customer))


def names_goods(session: Session, business_id: int, message: str) -> bool:
    """The message names a product of the catalog that is not one of the shop's services ("is
    the carbon wheel available?" asks about stock even where "Wheel truing" is booked)."""
    product = catalog.named_product(session, business_id, message)
    if product is None:
        return False
    name = product.name.lower()
    services = [s.lower() for s in shop_services(session, business_id)]
    return not any(s in name or name in s for s in services)
