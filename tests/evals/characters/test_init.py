"""The character sets: the dev set and the fresh one are separate and complete."""

from __future__ import annotations

from evals.characters import FRESH2, characters, fresh_conversations


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
