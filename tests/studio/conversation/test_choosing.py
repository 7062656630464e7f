from __future__ import annotations

from townsquare.ai.fake import FakeEmbedder
from townsquare.studio.conversation.choosing import character_text, choose, fits
from townsquare.studio.conversation.persona import ExampleLine, Persona

CRUMB = Persona(
    name="Crumb",
    handle="crumb",
    kind="character",
    owner_handle="ada",
    owner_name="Ada",
    personality="A sea-faring baker.",
    tone="Salty and warm.",
    greeting="Ahoy, bread lover!",
    example_dialogues=((ExampleLine("user", "Hi"), ExampleLine("agent", "Ahoy! Fresh loaves!")),),
)


def test_the_character_is_its_own_words_and_its_example_lines_only() -> None:
    assert character_text(CRUMB) == (
        "A sea-faring baker. Salty and warm. Ahoy, bread lover! Ahoy! Fresh loaves!"
    )


def test_the_draft_closest_to_the_message_and_the_character_is_chosen() -> None:
    drafts = ["The weather is grey.", "Ahoy! My favourite bread is a warm loaf."]
    embedder = FakeEmbedder(dimension=256)
    scores = fits(drafts, message="What is your favourite bread?", persona=CRUMB, embedder=embedder)
    assert scores[1] > scores[0]
    assert (
        choose(drafts, message="What is your favourite bread?", persona=CRUMB, embedder=embedder)
        == 1
    )


def test_without_an_embedder_or_a_choice_the_first_draft_stands() -> None:
    drafts = ["The weather is grey.", "Ahoy! My favourite bread is a warm loaf."]
    assert choose(drafts, message="Favourite bread?", persona=CRUMB, embedder=None) == 0
    assert choose(drafts[:1], message="x", persona=CRUMB, embedder=FakeEmbedder()) == 0
