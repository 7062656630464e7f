from __future__ import annotations

import json

import numpy as np
import pytest

from townsquare.ai.fake import FakeEmbedder
from townsquare.studio.conversation.choosing import (
    FEATURES,
    WEIGHTS,
    Judge,
    card_text,
    character_text,
    choose,
    features,
    fits,
    invented_numbers,
    judges,
)
from townsquare.studio.conversation.persona import ExampleLine, Persona

CRUMB = Persona(
    name="Captain Crumb",
    handle="crumb",
    kind="character",
    owner_handle="ada",
    owner_name="Ada",
    personality="A sea-faring baker.",
    tone="Salty and warm.",
    greeting="Ahoy, bread lover!",
    interests=("rye",),
    example_dialogues=((ExampleLine("user", "Hi"), ExampleLine("agent", "Ahoy! Fresh loaves!")),),
)
MESSAGE = "What is your favourite bread?"


def row(draft: str) -> dict[str, float]:
    values = features([draft], message=MESSAGE, persona=CRUMB, embedder=FakeEmbedder(256))[0]
    return dict(zip(FEATURES, values.tolist(), strict=True))


def test_the_character_is_its_own_words_and_its_example_lines_only() -> None:
    assert character_text(CRUMB) == (
        "A sea-faring baker. Salty and warm. Ahoy, bread lover! Ahoy! Fresh loaves!"
    )
    assert card_text(CRUMB) == f"{character_text(CRUMB)} rye"


def test_features_read_the_cards_words_first_person_own_name_and_assistant_register() -> None:
    own = row("Ahoy! Fresh loaves of rye are my favourite, I bake them at sea.")
    outside = row("Captain Crumb bakes bread. He likes it.")
    helper = row("As an AI, I'd be happy to help! Here are some tips for bread.")
    assert own["example_phrases"] == pytest.approx(2 / 3)  # "ahoy fresh", "fresh loaves"
    assert own["first_person"] == 0.5 and outside["first_person"] == 0.0  # "Ahoy!" has no "I"
    assert own["own_name"] == 0.0 and outside["own_name"] == 1.0
    assert helper["assistant"] == 1.0 and own["assistant"] == 0.0
    assert own["card_words"] > outside["card_words"]
    assert own["message_words"] == 0.5  # "favourite" of "favourite", "bread"


def test_a_judge_is_a_logistic_model_over_standardised_features() -> None:
    judge = Judge(mean=(1.0, 0.0), scale=(2.0, 1.0), weights=(1.0, -1.0), bias=0.0)
    probability = judge.probability(np.array([[1.0, 0.0], [5.0, 0.0], [1.0, 2.0]]))
    assert probability == pytest.approx([0.5, 1 / (1 + np.exp(-2)), 1 / (1 + np.exp(2))])


def test_the_shipped_judges_are_fitted_on_these_features() -> None:
    topic, voice = judges()
    assert len(topic.weights) == len(voice.weights) == len(FEATURES)
    data = json.loads(WEIGHTS.read_text())
    assert data["labels"] >= 400
    # what a person calls "in voice" leans on the character's own words, never on an
    # assistant's phrases
    assert voice.weights[FEATURES.index("cos_character")] > 0
    assert voice.weights[FEATURES.index("own_name")] < 0


def test_a_draft_in_voice_and_on_topic_outscores_a_generic_assistant_reply() -> None:
    drafts = [
        "As an AI, I'd be happy to help! Here are some tips for choosing bread.",
        "Ahoy! My favourite bread is a warm rye loaf, fresh from my oven at sea.",
    ]
    scores = fits(drafts, message=MESSAGE, persona=CRUMB, embedder=FakeEmbedder(256))
    assert scores[1] > scores[0]
    assert choose(drafts, message=MESSAGE, persona=CRUMB, embedder=FakeEmbedder(256)) == 1


def test_a_number_neither_the_card_nor_the_conversation_holds_is_invented() -> None:
    assert invented_numbers("I bake 37 loaves a day.", "A baker.")
    assert not invented_numbers("I bake 37 loaves a day.", "You said 37 loaves?")
    assert not invented_numbers("I bake many loaves.", "")
    drafts = ["Ahoy! My favourite is rye, 12 loaves a day!", "Hmm, bread."]
    assert choose(drafts, message=MESSAGE, persona=CRUMB, embedder=FakeEmbedder(256)) == 1
    known = "I bake 12 loaves a day."
    chosen = choose(drafts, message=MESSAGE, persona=CRUMB, embedder=FakeEmbedder(256), known=known)
    assert chosen == 0


def test_without_an_embedder_or_a_choice_the_first_draft_stands() -> None:
    drafts = ["The weather is grey.", "Ahoy! My favourite bread is a warm loaf."]
    assert choose(drafts, message="Favourite bread?", persona=CRUMB, embedder=None) == 0
    assert choose(drafts[:1], message="x", persona=CRUMB, embedder=FakeEmbedder()) == 0
