"""Time zones by their IANA names ("Europe/Berlin"), as members and shops set them."""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from townsquare.errors import InvalidInput

MAX_NAME = 64
# Files of the system's zone database that name no zone: the machine's own setting and rules.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@functools.cache
def names() -> tuple[str, ...]:
    """Every zone the time zone database knows, sorted."""
    return tuple(sorted(available_timezones() - _NOT_ZONES))


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(names())


def zone(name: str, *, field: str = "time_zone") -> ZoneInfo:
    """The zone ``name`` names; a name the time zone database lacks is refused, naming
    ``field`` (so "localtime" or a path is never read from the disk)."""
    if name != "UTC" and name not in _known():
        raise InvalidInput(f"{field} is not a known time zone: {name[:MAX_NAME]!r}")
    return ZoneInfo(name)


def on_clock(moment: datetime, name: str) -> datetime:
    """``moment`` as a clock in the zone ``name`` reads it."""
    return moment.astimezone(zone(name))
