from datetime import UTC, datetime

import pytest

from townsquare.errors import InvalidInput
from townsquare.tasks.triggers import next_fire, parse_moment


def test_schedules_keep_local_time_across_daylight_saving() -> None:
    monday_9 = {"cron": "0 9 * * 1", "timezone": "Europe/Paris"}
    # Paris is UTC+2 in October and UTC+1 after the last Sunday of October.
    before = next_fire(monday_9, datetime(2026, 10, 20, tzinfo=UTC))
    after = next_fire(monday_9, datetime(2026, 10, 27, tzinfo=UTC))
    assert before == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    assert after == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    assert next_fire(monday_9, datetime(2026, 10, 26, 8, 0, tzinfo=UTC)) == after


def test_waits_need_an_offset() -> None:
    assert parse_moment("2026-12-20T09:00:00+01:00") == datetime(2026, 12, 20, 8, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="wait_until needs a UTC offset"):
        parse_moment("2026-12-20T09:00:00")
