"""Times of the day, parts of the day and shifts ("an hour later") as customers write them, in
each language the shop serves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from townsquare.studio.business.clock import period, shift, times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Friday at 16:15", {(16, 15)}),
        ("vendredi à 9h", {(9, 0), (21, 0)}),
        ("samedi 11h45", {(11, 45), (23, 45)}),
        ("at 4:30pm", {(16, 30)}),
        ("around 11 a.m.", {(11, 0)}),
        ("quarter past ten", {(10, 15), (22, 15)}),
        ("half past four", {(4, 30), (16, 30)}),
        ("um halb fünf", {(4, 30), (16, 30)}),  # German: half an hour before five
        ("om half vijf", {(4, 30), (16, 30)}),  # Dutch likewise
        ("half four", {(4, 30), (16, 30)}),  # British: half past four
        ("a las cinco y media", {(5, 30), (17, 30)}),
        ("alle nove e mezza", {(9, 30), (21, 30)}),
        ("às quatro e meia", {(4, 30), (16, 30)}),
        ("17 Uhr", {(17, 0)}),
        ("die van 16 uur", {(16, 0)}),
        ("o 15", {(15, 0)}),
        ("om een afspraak te maken", set()),  # "een" is "a" here
        ("on the 9th of January", set()),
        ("at 3 Dec", set()),
    ],
)
def test_the_times_a_message_names(text: str, expected: set[tuple[int, int]]) -> None:
    assert times(text) == expected


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("sometime in the morning", range(5, 12)),
        ("jeudi après-midi", range(12, 18)),
        ("el lunes por la mañana", range(5, 12)),
        ("am Abend", range(17, 24)),
        ("'s middags", range(12, 18)),
        ("no fim de semana", None),
    ],
)
def test_the_part_of_the_day(text: str, hours: range | None) -> None:
    assert period(text) == hours


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("could we make it two hours later", timedelta(hours=2)),
        ("une heure plus tôt, c'est possible ?", timedelta(hours=-1)),
        ("zwei Stunden später", timedelta(hours=2)),
        ("una hora más tarde", timedelta(hours=1)),
        ("un'ora prima", timedelta(hours=-1)),
        ("godzinę później", timedelta(hours=1)),
        ("same slot but a week later", timedelta(days=7)),
        ("pode passar para a semana que vem?", timedelta(days=7)),
        ("liever volgende week", timedelta(days=7)),
        ("il giorno dopo", timedelta(days=1)),
        ("I'll be there later", None),
        ("I waited two hours", None),
    ],
)
def test_how_far_a_move_goes(text: str, expected: timedelta | None) -> None:
    assert shift(text) == expected
