"""A free time taken from those the agent offered: by its place, its time or its day, in each
language the shop serves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.studio.business.conftest import Shop, say
from tests.utils.factories import slot_of_shop
from townsquare.db import Database
from townsquare.studio.business import appointments, wording
from townsquare.studio.business.picks import offered_slots, picked
from townsquare.studio.business.wording import slot_lines

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # a Monday
SLOTS = [
    slot_of_shop(7, NOW.replace(hour=9) + timedelta(days=1)),  # Tue 09:00
    slot_of_shop(3, NOW.replace(hour=15) + timedelta(days=1)),  # Tue 15:00
    slot_of_shop(9, NOW.replace(hour=11) + timedelta(days=4)),  # Fri 11:00
]


def test_the_free_slots_a_reply_offered_in_its_order_in_any_language(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        free = appointments.free_slots(session, shop.business_id)[:4]
        customer = say(session, shop, shop.alice_id, "hi").customer
        assert customer is not None
        appointments.book(session, customer, free[3].id)
        for language in ("es", "de", "pl"):
            # Offered in another order than the shop's, and a taken one named too.
            reply = wording.say(
                language, "free_slots", lines=slot_lines(language, [free[2], free[0], free[3]])
            )
            assert offered_slots(session, shop.business_id, reply) == [free[2], free[0]]
        # A confirmation names no slot's line; a reply with no time offers nothing.
        asked = wording.say("en", "confirm_book", service="Class", when=free[1].starts_at)
        assert offered_slots(session, shop.business_id, asked) == []
        assert offered_slots(session, shop.business_id, "Order E-1001 is pending.") == []


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("the first one please", 7),
        ("I'll take the last", 9),
        ("la segunda, por favor", 3),
        ("die zweite bitte", 3),
        ("de derde graag", 9),
        ("il terzo va bene", 9),
        ("a segunda", 3),
        ("drugi termin", 3),
        ("the 3pm", 3),
        ("die van 15 uur", 3),
        ("celui de 11h", 9),
        ("Friday works", 9),
        ("Tuesday", None),  # two that day
        ("yes", None),
        ("how much does the class cost?", None),
        ("the fifth", None),  # only three were offered
    ],
)
def test_the_slot_a_message_takes(message: str, slot: int | None) -> None:
    chosen = picked(message, SLOTS)
    assert (chosen.id if chosen else None) == slot


def test_a_long_message_asks_something_of_its_own() -> None:
    long = "the first thing I want to know is whether you have parking near the shop on weekdays"
    assert picked(long, SLOTS) is None


def test_a_time_is_taken_on_the_shops_clock() -> None:
    """A Lisbon shop in summer offers 10:00 WEST (09:00 UTC): "the 10am" takes it."""
    slots = [
        slot_of_shop(1, datetime(2026, 7, 1, 9, tzinfo=UTC), time_zone="Europe/Lisbon"),
        slot_of_shop(2, datetime(2026, 7, 1, 13, tzinfo=UTC), time_zone="Europe/Lisbon"),
    ]
    assert picked("the 10am please", slots) == slots[0]
    assert picked("the 9am please", slots) is None
