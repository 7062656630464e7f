"""Which appointment slots a customer's message names by their day ("on Friday 11 December at
14:00", "le vendredi 11 décembre à 9h", "tomorrow", "amanhã"), in each language the shop serves.

Rather than parsing dates out of free text, each candidate slot is written the ways a customer
would write its day (Babel's CLDR month and weekday names, wide and abbreviated, in every
language) and matched against the message: a slot is named when the message has its day of
the month with its month, or its day of the month alone ("le 14", "the 14th", "am 14."), or
(naming no date) its weekday, or "tomorrow"/"today". A time written in the message ("14:00",
"9h", "half past two", ``clock``) narrows the slots of that day to those that start then, and
a part of the day ("in the afternoon", "por la tarde") to those in it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date, datetime

from babel.dates import get_day_names, get_month_names

from townsquare.db.models import AppointmentSlot
from townsquare.studio.business import shop_clock
from townsquare.studio.business.clock import period, times
from townsquare.studio.business.phrases import LANGUAGES

RELATIVE = {
    0: r"\btoday\b|\bhoje\b|\baujourd'hui\b|\bheute\b|\bhoy\b|\boggi\b|\bvandaag\b"
    r"|\bdzisiaj\b|\bdziś\b",
    # "por la mañana" is the morning, "am Morgen" too: neither is tomorrow.
    1: r"\btomorrow\b|\bamanhã\b|\bdemain\b|(?<!am )(?<!den )\bmorgen\b"
    r"|(?<!la )\bmañana\b|\bdomani\b|\bjutro\b",
}
# A day of the month alone, after the word that introduces one in each language ("le 14",
# "el 14", "the 14th", "am 14.", "il 14", "op de 14e", "dia 14"), never a time ("le 14 à 11h"
# keeps its 14; "at 14h" is no day).
_DAY_ALONE = (
    r"(?:\b(?:le|el|il|the|am|dia|op\s+de|den|on\s+the|du|del|vom|au|al)\s+{day}"
    r"(?:st|nd|rd|th|er|e|º|ª|\.)?|(?<![\d:])\b{day}(?:st|nd|rd|th))"
    r"(?![\d:])(?!\s*(?:h\b|h\d|uhr|uur|heures?|horas?|am\b|pm\b|o'?clock|[:.]\d))"
)


def _fold(text: str) -> str:
    return text.lower().replace(".", "")


@functools.cache
def _names() -> tuple[dict[int, frozenset[str]], dict[int, frozenset[str]]]:
    """Month (1-12) names, wide and abbreviated, and weekday (0 = Monday) names, wide only
    ("Mon" is French for "my"), in all languages."""
    months: dict[int, set[str]] = {m: set() for m in range(1, 13)}
    days: dict[int, set[str]] = {d: set() for d in range(7)}
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for month, name in get_month_names(width, locale=language).items():
                months[month].add(_fold(str(name)))
        for day, name in get_day_names("wide", locale=language).items():
            days[day].add(_fold(str(name)).split("-")[0])  # "segunda-feira": "segunda"
    return (
        {m: frozenset(n for n in names if len(n) >= 3) for m, names in months.items()},
        {d: frozenset(n for n in names if len(n) >= 3) for d, names in days.items()},
    )


# Words that name a stretch of time ("next week"), in each language the shop serves.
PERIODS = frozenset(
    """week weekend month year day time semana mes mês año ano fim semaine mois année jour
    woche wochenende monat jahr tag settimana mese anno giorno weekend maand jaar dag tydzień
    tygodniu miesiąc miesiącu rok roku dzień""".split()  # noqa: SIM905
)


def is_time_word(word: str) -> bool:
    """``word`` names a weekday, a month or a stretch of time, in any language the shop
    serves ("saturday", "woche", "dezember")."""
    months, weekdays = _names()
    folded = _fold(word)
    names = {n for group in (*months.values(), *weekdays.values()) for n in group}
    return folded in PERIODS or folded in names or folded.rstrip("s") in names


def _has(words: frozenset[str], text: str) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) for w in words)


def _named_day(text: str, day: date, today: date) -> bool:
    months, weekdays = _names()
    if any(re.search(pattern, text) for pattern in _relative(day, today)):
        return True
    if _dated(text, day.day, months[day.month]):
        return True
    if any(_dated(text, d, months[m]) for m in months for d in range(1, 32)):
        return False  # another date
    if re.search(_DAY_ALONE.format(day=day.day), text):
        return True
    return _has(weekdays[day.weekday()], text) and not any(
        re.search(_DAY_ALONE.format(day=d), text) for d in range(1, 32)
    )


def _relative(day: date, today: date) -> list[str]:
    pattern = RELATIVE.get((day - today).days)
    return [pattern] if pattern is not None else []


def _dated(text: str, day: int, months: frozenset[str]) -> bool:
    """ "11 December", "11. Dezember", "11 de dezembro", "December 11th"."""
    names = "|".join(re.escape(m) for m in months)
    return (
        re.search(
            rf"(?<!\d){day}(?:st|nd|rd|th|er|º)?\s+(?:de\s+)?(?:{names})(?!\w)"
            rf"|(?<!\w)(?:{names})\s+{day}(?!\d)",
            text,
        )
        is not None
    )


def _last_mention(text: str, day: date, today: date) -> int:
    """Where the text last names ``day`` (-1: nowhere)."""
    months, weekdays = _names()
    names = "|".join(re.escape(m) for m in months[day.month])
    patterns = [
        *_relative(day, today),
        rf"(?<!\d){day.day}(?:st|nd|rd|th|er|º)?\s+(?:de\s+)?(?:{names})(?!\w)",
        rf"(?<!\w)(?:{names})\s+{day.day}(?!\d)",
        _DAY_ALONE.format(day=day.day),
        *(rf"(?<!\w){re.escape(w)}(?!\w)" for w in weekdays[day.weekday()]),
    ]
    return max((m.start() for p in patterns for m in re.finditer(p, text)), default=-1)


def named_last(
    message: str, slots: Sequence[AppointmentSlot], *, now: datetime | None = None
) -> list[AppointmentSlot]:
    """Of ``slots``, those of the day the message names last: where a move goes ("from
    Saturday at 10:00 to Monday at 11:00": Monday's)."""
    text, today = _fold(message), shop_clock.today(slots, now)
    where = {s.id: _last_mention(text, shop_clock.starts(s).date(), today) for s in slots}
    latest = max(where.values(), default=-1)
    return [s for s in slots if where[s.id] == latest] if latest >= 0 else list(slots)


def named_slots(
    message: str,
    slots: Sequence[AppointmentSlot],
    *,
    now: datetime | None = None,
    strict: bool = False,
) -> list[AppointmentSlot]:
    """The slots of ``slots`` whose day the message names, narrowed by a time it names or the
    part of the day; ``strict``: a slot of that day at another time than the one named is not
    named (the customer's Thursday 10:00 lesson is not "Thursday at 17:00")."""
    text = message.lower()
    today, starts = shop_clock.today(slots, now), {s.id: shop_clock.starts(s) for s in slots}
    on_day = [s for s in slots if _named_day(_fold(message), starts[s.id].date(), today)]
    named_times = times(text)
    at_time = [s for s in on_day if (starts[s.id].hour, starts[s.id].minute) in named_times]
    if at_time or (strict and named_times):
        return at_time
    hours = period(text)
    in_period = [s for s in on_day if hours is not None and starts[s.id].hour in hours]
    return in_period or on_day
