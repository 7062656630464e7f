"""The character sets: the dev set and the fresh one are separate and complete."""

from __future__ import annotations

from pathlib import Path

from evals.characters import (
    FRESH2,
    FRESH3,
    FRESH4,
    FRESH_SETS,
    Character,
    Script,
    characters,
    fresh_conversations,
)


def test_fresh_set_has_its_own_characters_and_lines() -> None:
    fresh = fresh_conversations()
    dev_names = {c.persona.name for c in characters()}
    assert len(fresh) == 6
    assert not dev_names & {c.persona.name for c, _ in fresh}
    for character, script in fresh:
        assert script.name == "everyday"
        assert len(script.lines) == 10
        assert character.persona.example_dialogues, character.source
        assert character.persona.greeting, character.source


def test_fresh2_is_a_third_set_of_its_own() -> None:
    fresh2 = fresh_conversations(FRESH2)
    others = {c.persona.name for c in characters()} | {
        c.persona.name for c, _ in fresh_conversations()
    }
    assert len(fresh2) == 4
    assert not others & {c.persona.name for c, _ in fresh2}
    lines = fresh2[0][1].lines
    assert len(lines) == 15
    assert not set(lines) & set(fresh_conversations()[0][1].lines)


def _a_set_of_its_own(folder: Path) -> list[tuple[Character, Script]]:
    """The conversations of ``folder``, asserted to share no character and no member line with
    the dev set or any fresh set before it."""
    earlier = [fresh_conversations(f) for f in FRESH_SETS[: FRESH_SETS.index(folder)]]
    names = {c.persona.name for c in characters()} | {
        c.persona.name for set_ in earlier for c, _ in set_
    }
    conversations = fresh_conversations(folder)
    assert len(conversations) == 4
    assert not names & {c.persona.name for c, _ in conversations}
    lines = set(conversations[0][1].lines)
    assert len(lines) == 15
    assert not lines & {line for set_ in earlier for line in set_[0][1].lines}
    return conversations


def test_fresh3_is_a_fourth_set_of_its_own() -> None:
    fresh3 = _a_set_of_its_own(FRESH3)
    # One card has nothing but its name and greeting.
    assert any(not c.persona.personality and not c.persona.example_dialogues for c, _ in fresh3)


def test_fresh4_is_a_fifth_set_of_its_own() -> None:
    fresh4 = _a_set_of_its_own(FRESH4)
    # The V3 card's character_book reaches the persona as its lorebook; the others have none.
    books = [c.persona.lorebook for c, _ in fresh4]
    assert sum(book is not None for book in books) == 1
    assert any(book and len(book["entries"]) == 3 for book in books)
