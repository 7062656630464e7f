"""The shop's clock: a slot's start as the shop and its customers read it, in the shop's own
time zone (its account's ``time_zone``, an IANA name, "UTC" until the owner sets one). Times are
stored in UTC; every day, hour and minute a customer names or reads is the shop's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from townsquare import timezones
from townsquare.db.models import AppointmentSlot
from townsquare.db.types import utcnow


def local(slot: AppointmentSlot, moment: datetime) -> datetime:
    """``moment`` on the clock of the slot's shop."""
    return timezones.on_clock(moment, slot.business.time_zone)


def starts(slot: AppointmentSlot) -> datetime:
    """When the slot starts, on its shop's clock ("Thursday 10 December at 14:00 CET")."""
    return local(slot, slot.starts_at)


def today(slots: Sequence[AppointmentSlot], now: datetime | None = None) -> date:
    """The date now on the clock of the slots' shop (UTC's when there are none): "tomorrow"
    and "Friday" count from it."""
    moment = now or utcnow()
    return (local(slots[0], moment) if slots else moment).date()
