"""The card's own words offered to the model: from the card, never a name or a common word."""

from __future__ import annotations

from dataclasses import replace

from townsquare.studio.conversation.own_words import OWN_WORDS, own_words
from townsquare.studio.conversation.persona import ExampleLine, Persona

CARD = Persona(
    name="Marta Kowal",
    handle="marta",
    kind="character",
    owner_handle="sam",
    owner_name="Sam",
    personality="Marta repairs bicycles in a tiny workshop under a railway bridge.",
    tone="cheerful, smells of chain oil",
    greeting="*wipes chain oil off her hands* Flat tyre again? Bring the bicycle in.",
    example_dialogues=(
        (
            ExampleLine("user", "Do you ride to work, Sam asks?"),
            ExampleLine("agent", "Every day, on a bicycle I built from three broken ones."),
        ),
    ),
)


def test_words_the_card_repeats_across_its_parts_come_first() -> None:
    words = own_words(CARD)
    # "bicycle(s)" is in the description, the greeting and the example: three parts.
    assert words[0] == "bicycles"
    assert {"chain", "oil"} <= set(words[:3])  # in the tone and the greeting
    assert len(words) <= OWN_WORDS


def test_no_name_no_common_word_and_no_member_line_is_offered() -> None:
    words = own_words(CARD, ignore=["Sam"])
    assert not {"marta", "kowal", "sam", "every", "day", "again", "the", "ride"} & set(words)


def test_a_card_with_only_a_greeting_offers_the_greetings_words() -> None:
    clockmaker = replace(
        CARD,
        personality="",
        tone="",
        example_dialogues=(),
        greeting="Mind the pendulums! Forty clocks tick in this shop.",
    )
    assert set(own_words(clockmaker)) == {"pendulums", "clocks", "tick", "shop", "mind"}


def test_a_card_in_another_language_leaves_that_languages_common_words_out() -> None:
    french = replace(
        CARD,
        tone="",
        example_dialogues=(),
        personality="Marta répare les vélos dans un petit atelier sous le pont.",
        greeting="Encore un pneu crevé ? Apportez le vélo dans mon atelier.",
    )
    words = own_words(french)
    assert set(words[:2]) == {"vélos", "atelier"}  # each in both parts
    assert not {"les", "dans", "sous", "encore", "mon"} & set(words)


def test_an_empty_card_offers_nothing() -> None:
    empty = replace(CARD, personality="", tone="", greeting="", example_dialogues=())
    assert own_words(empty) == []
