"""What a question asks: its answer type by the first cue it says, its subject, its wants; and
the per-language table that another language plugs into."""

from __future__ import annotations

import pytest

from townsquare.studio.conversation.questions import (
    ENGLISH,
    LANGUAGES,
    Cues,
    cues,
    read_question,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much is the wheel-throwing taster?", "price"),
        ("What does a full service cost?", "price"),
        ("What's UK postage for small parts?", "price"),
        ("How much salt goes in the loaf?", "quantity"),
        ("How long is the puncture class?", "duration"),
        ("How many days does it take to dry?", "duration"),
        ("What ages is the Cnoc 16 for?", "age"),
        ("What level is the wheel building day?", "level"),
        ("What time do you close on Saturdays?", "time"),
        ("When is the next open day?", "when"),
        ("What days does your apprentice work?", "when"),
        ("Where does the Sunday ride meet?", "place"),
        ("Who do you send carbon frames to?", "name"),
        ("How far will you travel for a repair?", "distance"),
        ("How many people can come?", "quantity"),
        ("Do you sell gift vouchers?", "yesno"),
        ("Can I pay by cash at the market?", "yesno"),
        ("What do I get to take home from the class?", "other"),
    ],
)
def test_each_question_gets_the_type_of_its_answer(question: str, kind: str) -> None:
    assert read_question(question).type == kind


def test_the_cue_said_first_decides() -> None:
    assert read_question("Who looks after the stall when you're teaching?").type == "name"
    assert read_question("What do you add to the water when boiling bagels?").type == "other"


def test_the_subject_is_what_it_is_about_without_the_asking_words_or_names() -> None:
    asked = read_question("How much does Maya's sourdough class cost?", names=frozenset({"maya"}))
    assert asked.subject == frozenset({"sourdough", "class"})


def test_only_the_asking_sentence_names_the_subject() -> None:
    asked = read_question("Whats the address of the workshop? I want to drop my bike off")
    assert asked.type == "place" and asked.subject == frozenset({"workshop"})


def test_a_total_names_its_destination_and_the_next_and_a_deadline_are_noticed() -> None:
    total = read_question("How much is a chain to post to France, including postage?")
    assert total.wants_total and total.destination == "france"
    assert read_question("When is the next open studio?").wants_next
    assert read_question("By when must I cancel?").wants_deadline
    assert not read_question("How much is a chain?").wants_total


def test_another_language_is_a_table_not_new_logic(monkeypatch: pytest.MonkeyPatch) -> None:
    portuguese = Cues(
        types=(("price", r"\bquanto custa\b"),),
        asking=frozenset({"quanto", "custa"}),
        total=ENGLISH.total,
        shipping=ENGLISH.shipping,
        destination=ENGLISH.destination,
        next=ENGLISH.next,
        deadline=ENGLISH.deadline,
        discount=ENGLISH.discount,
        counts={},
    )
    monkeypatch.setitem(LANGUAGES, "pt", portuguese)
    asked = read_question("Quanto custa a aula?", language="pt")
    assert asked.type == "price" and asked.language == "pt"
    assert cues("pt") is portuguese and cues("xx") is ENGLISH
