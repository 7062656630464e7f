"""The grounding guard on fakes: what is a fact, what supports it, what answers a question."""

from __future__ import annotations

import pytest

from townsquare.ai.fake import FakeEmbedder
from townsquare.studio.conversation.grounding import Guard
from townsquare.studio.conversation.wording import (
    content_words,
    is_small_talk,
    misbinds,
    numbers,
    split_sentences,
    states_a_fact,
    stem,
    strip_citation_marks,
)
from townsquare.studio.knowledge.passages import Passage

CLASS = (
    "The Sourdough Basics class runs on the first Saturday of every month from 10am to 1pm. "
    "It costs £65 per person and there are six places. "
    "We do not bake gluten-free bread in class."
)


def passage(text: str, chunk_id: int = 1, title: str = "Sourdough Basics class") -> Passage:
    return Passage(chunk_id, chunk_id, "post", title, "", text, 0.0, f"/posts/{chunk_id}")


@pytest.fixture(params=["lexical only", "with embeddings"])
def guard(request: pytest.FixtureRequest) -> Guard:
    embedder = FakeEmbedder(dimension=256) if request.param == "with embeddings" else None
    return Guard(embedder, frozenset({"maya"}))


@pytest.mark.parametrize(
    ("a", "b"),
    [("baking", "bake"), ("bakes", "baked"), ("classes", "class"), ("shipping", "ships")],
)
def test_stems_meet(a: str, b: str) -> None:
    assert stem(a) == stem(b)


def test_content_words_leave_out_stopwords_numbers_and_ignored_words() -> None:
    assert content_words("What does the 10am class cost, Maya?", ignore=frozenset({"maya"})) == {
        "class",
        "cost",
    }


def test_numbers_keep_their_currency_and_unit() -> None:
    found = numbers("From 10am to 4:30 pm, £65 each, 250°C, 75%, 1,200 loaves, two weeks")
    assert found == {"10am", "4.30pm", "£65", "250°c", "75%", "1200", "2"}
    assert "10" not in found  # "10 people" is not supported by "10am"


def test_sentences_split_at_ends_and_lines_but_not_inside_prices() -> None:
    text = "It costs £5.50 today. Really?\n- Bring a jar! And a tea towel…"
    assert split_sentences(text) == [
        "It costs £5.50 today.",
        "Really?",
        "Bring a jar!",
        "And a tea towel…",
    ]


def test_citation_marks_are_removed() -> None:
    assert strip_citation_marks("It is £65 [1]. See [2, 3].") == "It is £65. See."


@pytest.mark.parametrize(
    ("sentence", "factual"),
    [
        ("Thanks for asking, Maya!", False),
        ("Hope that helps, have a lovely day.", False),
        ("The class costs £65.", True),
        ("It runs twice.", True),
        ("See you at 10.", True),
    ],
)
def test_what_states_a_fact(sentence: str, factual: bool) -> None:
    assert states_a_fact(sentence, frozenset({"maya"})) is factual


@pytest.mark.parametrize(
    ("message", "small"),
    [
        ("hi!", True),
        ("Thanks so much Maya", True),
        ("good morning, how are you?", True),
        ("hi, when is the next class?", False),
        ("", False),
    ],
)
def test_small_talk(message: str, small: bool) -> None:
    assert is_small_talk(message, frozenset({"maya"})) is small


def test_a_copied_sentence_is_supported_and_cited(guard: Guard) -> None:
    verdict = guard.check("The Basics class costs £65 per person [1].", [passage(CLASS)])
    assert verdict.supported
    (check,) = verdict.sentences
    assert check.passage is not None and check.passage.chunk_id == 1
    assert check.quote == "It costs £65 per person and there are six places."


def test_a_wrong_number_is_not_supported(guard: Guard) -> None:
    verdict = guard.check("The Basics class costs £45 per person.", [passage(CLASS)])
    assert not verdict.supported
    assert verdict.sentences[0].passage is None


def test_a_number_needs_its_unit(guard: Guard) -> None:
    verdict = guard.check("The Basics class is for 10 people.", [passage(CLASS)])
    assert not verdict.supported


def test_an_ordinal_is_a_number(guard: Guard) -> None:
    assert guard.check("The Basics class runs on the first Saturday.", [passage(CLASS)]).supported
    assert not guard.check(
        "The Basics class runs on the second Saturday.", [passage(CLASS)]
    ).supported


STALL = "The Saturday stall opens at 8am and closes at 1pm."
PRICES = "Country loaf — £4.50\nRye — £5"


@pytest.mark.parametrize(
    ("sentence", "source", "wrong"),
    [
        ("The stall closes at 8am.", STALL, True),
        ("The stall opens at 8am.", STALL, False),
        ("We close at 1pm on Saturdays.", STALL, False),
        ("Saturday hours are 8am to 1pm.", STALL, False),  # "hours" binds nothing there
        ("The rye costs £4.50.", PRICES, True),
        ("A country loaf costs £4.50.", PRICES, False),
        ("£5 for the rye.", PRICES, False),
    ],
)
def test_a_number_stays_with_what_the_passage_says_it_is_about(
    sentence: str, source: str, wrong: bool
) -> None:
    assert misbinds(sentence, source) is wrong


def test_a_recombined_fact_is_not_supported(guard: Guard) -> None:
    assert not guard.check("The Saturday stall closes at 8am.", [passage(STALL)]).supported
    assert guard.check("The Saturday stall closes at 1pm.", [passage(STALL)]).supported


