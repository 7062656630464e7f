"""The member is never called by the agent's own name; everything else stays as written."""

from __future__ import annotations

import pytest

from townsquare.studio.conversation.vocatives import without_own_vocatives


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We had a great day of sailing, Captain Marlowe!", "We had a great day of sailing!"),
        ("Good day, Captain Marlowe! What brings you here?", "Good day! What brings you here?"),
        ("Aye, Captain, the tide is in.", "Aye, the tide is in."),
        ("Thanks, Marlowe.", "Thanks."),
        ("Marlowe, you sail like a gull. Captain, sit.", "You sail like a gull. Sit."),
        ("Fine, thanks.\nCaptain Marlowe, the sea calls.", "Fine, thanks.\nThe sea calls."),
    ],
)
def test_the_agents_own_name_as_a_vocative_is_removed(text: str, expected: str) -> None:
    assert without_own_vocatives(text, "Captain Marlowe") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Captain Marlowe's ship came in at dawn.",  # about itself, not a vocative
        "I am Captain Marlowe, master of the Gull.",  # introducing itself
        "Thanks, Sam! The captain sends his regards.",  # the member's name; lower-case word
        "Marlowes, the whole family, came aboard.",  # another word
    ],
)
def test_the_name_used_otherwise_is_kept(text: str) -> None:
    assert without_own_vocatives(text, "Captain Marlowe") == text


def test_short_words_of_a_name_are_no_vocative_and_an_empty_name_changes_nothing() -> None:
    assert without_own_vocatives("Yes, Al.", "Al of Rye") == "Yes, Al."
    assert without_own_vocatives("Yes, Rye.", "Al of Rye") == "Yes."
    assert without_own_vocatives("Yes, Al.", "  ") == "Yes, Al."
