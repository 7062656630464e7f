"""Dates in text: the formats posts are written in, and which date dates a source."""

from __future__ import annotations

from datetime import date

import pytest

from townsquare.studio.knowledge.dates import find_dates, parse_date, source_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3rd March 2026", date(2026, 3, 3)),
        ("12/03/2026", date(2026, 3, 12)),  # day first, as written in the UK
        ("2026-03-12", date(2026, 3, 12)),  # ISO stays ISO
        ("March 3, 2026", date(2026, 3, 3)),
        ("14.02.26", date(2026, 2, 14)),
        ("Sat 14 Feb 2026", date(2026, 2, 14)),
        ("2nd of May 2026", date(2026, 5, 2)),
    ],
)
def test_a_date_is_read_in_each_format(text: str, expected: date) -> None:
    assert find_dates(f"Posted {text}, see you there.") == [(text, expected)]


def test_a_date_without_a_year_is_the_one_nearest_its_source() -> None:
    assert parse_date("Saturday 14 March", near=date(2026, 2, 1)) == date(2026, 3, 14)
    assert parse_date("2 January", near=date(2025, 12, 20)) == date(2026, 1, 2)
    assert parse_date("14 March") is None  # no year and nothing to be near


def test_words_that_only_look_like_dates_are_not_dates() -> None:
    assert find_dates("May I bring a friend? It costs £45 for 2 hours.") == []


def test_a_dating_line_beats_the_first_line() -> None:
    text = "Price changes from 1 February 2026\n\nPosted 14/01/2026\n\nA few things change."
    assert source_date(text) == date(2026, 1, 14)


def test_a_date_under_the_title_dates_a_post() -> None:
    assert source_date("New opening hours from April\n\n3rd March 2026\n\nTwo changes.") == date(
        2026, 3, 3
    )


def test_a_source_that_says_nothing_has_no_date() -> None:
    assert source_date("We fix bikes.\nCome by.") is None
    assert source_date("Is it open on 25 December 2026?", first_line=False) is None