def test_a_flipped_negation_is_not_supported(guard: Guard) -> None:
    verdict = guard.check("We bake gluten-free bread in class.", [passage(CLASS)])
    assert not verdict.supported


def test_invented_words_are_not_supported(guard: Guard) -> None:
    verdict = guard.check("The class includes a free apron and a cookbook.", [passage(CLASS)])
    assert not verdict.supported


def test_pleasantries_pass_but_a_reply_needs_one_fact(guard: Guard) -> None:
    assert not guard.check("Thanks for asking! Hope that helps.", [passage(CLASS)]).supported
    verdict = guard.check("Great question! It costs £65 per person.", [passage(CLASS)])
    assert verdict.supported
    assert [check.factual for check in verdict.sentences] == [False, True]


def test_the_first_passage_that_supports_a_sentence_is_cited(guard: Guard) -> None:
    first, second = passage(CLASS, 1), passage(CLASS, 2)
    verdict = guard.check("It costs £65 per person.", [first, second])
    assert verdict.sentences[0].passage == first


def test_repeated_sentences_are_read_once(guard: Guard) -> None:
    verdict = guard.check("It costs £65 per person. It costs £65 per person.", [passage(CLASS)])
    assert len(verdict.sentences) == 1


def test_the_supported_prefix_stops_at_the_first_invention(guard: Guard) -> None:
    reply = "It costs £65 per person. It also includes lunch at the pub. Thanks!"
    verdict = guard.check(reply, [passage(CLASS)])
    assert not verdict.supported
    prefix = verdict.supported_prefix()
    assert prefix.supported
    assert [check.sentence for check in prefix.sentences] == ["It costs £65 per person."]


def test_a_lead_in_whose_value_is_cut_goes_with_it(guard: Guard) -> None:
    # "The Basics class costs:" holds the passage's words, but its value was the invention.
    reply = "The Basics class costs:\n£45 with lunch at the pub."
    verdict = guard.check(reply, [passage(CLASS)])
    assert verdict.sentences[0].passage is not None  # supported on its own words
    prefix = verdict.supported_prefix()
    assert prefix.sentences == []
    assert not prefix.supported


def test_a_reply_ending_on_a_lead_in_is_not_supported(guard: Guard) -> None:
    assert not guard.check(
        "It costs £65 per person. The Basics class runs -", [passage(CLASS)]
    ).supported
    reply = "The Basics class costs:\n£65 per person."
    assert guard.check(reply, [passage(CLASS)]).supported


def test_relevance_ranks_the_passage_that_answers(guard: Guard) -> None:
    about_class = passage(CLASS, 1)
    about_delivery = passage("Delivery costs £4 on Fridays within 5 miles.", 2, "Delivery")
    question = "How much does the sourdough basics class cost?"
    assert guard.relevance(question, about_class) > guard.relevance(question, about_delivery)
    assert guard.relevance("What is your favourite film?", about_class) < 0.3


def test_the_best_sentences_hold_the_kind_of_answer_asked_for(guard: Guard) -> None:
    text = f"Sourdough Basics class\n{CLASS}"
    price, date = "It costs £65 per person and there are six places.", split_sentences(CLASS)[0]
    assert price in guard.best_sentences("How much is the Sourdough Basics class?", passage(text))
    assert date in guard.best_sentences("When is the Sourdough Basics class?", passage(text))


def test_the_answer_shape_outranks_the_sentence_naming_the_subject() -> None:
    guard = Guard(None)
    text = f"Sourdough Basics class\n{CLASS}"
    best = guard.best_sentences("How much is the Sourdough Basics class?", passage(text), limit=1)
    assert best == ["It costs £65 per person and there are six places."]


def test_an_faq_question_is_never_quoted_as_its_answer(guard: Guard) -> None:
    faq = passage("Do you sell gift vouchers?\nYes, vouchers are valid for 12 months.", 3, "FAQ")
    assert guard.best_sentences("Are gift vouchers sold?", faq) == [
        "Yes, vouchers are valid for 12 months."
    ]


def test_across_languages_meaning_alone_decides_relevance() -> None:
    from collections.abc import Sequence

    import numpy as np
    from numpy.typing import NDArray

    from townsquare.ai.embeddings import Embedder, Side, normalise_rows
    from townsquare.studio.conversation.grounding import (
        ACROSS_LANGUAGES_DENSE,
        RELEVANCE_MIN,
        across_languages,
    )

    class Fixed(Embedder):
        """Every question and sentence at one cosine: ``ACROSS_LANGUAGES_DENSE``."""

        name, dimension = "fixed", 2

        def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
            angle = np.arccos(ACROSS_LANGUAGES_DENSE) if side == "passage" else 0.0
            rows = [[np.cos(angle), np.sin(angle)] for _ in texts]
            return normalise_rows(np.array(rows))

    english = Passage(
        1, 1, "post", "Classes", "", "The wheel course costs £120 for six weeks.", 1, "/p"
    )
    question = "Quanto custa o curso de torno para iniciantes?"
    assert across_languages(question, english.text)
    assert not across_languages("How much is the wheel course?", english.text)
    # No word is shared, so the lexical half would halve it; across languages the bar of
    # meaning alone is RELEVANCE_MIN.
    assert Guard(Fixed()).relevance(question, english) == pytest.approx(RELEVANCE_MIN, rel=1e-4)
