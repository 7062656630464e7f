"""Character Card macros: the character's and the member's names, in any spelling."""

from __future__ import annotations

from townsquare.studio.conversation.macros import expand, expanded
from townsquare.studio.conversation.persona import ExampleLine, Persona


def test_every_spelling_of_the_two_macros_is_replaced() -> None:
    text = "{{char}} {{Char}} {{ char }} <BOT> <bot> meets {{user}} {{USER}} <USER>."
    assert (
        expand(text, char="Kenji", user="Ada") == "Kenji Kenji Kenji Kenji Kenji meets Ada Ada Ada."
    )


def test_other_braces_and_brackets_stay_as_they_are() -> None:
    text = "{{random:a,b}} <b>bold</b> {char} {{chars}}"
    assert expand(text, char="Kenji", user="Ada") == text


def test_a_name_holding_a_macro_is_not_expanded_again() -> None:
    assert (
        expand("{{user}} and {{char}}", char="{{user}}", user="{{char}}") == "{{char}} and {{user}}"
    )


def test_every_field_the_prompt_shows_is_expanded() -> None:
    card = Persona(
        name="Bramble",
        handle="bramble",
        kind="character",
        owner_handle="o",
        owner_name="O",
        tagline="{{char}}'s counter",
        personality="{{char}} tags things",
        traits=("kind to {{user}}",),
        interests=("{{char}}'s tail",),
        tone="{{char}}-ish",
        scenario="{{user}} lost a mitten",
        greeting="Hello {{user}}",
        example_dialogues=((ExampleLine("agent", "I am {{char}}"),),),
        instructions="Never bite {{user}}",
    )
    done = expanded(card, member="Ada")
    shown = [
        done.tagline,
        done.personality,
        *done.traits,
        *done.interests,
        done.tone,
        done.scenario,
        done.greeting,
        done.example_dialogues[0][0].text,
        done.instructions,
    ]
    assert not any("{{" in text for text in shown)
    assert shown[0] == "Bramble's counter" and shown[5] == "Ada lost a mitten"
    assert done.name == "Bramble" and done.example_dialogues[0][0].speaker == "agent"
