"""A free time taken from the ones the agent just offered, as customers take one: by its place
in the list ("the second one", "la segunda", "die erste", "de laatste"), by its time ("the 3pm",
"die van 14 uur"), or by its day ("the Friday one"), in each language the shop serves.

The offered slots are the free ones the agent's last reply named (each as ``slot_line`` writes
it, by its day, time and service, in whichever language the reply was: no id is shown), in
their order; what the customer takes them for is what their message before that reply asked: a
move of one of their bookings, else a booking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from townsquare.db.models import AppointmentSlot
from townsquare.studio.business import appointments, shop_clock
from townsquare.studio.business.clock import times
from townsquare.studio.business.days import named_slots
from townsquare.studio.business.phrases import LANGUAGES
from townsquare.studio.business.wording import slot_line

# Places in a list, in each language: 1-5, and the last (-1).
ORDINALS: dict[int, str] = {
    1: r"first|1st|premi(?:er|ère)|1er|primer[oa]?|primeir[oa]|erste[nrs]?|prim[oa]|eerste"
    r"|pierwsz\w*",
    2: r"second|2nd|deuxième|seconde?|segund[oa]|zweite[nrs]?|second[oa]|tweede|drug\w*",
    3: r"third|3rd|troisième|tercer[oa]?|terceir[oa]|dritte[nrs]?|terz[oa]|derde|trzeci\w*",
    4: r"fourth|4th|quatrième|cuart[oa]|quart[oa]|vierte[nrs]?|vierde|czwart\w*",
    5: r"fifth|5th|cinquième|quint[oa]|fünfte[nrs]?|vijfde|piąt\w*",
    -1: r"last|dernière?|últim[oa]|letzte[nrs]?|ultim[oa]|laatste|ostatni\w*",
}
_PLACES = [(re.compile(rf"\b(?:{words})\b", re.IGNORECASE), n) for n, words in ORDINALS.items()]
MAX_WORDS = 12  # a longer message asks something of its own
_CLOCK = re.compile(r"\b\d{2}:\d{2}\b")  # a slot's time as ``wording.moment`` writes it


def picked(message: str, slots: Sequence[AppointmentSlot]) -> AppointmentSlot | None:
    """The one of ``slots`` (as offered, in order) that a short message takes, if it takes
    exactly one: by its place, its time or its day."""
    if not slots or len(message.split()) > MAX_WORDS:
        return None
    for pattern, place in _PLACES:
        if pattern.search(message) and place <= len(slots):
            return slots[place - 1] if place > 0 else slots[-1]
    named = times(message.lower())
    at_time = [s for s in slots if _hour_minute(shop_clock.starts(s)) in named]
    if len(at_time) == 1:
        return at_time[0]
    on_day = named_slots(message, at_time or slots)
    return on_day[0] if len(on_day) == 1 and len(on_day) < len(slots) else None


def offered_slots(session: Session, business_id: int, reply: str) -> list[AppointmentSlot]:
    """The shop's free slots the agent's reply offered, in its order."""
    written = set(_CLOCK.findall(reply))
    free = appointments.free_slots(session, business_id, limit=None)
    at = {s.id: _where(reply, s) for s in free if f"{shop_clock.starts(s):%H:%M}" in written}
    return sorted((s for s in free if at.get(s.id, -1) >= 0), key=lambda s: at[s.id])


def _hour_minute(moment: datetime) -> tuple[int, int]:
    return moment.hour, moment.minute


def _where(reply: str, slot: AppointmentSlot) -> int:
    """Where the reply names the slot, in any of the shop's languages (-1: nowhere)."""
    return max(reply.find(slot_line(language, slot)) for language in LANGUAGES)
