"""A slot's start and today's date on the shop's own clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.utils.factories import slot_of_shop
from townsquare.studio.business import shop_clock

LATE = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)


def test_a_slot_starts_on_its_shops_clock() -> None:
    tokyo = slot_of_shop(1, LATE, time_zone="Asia/Tokyo")
    assert shop_clock.starts(tokyo).isoformat() == "2027-01-01T08:30:00+09:00"
    assert shop_clock.starts(slot_of_shop(2, LATE)) == LATE  # UTC until the owner sets one


def test_today_is_the_shops_and_utcs_without_a_slot() -> None:
    tokyo = slot_of_shop(1, LATE, time_zone="Asia/Tokyo")
    honolulu = slot_of_shop(2, LATE, time_zone="Pacific/Honolulu")
    assert shop_clock.today([tokyo], LATE) == date(2027, 1, 1)
    assert shop_clock.today([honolulu], LATE) == date(2026, 12, 31)
    assert shop_clock.today([], LATE) == date(2026, 12, 31)
