"""Does a sentence answer the question: a measure in its unit, not the question's own figures,
not another day, and the asked thing named in what is quoted."""

from __future__ import annotations

import pytest

from townsquare.studio.conversation.cues import ENGLISH
from townsquare.studio.conversation.focus import (
    FOCUS_DENSE,
    asked_measure,
    counted,
    counts,
    focus,
    holds,
    measures,
    names_the_subject,
    other_day,
    restated,
    retype,
    shares,
)
from townsquare.studio.conversation.questions import read_question


@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("What tyre pressure should I run on my gravel bike?", "pressure"),
        ("What's the maximum load for the cargo bike?", "weight"),
        ("what frame size is the old Raleigh you restored?", "length"),
        ("How wide should my gravel tyres be?", "length"),
        ("How heavy is the Brompton?", "weight"),
        ("What temperature does your kiln fire to?", "temperature"),
        ("What time does the ride start?", None),
        ("How long is the class?", None),
        ("Qual é a pressão dos pneus?", None),
    ],
)
def test_a_measure_is_read_from_its_noun_or_adjective(question: str, dimension: str) -> None:
    language = "pt" if question.startswith("Qual") else "en"
    assert asked_measure(question, language) == dimension


def test_an_untyped_measure_question_becomes_a_quantity_without_its_noun() -> None:
    question = "What tyre pressure should I run on my gravel bike?"
    asked = read_question(question)
    assert asked.type == "other"
    measured = retype(asked, question)
    assert measured.type == "quantity"
    assert "pressur" not in measured.subject and "gravel" in measured.subject
    typed = read_question("How much is the cargo bike?")
    assert retype(typed, "How much is the cargo bike?") is typed


def test_a_measure_is_a_number_in_a_unit_of_its_dimension() -> None:
    sentence = "Gravel: 40-45mm for the Peak, a 56cm frame, 700c wheels, 2 in stock, 10 min"
    assert measures("length", sentence) == ["40-45mm", "56cm", "700c"]
    assert measures("pressure", sentence) == []
    assert measures("pressure", "Run them at 35 psi, or 2.4 bar.") == ["35 psi", "2.4 bar"]
    assert measures("weight", "Small parts (up to 2 kg) £11") == ["2 kg"]
    assert measures("temperature", "She fires to 1280 degrees.") == ["1280 degrees"]


def test_a_figure_the_question_states_is_not_its_answer() -> None:
    question = "How many students are in the six-week course?"
    assert restated("six", question)
    assert restated("6", question)
    assert not restated("10 kg", question)
    assert not restated("Saturday", question)  # no figure: nothing restated


def test_a_count_is_a_number_of_the_thing_asked() -> None:
    assert counted("How many students are in the course?", "en") == "student"
    assert counted("Quantos alunos há?", "pt") is None
    assert counted("How much is it?", "en") is None
    row = "Six-week course: 10 kg of clay and two firings included."
    firings = counted("How many firings are included?", "en")
    people = counted("How many people can come?", "en")
    assert firings is not None and people is not None
    assert not counts("student", "two", row)
    assert counts(firings, "two", row)
    assert not counts(firings, "10", row)
    assert counts(people, "4", "Same times, same price, same 4 places.")
    assert counts(people, "8", "Classes are capped at 8.")
    assert not counts(people, "8", "Ages 8 and up.")


def test_a_percentage_is_a_part_of_the_word_beside_it() -> None:
    sentence = "Commissions take ten weeks, with a 30% deposit; the clay shrinks 12%."
    assert shares(frozenset({"deposit"}), sentence) == ["30%"]
    assert shares(frozenset({"postag"}), sentence) == []


def test_a_sentence_about_another_day_is_about_another_thing() -> None:
    question = "What time does the Sunday ride get back?"
    assert other_day(question, "Saturday: 9am to 2pm")
    assert not other_day(question, "Sundays we meet at 9am")
    assert not other_day(question, "meet 9am at the museum")  # names no day
    assert not other_day("What time does the ride start?", "Saturday: 9am")  # asks no day
    # "may" is a verb, not the month, unless written as a month
    assert not other_day("When may I come?", "Open in June")
    assert other_day("Is the June course full?", "The July course is full")
    # a month is not another weekday: "From March" may be about the Sunday ride
    assert not other_day("Where does the Sunday ride meet?", "From March the ride meets at 9am.")


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("What was the winning time at the Bole Hill hill climb?", "winning time"),
        ("Which chain lube do you recommend for winter?", "chain lube"),
        ("What phone number do I ring?", "phone number"),
        ("I'm booked on it. What's the latest I can cancel?", ""),
        ("What do you recommend?", ""),
        ("What is the title of your book?", ""),
        ("How do I fix a puncture?", ""),
    ],
)
def test_the_thing_a_what_question_names(question: str, thing: str) -> None:
    assert focus(question, "en", ignore=ENGLISH.asking) == thing


def test_a_question_in_another_language_names_no_thing() -> None:
    assert focus("Quelle taille de roues ?", "fr", ignore=ENGLISH.asking) == ""


def _far(a: str, b: str) -> float:
    return 0.0


def test_quoted_sentences_hold_the_thing_or_do_not_answer() -> None:
    race = ["Bole Hill Hill Climb - ouch", "Came 3rd in the veterans."]
    ignore = ENGLISH.asking
    assert not holds("winning time", race, ignore=ignore, similarity=_far)
    assert holds("winning time", ["The winning time was 3:58."], ignore=ignore, similarity=_far)
    assert holds("", race, ignore=ignore, similarity=_far)
    ring = ["Ring the workshop on 0114 496 0321."]
    assert not holds("phone number", ring, ignore=ignore, similarity=_far)
    assert holds("phone number", ring, ignore=ignore, similarity=lambda a, b: FOCUS_DENSE)


@pytest.mark.parametrize(
    ("name", "question", "subject"),
    [
        ("Adult Tap", "who teaches the thursday tap class?", True),
        ("Silver Swans Ballet", "who takes the silver swans class?", True),
        ("Jonah Reyes", "who's doing the salsa class now?", False),
        ("Carbon Bike Repair", "Who do you send cracked carbon frames to?", False),
        ("Tuesday", "who teaches on tuesday?", True),
    ],
)
def test_a_name_made_of_the_questions_words_names_its_subject(
    name: str, question: str, subject: bool
) -> None:
    assert names_the_subject(name, question) is subject
