"""The character set loads as the benchmark reads it, and the judges' thresholds are chosen as
documented (``evals.characters.judges``)."""

from __future__ import annotations

import numpy as np
import pytest

from evals.characters import TURNS, characters, scripts
from evals.characters.judges import QUESTIONS, agreement_at, best_threshold, labels
from evals.characters.scoring import relative, voice_text


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


def test_the_threshold_agrees_with_most_labels_and_ties_take_the_middle() -> None:
    values = [0.1, 0.2, 0.3, 0.4, 0.5]
    truth = [False, False, True, True, True]
    assert best_threshold(values, truth) == 0.3
    assert agreement_at(values, truth, 0.3) == 1.0
    assert agreement_at(values, truth, 0.5) == pytest.approx(0.6)
    # 0.2 and "nobody passes" (the highest value + 1) both agree on 2 of 3: the later one
    assert best_threshold([0.1, 0.2, 0.3], [False, True, False]) == pytest.approx(1.3)


def test_the_hand_labels_load_with_both_questions() -> None:
    rows = labels()
    assert len(rows) >= 120
    assert all(set(answers) == set(QUESTIONS) for _, answers in rows)


def test_relative_closeness_is_own_less_the_mean_of_the_others() -> None:
    vector = np.array([1.0, 0.0], dtype=np.float32)
    own = np.array([0.8, 0.6], dtype=np.float32)
    others = np.array([[0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    assert relative(vector, own, others) == pytest.approx(0.8 - 0.3)


def test_a_voice_is_the_cards_own_words() -> None:
    persona = characters()[0].persona
    line = next(x.text for d in persona.example_dialogues for x in d if x.speaker == "agent")
    assert line in voice_text(persona) and persona.personality in voice_text(persona)
