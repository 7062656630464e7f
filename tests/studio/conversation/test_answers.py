"""Choosing the answer on fakes: the sentence that holds the asked type about the asked subject,
the newer source when two disagree, the next date from today, and "I don't know" for a near
miss."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest
from numpy.typing import NDArray

from townsquare.ai.embeddings import Embedder, Side, normalise_rows
from townsquare.ai.fake import FakeEmbedder
from townsquare.studio.conversation.answers import UNKNOWN, Answer, Chooser
from townsquare.studio.conversation.focus import retype
from townsquare.studio.conversation.grounding import ACROSS_LANGUAGES_DENSE, Guard
from townsquare.studio.conversation.questions import read_question
from townsquare.studio.knowledge.passages import Passage

TODAY = date(2026, 5, 20)
TASTER = (
    "Wheel-throwing taster: price £45; duration 2 hours; level beginners; description Learn to"
    " centre clay. Then throw two pots."
)
SHIPPING = "We post anywhere in the UK. Postage is £4.50 for small parts."


def passage(
    chunk_id: int, text: str, *, title: str = "", locator: str = "", dated: date | None = None
) -> Passage:
    return Passage(chunk_id, chunk_id, "file", title, locator, text, 1.0, f"/p/{chunk_id}", dated)


def answer(question: str, *passages: Passage) -> Answer | str:
    asked = read_question(question)
    chooser = Chooser(question, asked, Guard(FakeEmbedder(256)), owner="Ines", on=TODAY)
    return chooser.answer(list(passages))


def test_the_sentence_with_the_price_answers_not_the_one_that_repeats_the_question() -> None:
    post = passage(
        1,
        "The wheel-throwing taster is my favourite class to teach. It costs £45 per person.",
        title="Wheel-throwing taster",
    )
    reply = answer("How much is the wheel-throwing taster?", post)
    assert isinstance(reply, Answer)
    assert reply.text == 'Here is what Ines wrote about that: "It costs £45 per person." [1]'
    assert reply.citations == [post.citation("It costs £45 per person.")]


def test_a_catalog_row_is_quoted_whole_for_its_duration() -> None:
    row = passage(1, TASTER, locator="Wheel-throwing taster")
    reply = answer("How long is the wheel-throwing taster?", row)
    assert isinstance(reply, Answer) and "duration 2 hours" in reply.text
    assert "price £45" in reply.text  # the row, not a piece of it


def test_the_newer_source_wins_and_says_as_of_when() -> None:
    old = passage(1, "The callout fee for a mobile repair is £15.", dated=date(2025, 9, 1))
    new = passage(2, "The callout fee for a mobile repair is now £20.", dated=date(2026, 3, 3))
    for order in ((old, new), (new, old)):
        reply = answer("What's the callout fee for a mobile repair?", *order)
        assert isinstance(reply, Answer)
        assert reply.text == (
            'As of 3 March 2026, Ines wrote: "The callout fee for a mobile repair is now £20." [1]'
        )
        assert [c["chunk_id"] for c in reply.citations] == [2]


def test_an_undated_catalog_is_older_than_a_dated_post_that_disagrees() -> None:
    row = passage(1, "Wheel taster: price €45; 2 hours on the wheel.", title="catalog.csv")
    post = passage(2, "The wheel taster is now €50.", dated=date(2026, 2, 15))
    for order in ((row, post), (post, row)):
        reply = answer("How much is the wheel taster?", *order)
        assert isinstance(reply, Answer)
        assert (
            reply.text == 'As of 15 February 2026, Ines wrote: "The wheel taster is now €50." [1]'
        )


def test_an_undated_catalog_is_as_new_as_the_newest_post_that_agrees_with_it() -> None:
    row = passage(1, "Fix-a-Flat class: price £30; 90 min.", title="catalog.csv")
    old = passage(2, "Fix-a-Flat class: puncture repair, £25 per person.", dated=date(2025, 11, 4))
    new = passage(3, "From February: Fix-a-Flat class £30.", dated=date(2026, 1, 14))
    reply = answer("How much is the Fix-a-Flat class?", row, old, new)
    assert isinstance(reply, Answer)
    assert (
        reply.text
        == 'Here is what Ines wrote about that: "Fix-a-Flat class: price £30; 90 min." [1]'
    )
    without = answer("How much is the Fix-a-Flat class?", row, old)  # nothing agrees: older
    assert isinstance(without, Answer) and "£25" in without.text


def test_the_next_date_is_the_first_from_today() -> None:
    dates = passage(
        1,
        "Open studio days: Saturday 14 March 2026. Another on Saturday 13 June 2026.",
        title="Open studio days",
        dated=date(2026, 1, 5),
    )
    reply = answer("When is the next open studio day?", dates)
    assert isinstance(reply, Answer)
    assert reply.text.startswith("The next one is Saturday 13 June 2026:")


def test_only_past_dates_are_no_next_date() -> None:
    past = passage(1, "Open studio day: Saturday 14 March 2026.", title="Open studio day")
    assert answer("When is the next open studio day?", past) == UNKNOWN


def test_a_near_miss_is_not_an_answer() -> None:
    shipping = passage(1, SHIPPING, title="Shipping")
    assert answer("How much is gift wrapping?", shipping) == UNKNOWN
    assert answer("Can you gift wrap a parcel?", shipping) == UNKNOWN


def test_a_passage_without_an_answer_of_the_asked_type_is_not_an_answer() -> None:
    row = passage(1, TASTER, locator="Wheel-throwing taster")
    assert answer("What's the minimum age for the wheel-throwing taster?", row) == UNKNOWN


def test_a_yes_no_question_is_answered_by_a_sentence_that_names_what_it_asks() -> None:
    faq = passage(
        1,
        "Gift vouchers\nYes, you can buy a gift voucher for any amount from £10.",
        title="Gift vouchers",
    )
    reply = answer("Do you sell gift vouchers?", faq)
    assert isinstance(reply, Answer) and "any amount from £10" in reply.text


def test_a_measure_is_answered_in_its_unit_or_not_at_all() -> None:
    row = passage(
        1,
        "Bakfiets cargo bike 2016: price £1,450; stock 1; description Long box, 8 speed hub.",
        locator="Bakfiets cargo bike 2016",
    )
    question = "What's the maximum load for the Bakfiets cargo bike?"
    assert read_question(question).type == "other"
    assert (
        Chooser(
            question,
            retype(read_question(question), question),
            Guard(FakeEmbedder(256)),
            owner="Ines",
            on=TODAY,
        ).answer([row])
        == UNKNOWN
    )
    frame = passage(
        1, "1987 Raleigh Royal (56cm): price £340; touring frame.", locator="Raleigh Royal"
    )
    asked = retype(
        read_question("What frame size is the Raleigh Royal?"),
        "What frame size is the Raleigh Royal?",
    )
    reply = Chooser(
        "What frame size is the Raleigh Royal?",
        asked,
        Guard(FakeEmbedder(256)),
        owner="Ines",
        on=TODAY,
    ).answer([frame])
    assert isinstance(reply, Answer) and "(56cm)" in reply.text


def test_the_questions_own_figure_is_not_its_answer() -> None:
    row = passage(
        1,
        "Six-week wheel course: price €240; six Thursday evenings, 10 kg of clay included.",
        locator="Six-week wheel course",
    )
    # "six" was the question's, and "10 kg" counts clay, not evenings
    assert answer("How many evenings is the six-week wheel course?", row) == UNKNOWN
    assert (
        answer(
            "How many weeks is the six-week wheel course?",
            passage(2, "The six-week wheel course costs €240.", title="Six-week wheel course"),
        )
        == UNKNOWN
    )


def test_a_sentence_about_another_day_does_not_answer() -> None:
    hours = passage(
        1, "Saturday: 9am to 2pm. Thursday late: open till 7pm.", title="Sunday ride and hours"
    )
    assert answer("What time does the Sunday ride get back?", hours) == UNKNOWN
    sunday = passage(2, "The Sunday ride is back by 1pm.", title="Sunday ride")
    reply = answer("What time does the Sunday ride get back?", hours, sunday)
    assert isinstance(reply, Answer) and "1pm" in reply.text


def test_a_yes_no_question_about_something_no_passage_names_is_not_answered() -> None:
    returns = passage(
        1,
        "Warranty: 3 months on my workmanship for every refurb bike.",
        title="Buying a refurbished bike",
    )
    assert answer("Can I pay for a refurb bike in monthly instalments?", returns) == UNKNOWN
    reply = answer("Is there a warranty on a refurb bike?", returns)
    assert isinstance(reply, Answer) and "3 months" in reply.text


def test_a_count_of_something_no_passage_names_is_not_answered() -> None:
    row = passage(
        1,
        "Six-week wheel course: price €240; six Thursday evenings, 10 kg of clay included.",
        locator="Six-week wheel course",
    )
    assert answer("How many students are in the six-week wheel course?", row) == UNKNOWN


def test_a_count_counts_the_thing_asked() -> None:
    row = passage(
        1,
        "Six-week wheel course: price €240; 10 kg of clay and two firings included.",
        locator="Six-week wheel course",
    )
    students = passage(2, "Students get 10% off every class.", title="Student discount")
    assert answer("How many students are in the six-week wheel course?", row, students) == UNKNOWN
    reply = answer("How many firings are in the six-week wheel course?", row)
    assert isinstance(reply, Answer) and "two firings" in reply.text
    focaccia = passage(
        3, "The focaccia workshop costs £40. Up to eight people can join.", title="Focaccia"
    )
    reply = answer("How many people can join the focaccia workshop?", focaccia)
    assert isinstance(reply, Answer) and "Up to eight people" in reply.text


def test_a_price_question_about_a_part_is_answered_by_its_percentage() -> None:
    faq = passage(
        1,
        "I take a few dinnerware commissions a year, with a 30% deposit and ten weeks of making.",
        locator="Do you take commissions?",
    )
    reply = answer("How much deposit do you ask for a commission?", faq)
    assert isinstance(reply, Answer) and "30% deposit" in reply.text
    glaze = passage(2, "The clay body shrinks 12% in the kiln.", locator="Do you take commissions?")
    assert answer("How much deposit do you ask for a commission?", glaze) == UNKNOWN


def test_a_line_that_only_dates_its_source_is_never_an_answer() -> None:
    post = passage(1, "Posted 14/01/2026\nBramble the dog says hello.", title="bramble.md")
    assert answer("When is Bramble's birthday?", post) == UNKNOWN


class _Close(Embedder):
    """Every question and sentence at the cosine ``value`` (on MiniLM's scale: identity)."""

    name, dimension = "close", 2

    def __init__(self, value: float) -> None:
        self.value = value

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        angle = float(np.arccos(self.value)) if side == "passage" else 0.0
        return normalise_rows(np.array([[np.cos(angle), np.sin(angle)] for _ in texts]))


def test_across_languages_meaning_alone_says_a_sentence_is_about_the_question() -> None:
    course = passage(1, "The beginner wheel course costs £120 for six weeks.", title="Classes")
    question = "Quanto custa o curso de torno para iniciantes?"
    asked = read_question(question, language="pt")
    assert asked.type == "price"

    def choose(value: float) -> Answer | str:
        chooser = Chooser(question, asked, Guard(_Close(value)), owner="Ines", on=TODAY)
        return chooser.answer([course])

    close = choose(ACROSS_LANGUAGES_DENSE + 0.01)
    assert isinstance(close, Answer) and "£120" in close.text
    assert close.text.startswith("Eis o que Ines escreveu sobre isso:")
    assert choose(ACROSS_LANGUAGES_DENSE - 0.01) == UNKNOWN


class _ByPassage(Embedder):
    """A sentence alone at cosine ``sentence``; a whole passage (its heading, a newline, its
    text) at ``passages[title]`` (on MiniLM's scale: identity)."""

    name, dimension = "by-passage", 2

    def __init__(self, sentence: float, passages: dict[str, float]) -> None:
        self.sentence = sentence
        self.passages = passages

    def _cosine(self, text: str) -> float:
        title = text.split("\n", 1)[0]
        return self.passages.get(title, self.sentence) if "\n" in text else self.sentence

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        angles = [float(np.arccos(self._cosine(t))) if side == "passage" else 0.0 for t in texts]
        return normalise_rows(np.array([[np.cos(a), np.sin(a)] for a in angles]))


def test_across_languages_a_sentence_is_about_the_question_when_its_passage_is() -> None:
    """ "From March the ride meets at the workshop" leaves the ride to its post: across two
    languages the post's closeness to the question admits it, and the newer source answers."""
    moved = passage(
        1,
        "The museum car park is being dug up. From March the ride meets at the workshop.",
        title="ride-meeting-point.txt",
        dated=date(2026, 2, 21),
    )
    old = passage(
        2, "Meet 9am at the front of the museum.", title="sunday-ride.md", dated=date(2025, 8, 10)
    )
    question = "Wo trifft sich die Sonntagsausfahrt jetzt?"
    asked = read_question(question, language="de")
    assert asked.type == "place"
    low = ACROSS_LANGUAGES_DENSE - 0.1  # no sentence alone is close enough

    def choose(passages: dict[str, float]) -> Answer | str:
        guard = Guard(_ByPassage(low, passages))
        return Chooser(question, asked, guard, owner="Ines", on=TODAY).answer([old, moved])

    close = {"ride-meeting-point.txt": ACROSS_LANGUAGES_DENSE + 0.1, "sunday-ride.md": 0.35}
    chosen = choose(close)
    assert isinstance(chosen, Answer)
    assert chosen.text == (
        "Stand 21.02.2026 hat Ines geschrieben: „From March the ride meets at the workshop.“ [1]"
    )
    assert choose({}) == UNKNOWN  # neither the sentences nor their passages are close


def test_a_question_about_now_lets_a_newer_source_decide_among_weaker_rivals() -> None:
    older = passage(
        1,
        "The two-hour wheel taster is back for winter. Tasters run on Friday evenings at 19:00.",
        title="Wheel tasters are back",
        dated=date(2025, 11, 4),
    )
    newer = passage(
        2,
        "Clay went up, so from today the wheel taster costs €50. Tasters have moved to Saturday"
        " afternoons at 15:00.",
        title="A small update",
        dated=date(2026, 2, 15),
    )
    plain = answer("What day and time are the wheel tasters?", older, newer)
    assert isinstance(plain, Answer) and "Friday" in plain.text
    now = answer("What day and time are the wheel tasters now?", older, newer)
    assert isinstance(now, Answer)
    assert now.text.startswith("As of 15 February 2026") and "Saturday" in now.text


@pytest.mark.parametrize(
    "dateline",
    [
        "Publicado el 10 de junio de 2026",
        "Geplaatst op 1 juni 2026",
        "Opublikowano 3 maja 2026",
        "Veröffentlicht am 3. Juni 2026",
    ],
)
def test_a_dateline_in_another_language_is_never_an_answer(dateline: str) -> None:
    """A post written in another language is dated in its own words: its figures count
    nothing, however close in meaning the post is to the question."""
    post = passage(1, f"{dateline}\nSoy Lucía y ayudo con las colmenas.", title="hola.md")
    question = "¿Cuántas colmenas hay?"
    asked = read_question(question, language="es")
    assert asked.type == "quantity"
    chooser = Chooser(question, asked, Guard(_Close(0.9)), owner="Ines", on=TODAY)
    assert chooser.answer([post]) == UNKNOWN
    counted = passage(2, f"{dateline}\nHay 40 colmenas en seis colmenares.", title="hola.md")
    reply = chooser.answer([counted])
    assert isinstance(reply, Answer) and "40 colmenas" in reply.text
