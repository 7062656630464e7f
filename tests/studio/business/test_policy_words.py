"""Time words of a policy read as the English the policy grammar matches."""

from __future__ import annotations

import pytest

from townsquare.studio.business.policy_words import (
    fifteen_days_as_fortnight,
    time_words_in_english,
)


@pytest.mark.parametrize(
    ("digits", "english"),
    [
        ("within 1 fortnight of delivery", "within 14 days of delivery"),
        ("3 fortnights", "42 days"),
        ("inside that same fortnight", "inside that same 14 days"),
        ("dentro de 2 semanas", "dentro de 2 weeks"),
        ("4 jours francs avant", "4 clear days before"),
        ("mindestens 2 volle Tage vorher", "mindestens 2 clear days before"),
        ("con 24 ore di preavviso", "con 24 hours before"),
        ("tot 1 week van tevoren", "tot 1 week before"),  # the same word in Dutch
        ("the 3 days of the festival", "the 3 days of the festival"),  # English stays as written
    ],
)
def test_time_words_are_read_as_english(digits: str, english: str) -> None:
    assert time_words_in_english(digits) == english


@pytest.mark.parametrize(
    ("words", "read"),
    [
        ("sous quinze jours", "sous fortnight"),
        ("entro quindici giorni", "entro fortnight"),
        ("dentro de quince días", "dentro de fortnight"),
        ("até quinze dias", "até fortnight"),
        ("sous 15 jours", "sous 15 jours"),  # digits are taken as written
    ],
)
def test_fifteen_days_in_words_is_a_fortnight(words: str, read: str) -> None:
    assert fifteen_days_as_fortnight(words) == read
