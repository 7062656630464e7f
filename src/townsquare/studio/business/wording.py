"""What a business agent's code writes to a customer, in the customer's language: every fixed
sentence of the tools, the verification, the confirmations, the refusals that name a rule of
the policy, what the services say is missing or in the way (``Told`` errors), the hand-off,
the clarifying questions, the FAQ's lead and "I couldn't find that".

One typed catalogue, like the creator agent's (``studio.conversation.language``): a dict per
language of the languages the shop serves (en/pt/fr/de/es, and it/nl/pl, which the creator
agent's catalogue lacks), checked by mypy and by a test that every language has every text
with the same fields, with no compile step (gettext ``.po`` files would add one, and a missing
text would show only at run time). Facts (names, order numbers, prices, the owner's own words)
are filled in as they are; nothing is translated by the model. Dates are written by Babel in
the customer's language.

The customer's language is that of their message, or of their last message whose language can
be told ("sim" after a message in Portuguese is Portuguese); English when none can be.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date

from townsquare.ai.languages import closest_language
from townsquare.db.models import AppointmentSlot, Order
from townsquare.errors import Conflict, Forbidden, NotFound, TownsquareError
from townsquare.studio.business import shop_clock
from townsquare.studio.business.phrases import CATALOGUE, LANGUAGES, STATUSES, Language, Text

__all__ = [
    "CATALOGUE",
    "LANGUAGES",
    "Clash",
    "Language",
    "Missing",
    "Refusal",
    "Told",
    "customer_language",
    "moment",
    "money",
    "order_lines",
    "quoted_note",
    "say",
    "service",
    "slot_line",
    "slot_lines",
    "status",
]


# Whose way of writing a date each language takes, where it is not the language's own (CLDR's
# "en" is the United States'): the shops' English is Europe's, "Thursday 10 December".
DATE_LOCALES: dict[Language, str] = {"en": "en_GB"}


def customer_language(message: str, earlier: Sequence[str] = ()) -> Language:
    """The language of ``message``, else of the newest of ``earlier`` (oldest first) whose
    language can be told, among the shop's; English when none can be."""
    for text in (message, *reversed(earlier)):
        found = closest_language(text, LANGUAGES)
        known = next((code for code in LANGUAGES if code == found), None)
        if known is not None:
            return known
    return "en"


def say(language: Language, text: Text, **values: object) -> str:
    """A fixed text in ``language``, filled with ``values``: a datetime is written as a slot's
    start, a date as a day ("27 November 2026"), a ``status`` as the customer reads it."""
    return CATALOGUE[language][text].format(
        **{name: _local(language, name, value) for name, value in values.items()}
    )


def quoted_note(language: Language, material: str | None) -> str:
    """The note after a quote in another language than the customer's ("" when they match)."""
    if material is None or material == language:
        return ""
    name = Locale(language).languages.get(material, material)  # Babel's CLDR names
    return say(language, "quoted_note", material=name)


def _local(language: Language, name: str, value: object) -> object:
    if isinstance(value, datetime):
        return moment(language, value)
    if isinstance(value, date):
        return format_date(value, "d MMMM yyyy", locale=language)
    return status(language, value) if name == "status" and isinstance(value, str) else value


class Told(TownsquareError):
    """An error whose text is one of the catalogue's: in English for the owner and the API
    (the error's text), in the customer's language for the agent's reply (``told``)."""

    def __init__(self, text: Text, **values: object) -> None:
        super().__init__(say("en", text, **values))
        self.text, self.values = text, values

    def told(self, language: Language) -> str:
        return say(language, self.text, **self.values)


class Refusal(Told, Forbidden):
    """A change refused by a rule of the policy, naming it."""


class Missing(Told, NotFound):
    """Something the customer named that is not theirs or does not exist (an order, a slot)."""


class Clash(Told, Conflict):
    """A change that the state of things rules out (a slot already taken)."""


def money(cents: int, currency: str) -> str:
    """A price as written everywhere: "6.50 EUR"."""
    return f"{cents // 100}.{cents % 100:02d} {currency}"


def status(language: Language, name: str) -> str:
    """An order status as the customer reads it ("pending": "en attente")."""
    return STATUSES[language].get(name, name.replace("_", " "))


def order_lines(language: Language, found: Sequence[Order]) -> str:
    """ "R-1 (pending, 6.50 EUR); R-2 (delivered, 75.00 EUR)", statuses in the customer's words."""
    return "; ".join(
        f"{o.number} ({status(language, o.status)}, {money(o.total_cents, o.currency)})"
        for o in found
    )


def slot_line(language: Language, slot: AppointmentSlot) -> str:
    """ "Thursday 10 December at 14:00 UTC (Grooming)": a slot as the customer reads it, its
    day in their language and its service as the owner named it, never its id."""
    service = f" ({slot.service})" if slot.service else ""
    return f"{moment(language, shop_clock.starts(slot))}{service}"


def slot_lines(language: Language, slots: Sequence[AppointmentSlot]) -> str:
    """The slots' lines (``slot_line``), soonest first as given, joined with "; "."""
    return "; ".join(slot_line(language, s) for s in slots)


def service(language: Language, slot: AppointmentSlot) -> str:
    """What the slot is for: its service as the owner named it, else "appointment"."""
    return slot.service or say(language, "appointment")


def moment(language: Language, when: datetime) -> str:
    """A slot's start as a customer reads it, the weekday and the month written out in their
    language, in its own order (CLDR's): "Thursday 10 December at 14:00 UTC", "jeudi 10
    décembre à 14:00 UTC", "Donnerstag, 10. Dezember um 14:00 UTC"."""
    locale = DATE_LOCALES.get(language, language)
    return CATALOGUE[language]["moment"].format(
        day=format_date(when, _day_pattern(locale), locale=locale),
        time=f"{when:%H:%M}",
        zone=_zone_name(when),
    )


def _zone_name(when: datetime) -> str:
    """ "UTC", "CET", "EDT"; a zone with no abbreviation ("-03") as its offset from UTC."""
    name = when.tzname() or "UTC"
    return name if name[:1].isalpha() else f"UTC{name}"


@functools.cache
def _day_pattern(locale: str) -> str:
    """The locale's pattern of a weekday with a day of the month ("E d MMMM"), its weekday
    written out ("EEEE d MMMM")."""
    return re.sub("E+", "EEEE", str(Locale.parse(locale).datetime_skeletons["MMMMEd"].pattern))
