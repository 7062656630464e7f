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


@pytest.mark.parametrize(
    ("text", "near", "expected"),
    [
        ("Tue 4 Nov", date(2026, 5, 20), date(2025, 11, 4)),  # 4 Nov 2026 is a Wednesday
        ("Wednesday 4 November", date(2025, 5, 20), date(2026, 11, 4)),
        ("Mon 4 Nov", date(2026, 5, 20), date(2024, 11, 4)),  # two years back: no nearer Monday
    ],
)
def test_a_weekday_decides_the_year_of_a_date_without_one(
    text: str, near: date, expected: date
) -> None:
    assert parse_date(text, near=near) == expected


def test_a_date_a_source_was_written_is_not_after_its_upload() -> None:
    uploaded = date(2026, 5, 20)
    assert parse_date("4 Nov", near=uploaded, past=True) == date(2025, 11, 4)
    assert parse_date("20 May", near=uploaded, past=True) == uploaded
    assert parse_date("Wed 4 Nov", near=uploaded, past=True) == date(2020, 11, 4)
    assert parse_date("Wed 4 Nov", near=uploaded) == date(2026, 11, 4)  # a sentence's date
    assert parse_date("Tue 4 Nov 2026", near=uploaded, past=True) == date(2026, 11, 4)


def test_a_source_dated_without_a_year_is_read_before_its_upload() -> None:
    text = "Posted on Tue 4 Nov\n\n# New class: Fix-a-Flat\n\nNow £25, was £20 until 1 Dec."
    assert source_date(text, uploaded=date(2026, 5, 20)) == date(2025, 11, 4)
    assert source_date("Updated 3 March\nHours", uploaded=date(2026, 2, 1)) == date(2025, 3, 3)
    assert source_date(text, uploaded=None) is None  # no upload date: a bare "4 Nov" has no year


def test_words_that_only_look_like_dates_are_not_dates() -> None:
    assert find_dates("May I bring a friend? It costs £45 for 2 hours.") == []


def test_a_dating_line_beats_the_first_line() -> None:
    text = "Price changes from 1 February 2026\n\nPosted 14/01/2026\n\nA few things change."
    assert source_date(text, uploaded=None) == date(2026, 1, 14)


def test_a_date_under_the_title_dates_a_post() -> None:
    assert source_date(
        "New opening hours from April\n\n3rd March 2026\n\nTwo changes.", uploaded=None
    ) == date(2026, 3, 3)


def test_a_source_that_says_nothing_has_no_date() -> None:
    assert source_date("We fix bikes.\nCome by.", uploaded=date(2026, 5, 20)) is None
    assert (
        source_date("Is it open on 25 December?", uploaded=date(2026, 5, 20), first_line=False)
        is None
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 de junio de 2026", date(2026, 6, 2)),  # es
        ("2 de junho de 2026", date(2026, 6, 2)),  # pt
        ("1er juin 2026", date(2026, 6, 1)),  # fr
        ("27. März 2026", date(2026, 3, 27)),  # de, with its accent
        ("27. Marz 2026", date(2026, 3, 27)),  # de, typed without it
        ("10 giugno 2026", date(2026, 6, 10)),  # it
        ("1 juni 2026", date(2026, 6, 1)),  # nl
        ("1 czerwca 2026", date(2026, 6, 1)),  # pl, the month after a day
        ("noviembre de 2026", date(2026, 11, 1)),  # a month and a year
    ],
)
def test_a_date_is_read_in_each_community_language(text: str, expected: date) -> None:
    assert find_dates(f"— {text} —") == [(text, expected)]


def test_a_post_in_another_language_is_dated_by_its_dateline() -> None:
    post = (
        "# Cambios en el taller\n\nPublicado el 2 de junio de 2026\n\nDesde el 6 de junio abrimos."
    )
    assert source_date(post, uploaded=date(2026, 6, 20)) == date(2026, 6, 2)
    assert find_dates("Desde el 6 de junio abrimos.", near=date(2026, 6, 2)) == [
        ("6 de junio", date(2026, 6, 6))
    ]


def test_a_month_name_alone_or_a_word_like_one_is_no_date() -> None:
    assert find_dates("Mars is red; we open in mayo; de 6 a 8 personas.") == []
    assert find_dates("Juni 2026 and 3 Juli", near=date(2026, 6, 1)) == [
        ("Juni 2026", date(2026, 6, 1)),
        ("3 Juli", date(2026, 7, 3)),
    ]
