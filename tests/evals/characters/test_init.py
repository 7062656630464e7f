"""The character sets: the dev set and the fresh one are separate and complete."""

from __future__ import annotations

from evals.characters import characters, fresh_conversations


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
