"""W++ and PList card descriptions read into sentences."""

from __future__ import annotations

from townsquare.studio.conversation.brackets import plain, worded
from townsquare.studio.conversation.persona import Persona


def test_a_wpp_block_becomes_one_sentence_per_attribute() -> None:
    card = '[character("Nell")\n{\nTrade("glazier" + "leaded windows")\nFears("hail")\n}]'
    assert plain(card, "Nell") == "Trade: glazier, leaded windows. Fears: hail."


def test_a_wpp_value_without_quotes_is_kept_and_an_empty_one_dropped() -> None:
    assert plain('[character("Nell") {Age(71) Mood()}]', "Nell") == "Age: 71."


def test_a_plist_block_keeps_its_labels_and_drops_a_label_that_is_only_the_name() -> None:
    card = "[Nell's job: glazier; Nell's loves: rain, lead came; Nell: stubborn, kind]"
    assert (
        plain(card, "Nell") == "Nell's job: glazier. Nell's loves: rain, lead came. stubborn, kind."
    )


def test_text_around_a_block_is_kept_and_no_full_stop_is_doubled() -> None:
    text = "She cuts glass [Note: left-handed]. Then [Nell: calm]!"
    assert plain(text, "Nell") == "She cuts glass Note: left-handed. Then calm!"


def test_asides_and_lists_that_are_not_plists_are_left_alone() -> None:
    for text in ("*smiles* [laughs softly]", "[a: b; c]", "[]", "no brackets: here"):
        assert plain(text, "Nell") == text


def test_a_wpp_block_with_nothing_readable_is_left_alone() -> None:
    text = '[character("Nell") {}]'
    assert plain(text, "Nell") == text


def test_worded_reads_the_descriptive_fields_only() -> None:
    persona = Persona(
        name="Nell",
        handle="nell",
        kind="character",
        owner_handle="o",
        owner_name="O",
        personality='[character("Nell") {Trade("glazier")}]',
        tone="[Nell: dry]",
        scenario="[Scenario: a workshop]",
        greeting="[waves] Hello!",
        traits=("[odd]",),
    )
    read = worded(persona)
    assert (read.personality, read.tone, read.scenario) == (
        "Trade: glazier.",
        "dry.",
        "Scenario: a workshop.",
    )
    assert (read.greeting, read.traits) == ("[waves] Hello!", ("[odd]",))
