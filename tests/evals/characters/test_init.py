"""The character sets: the dev set and the fresh one are separate and complete."""

from __future__ import annotations

from evals.characters import FRESH2, FRESH3, FRESH4, FRESH_SETS, characters, fresh_conversations


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


def test_fresh3_is_a_fourth_set_of_its_own() -> None:
    fresh3 = fresh_conversations(FRESH3)
    earlier = [fresh_conversations(), fresh_conversations(FRESH2)]
    names = {c.persona.name for c in characters()} | {
        c.persona.name for set_ in earlier for c, _ in set_
    }
    assert len(fresh3) == 4
    assert not names & {c.persona.name for c, _ in fresh3}
    lines = set(fresh3[0][1].lines)
    assert len(lines) == 15
    assert not lines & {line for set_ in earlier for line in set_[0][1].lines}
    # One card has nothing but its name and greeting.
    assert any(not c.persona.personality and not c.persona.example_dialogues for c, _ in fresh3)


def test_fresh4_is_a_fifth_set_of_its_own() -> None:
    fresh4 = fresh_conversations(FRESH4)
    earlier = [fresh_conversations(folder) for folder in FRESH_SETS if folder != FRESH4]
    names = {c.persona.name for c in characters()} | {
        c.persona.name for set_ in earlier for c, _ in set_
    }
    assert len(fresh4) == 4
    assert not names & {c.persona.name for c, _ in fresh4}
    lines = set(fresh4[0][1].lines)
    assert len(lines) == 15
    assert not lines & {line for set_ in earlier for line in set_[0][1].lines}
    # The V3 card's character_book reaches the persona as its lorebook; the others have none.
    books = [c.persona.lorebook for c, _ in fresh4]
    assert sum(book is not None for book in books) == 1
    assert any(book and len(book["entries"]) == 3 for book in books)
