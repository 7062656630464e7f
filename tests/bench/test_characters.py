"""The character bench starts each conversation as the app's threads do."""

from __future__ import annotations

from dataclasses import replace

from bench.characters import opening

from evals.characters import FRESH3, fresh_conversations
from townsquare.studio.conversation.memory import Turn


def test_a_conversation_opens_with_the_cards_greeting_its_macros_read() -> None:
    character, _ = fresh_conversations(FRESH3)[0]
    persona = replace(character.persona, greeting="Hi {{user}}, I'm {{char}}.")
    assert opening(persona, "Ada") == [Turn("agent", f"Hi Ada, I'm {persona.name}.")]


def test_a_card_without_a_greeting_opens_with_no_turn() -> None:
    character, _ = fresh_conversations(FRESH3)[0]
    assert opening(replace(character.persona, greeting=""), "Ada") == []
