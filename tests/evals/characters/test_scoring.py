"""The character set loads as the benchmark reads it, and the judges are fitted and checked as
documented (``evals.characters.judges``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evals.characters import FRESH2, TURNS, characters, fresh_conversations, scoring, scripts
from evals.characters import judges as judges_module
from evals.characters.judges import QUESTIONS, fit, fitted_on, halves, labels, write
from evals.characters.scoring import Said, relative, voice_text
from townsquare.studio.conversation import choosing
from townsquare.studio.conversation.choosing import FEATURES


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


def test_the_judges_are_checked_on_characters_they_were_not_fitted_on() -> None:
    rows = labels("*.jsonl")
    first, second = halves(rows)
    assert sorted(first + second) == list(range(len(rows)))
    fitted_on = {rows[i][0].character for i in first}
    checked_on = {rows[i][0].character for i in second}
    assert not fitted_on & checked_on and abs(len(fitted_on) - len(checked_on)) <= 1
    assert {"Captain Byte", "Tugg-3"} <= fitted_on | checked_on  # the dev and the fresh set


def test_written_judges_are_read_back_as_the_fitted_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = labels("*labels*.jsonl")
    generator = np.random.default_rng(0)
    x = generator.normal(size=(len(rows), len(FEATURES)))
    monkeypatch.setattr(judges_module, "feature_rows", lambda said: x)
    path = tmp_path / "choosing.json"
    write(rows, ["everyday_labels.jsonl"], path)
    topic, voice = choosing.judges(path)
    expected = fit(x, [label["in_voice"] for _, label in rows]).predict_proba(x)[:, 1]
    assert voice.probability(x) == pytest.approx(expected, abs=1e-3)
    written = json.loads(path.read_text())
    assert written["labels"] == len(rows) and written["fitted_on"] == ["everyday_labels.jsonl"]
    assert topic.weights != voice.weights


def test_the_hand_labels_load_with_both_questions() -> None:
    rows = labels()
    assert len(rows) >= 120
    shipped_on = labels(among=fitted_on())
    assert len(shipped_on) == json.loads(choosing.WEIGHTS.read_text())["labels"]
    assert len(labels(among=["everyday_labels.jsonl"])) == 60
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


def test_replies_are_scored_against_the_set_their_characters_belong_to() -> None:
    fresh2 = fresh_conversations(FRESH2)
    cast, members = scoring.set_of([Said(fresh2[0][0].persona.name, "hi", "hello")])
    assert [c.persona.name for c in cast] == [c.persona.name for c, _ in fresh2]
    assert members == sorted(fresh2[0][1].lines)
    dev = characters()[0].persona.name
    assert scoring.set_of([Said(dev, "hi", "hello")])[0] == characters()
    with pytest.raises(ValueError, match="more than one set"):
        scoring.set_of([Said(dev, "hi", "a"), Said(fresh2[0][0].persona.name, "hi", "b")])
