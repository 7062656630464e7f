"""The character set loads as the benchmark reads it, and the margins are chosen as documented."""

from __future__ import annotations

import numpy as np
import pytest

from evals.characters import TURNS, characters, scripts
from evals.characters.scoring import best_margin, relative, validate, voice_text
from townsquare.ai.fake import FakeEmbedder


def test_ten_characters_each_with_two_six_line_conversations() -> None:
    cast = characters()
    assert len(cast) == 10 and cast[0].persona.handle == "captain_byte"
    assert len({c.persona.handle for c in cast}) == 10
    for character in cast:
        assert character.persona.example_dialogues, character.source
        assert [(s.name, len(s.lines)) for s in scripts(character.persona)] == [
            ("topical", TURNS),
            ("everyday", TURNS),
        ]


def test_the_margin_is_the_highest_that_nine_in_ten_positives_reach() -> None:
    positives = [float(v) for v in range(10)]  # 0 .. 9
    chosen = best_margin(positives, [-1.0, 0.5, 2.0, 8.5])
    assert chosen.margin == 1.0 and chosen.true_positive == pytest.approx(0.9)
    assert chosen.true_negative == pytest.approx(0.5)


def test_relative_closeness_is_own_less_the_mean_of_the_others() -> None:
    vector = np.array([1.0, 0.0], dtype=np.float32)
    own = np.array([0.8, 0.6], dtype=np.float32)
    others = np.array([[0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    assert relative(vector, own, others) == pytest.approx(0.8 - 0.3)


def test_a_voice_leaves_out_the_line_it_is_checked_against() -> None:
    persona = characters()[0].persona
    line = next(x.text for d in persona.example_dialogues for x in d if x.speaker == "agent")
    assert line in voice_text(persona) and line not in voice_text(persona, leave_out=line)


def test_validation_runs_on_any_embedder() -> None:
    topic, voice = validate([c.persona for c in characters()], FakeEmbedder(dimension=64))
    assert topic.positives == voice.positives == 21
    assert topic.true_positive >= 0.9 and voice.true_positive >= 0.9
