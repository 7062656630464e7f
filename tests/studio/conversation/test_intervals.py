"""Time ranges read in code: "10am to 4pm", "6-9pm", "10:00-17:00", and no range in "3 to 5
days" or a price."""

from __future__ import annotations

import pytest

from townsquare.studio.conversation.intervals import time_ranges


@pytest.mark.parametrize(
    ("sentence", "minutes"),
    [
        ("Open 10am to 4pm, lunch included.", 360),
        ("Tuesday evenings 6-9pm.", 180),
        ("Saturdays 10:00 - 17:30.", 450),
        ("From 11-2pm on Sundays.", 180),
        ("Evenings 7.30pm until 9pm.", 90),
    ],
)
def test_a_time_range_is_its_length_in_minutes(sentence: str, minutes: int) -> None:
    assert [m for _, m in time_ranges(sentence)] == [minutes]


@pytest.mark.parametrize(
    "sentence",
    ["Ready in 3 to 5 days.", "Prices £10-20.", "Ages 8-12.", "Runs 4pm to 10am.", "25:00-26:00"],
)
def test_what_is_no_time_range_is_not_read_as_one(sentence: str) -> None:
    assert time_ranges(sentence) == []
