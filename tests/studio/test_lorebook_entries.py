"""Lorebooks on the way in: a book is checked field by field and stored as given."""

from __future__ import annotations

from typing import Any

import pytest

from tests.studio.test_lorebook import book, entry
from townsquare.studio.lorebook_entries import MAX_ENTRIES, LorebookError, validate_lorebook


def test_validate_lorebook_returns_a_copy_as_given() -> None:
    original = book(entry(["x"], "X.", comment="kept", extensions={"custom": [1, 2]}), name="B")
    validated = validate_lorebook(original)
    assert validated == original
    assert validated is not original
    validated["entries"][0]["extensions"]["custom"].append(3)
    assert original["entries"][0]["extensions"]["custom"] == [1, 2]


def test_validate_lorebook_unwraps_a_standalone_v3_export() -> None:
    inner = book(entry(["x"], "X."))
    assert validate_lorebook({"spec": "lorebook_v3", "data": inner}) == inner


@pytest.mark.parametrize(
    ("lorebook", "message"),
    [
        ("nope", "character_book: must be an object"),
        ({"extensions": {}}, "character_book.entries: must be a list of entries"),
        ({"entries": {}}, "character_book.entries: must be a list of entries"),
        ({"entries": ["x"]}, r"character_book.entries\[0\]: must be an object"),
        (
            book(entry(["a"], "A."), entry(["b"], "B."), entry("c", "C.")),  # type: ignore[arg-type]
            r"character_book.entries\[2\].keys: must be a list of strings",
        ),
        (book(entry([1], "A.")), r"entries\[0\].keys: must be a list of strings"),  # type: ignore[list-item]
        (book({"keys": ["a"]}), r"entries\[0\].content: must be a string"),
        (book(entry(["a"], "A.", enabled="yes")), r"entries\[0\].enabled: must be true or false"),
        (book(entry(["a"], "A.", insertion_order="1")), r"insertion_order: must be a number"),
        (book(entry(["a"], "A.", position="top")), r"position: must be before_char or after_char"),
        (book(entry(["a"], "A.", secondary_keys=[None])), r"secondary_keys: must be a list"),
        (book(entry(["a"], "A.", extensions=[])), r"entries\[0\].extensions: must be an object"),
        (book(scan_depth=-1), "character_book.scan_depth: must be at least 0"),
        (book(token_budget="lots"), "character_book.token_budget: must be a number"),
        (book(recursive_scanning="on"), "recursive_scanning: must be true or false"),
        (book(name=5), "character_book.name: must be a string"),
        (book(*[entry(["a"], "A.")] * (MAX_ENTRIES + 1)), f"at most {MAX_ENTRIES} entries"),
        (book(entry(["a" * 1_001], "A.")), "each key is at most 1000 characters"),
        (book(entry(["a"] * 201, "A.")), r"entries\[0\].keys: at most 200 keys"),
        (book(entry(["a"], "A" * 100_001)), r"entries\[0\].content: at most 100000 characters"),
        (book(entry(["a"], "A.", id=[1])), r"entries\[0\].id: must be a number or a string"),
        (book(entry(["a"], "A.", comment=1)), r"entries\[0\].comment: must be a string"),
        (book(extensions=[]), "character_book.extensions: must be an object"),
    ],
)
def test_malformed_books_are_refused_naming_the_field(lorebook: Any, message: str) -> None:
    with pytest.raises(LorebookError, match=message):
        validate_lorebook(lorebook)


def test_the_field_prefix_is_the_callers() -> None:
    with pytest.raises(LorebookError, match=r"^data.character_book.entries\[0\].keys: "):
        validate_lorebook(book(entry("x", "X.")), field="data.character_book")  # type: ignore[arg-type]
