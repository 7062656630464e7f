"""Slots named by their day and time, in each language the shop serves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.utils.factories import slot_of_shop
from townsquare.db.models import AppointmentSlot
from townsquare.studio.business.days import is_time_word, named_last, named_slots

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # a Monday


def _slots() -> list[AppointmentSlot]:
    starts = [
        NOW.replace(hour=9) + timedelta(days=1),  # Tue 8 Dec 09:00
        NOW.replace(hour=14) + timedelta(days=3),  # Thu 10 Dec 14:00
        NOW.replace(hour=9) + timedelta(days=5),  # Sat 12 Dec 09:00
        NOW.replace(hour=14) + timedelta(days=5),  # Sat 12 Dec 14:00
    ]
    return [slot_of_shop(i, s) for i, s in enumerate(starts, 1)]


@pytest.mark.parametrize(
    ("message", "ids"),
    [
        ("Can I book Thursday 10 December at 14:00?", [2]),
        ("quinta-feira 10 de dezembro às 14:00", [2]),
        ("le jeudi 10 décembre à 14h", [2]),
        ("am 10. Dezember", [2]),
        ("el jueves 10 diciembre a las 14:00", [2]),
        ("December 12th please", [3, 4]),
        ("Saturday 12 December at 2pm", [4]),
        ("move my appointment tomorrow", [1]),
        ("amanhã", [1]),
        ("on Thursday", [2]),
        ("mon e-mail est camille@example.fr", []),  # "mon" is no Monday
        ("order R-3110 please", []),
        ("je voudrais le 10 à 14h", [2]),
        ("the 12th in the afternoon", [4]),
        ("am 12. vormittags", [3]),
        ("el sábado por la mañana", [3]),  # the morning, not tomorrow
        ("sabato pomeriggio", [4]),
        ("il 12 alle 9", [3]),
        ("at 14h on the 10th", [2]),
        ("Saturday at half past two", [3, 4]),  # no slot then: the day's
        ("Saturday at 2", [4]),
        ("at 12 o'clock", []),  # a time is no day
    ],
)
def test_the_slots_a_message_names(message: str, ids: list[int]) -> None:
    assert [s.id for s in named_slots(message, _slots(), now=NOW)] == ids


def test_strictly_a_slot_of_the_day_at_another_time_is_not_named() -> None:
    slots = _slots()
    assert [s.id for s in named_slots("Saturday at 17:00", slots, now=NOW, strict=True)] == []
    assert [s.id for s in named_slots("Saturday at 9", slots, now=NOW, strict=True)] == [3]
    assert [s.id for s in named_slots("Saturday", slots, now=NOW, strict=True)] == [3, 4]


@pytest.mark.parametrize(
    ("message", "ids"),
    [
        ("from Thursday 10 December at 9:00 to Saturday 12 December at 9:00", [3]),
        ("du samedi 12 au jeudi 10 décembre à 14h", [2]),
        ("vom Samstag auf morgen", [1]),
        ("am Donnerstag", [2]),
    ],
)
def test_where_a_move_goes_is_the_day_named_last(message: str, ids: list[int]) -> None:
    slots = [s for s in _slots() if s.id != 4]
    assert [s.id for s in named_last(message, slots, now=NOW)] == ids


@pytest.mark.parametrize(
    ("word", "names_time"),
    [
        ("saturday", True),
        ("Woche", True),
        ("dezember", True),
        ("fridays", True),
        ("sábado", True),
        ("consultation", False),
        ("free", False),
    ],
)
def test_a_word_that_names_a_time(word: str, names_time: bool) -> None:
    assert is_time_word(word) is names_time


def test_days_and_times_are_the_shops_own() -> None:
    """23:30 UTC on Thursday is Friday 00:30 in Berlin: a Berlin customer's "Friday at 0:30"
    names it, their "Thursday" does not; "tomorrow" counts from the shop's today."""
    slot = slot_of_shop(1, datetime(2026, 12, 10, 23, 30, tzinfo=UTC), time_zone="Europe/Berlin")
    assert named_slots("Friday at 00:30", [slot], now=NOW) == [slot]
    assert named_slots("Thursday", [slot], now=NOW) == []
    late_on_wednesday = datetime(2026, 12, 9, 23, 30, tzinfo=UTC)  # Thursday in Berlin already
    assert named_slots("tomorrow", [slot], now=late_on_wednesday) == [slot]
