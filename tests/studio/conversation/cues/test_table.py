"""A cue table's dateline words: its language's month names, from the one list of them."""

from __future__ import annotations

import pytest

from townsquare.studio.conversation.cues import LANGUAGES
from townsquare.studio.conversation.cues.table import dateline_words


def test_dateline_words_are_the_month_names_and_the_words_given_accents_folded() -> None:
    words = dateline_words("pl", "opublikowano dnia")
    assert {"czerwca", "czerwiec", "wrzesnia", "pazdziernika", "opublikowano", "dnia"} <= words
    assert "września" not in words  # folded: a dateline's words are compared folded


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"en"}))
def test_every_other_language_dates_its_lines_with_its_twelve_months(language: str) -> None:
    table = LANGUAGES[language]
    assert len(table.dateline) > 12
    assert all(w.isascii() for w in table.dateline)


def test_a_language_without_month_names_is_an_error() -> None:
    with pytest.raises(KeyError):
        dateline_words("en", "posted")
