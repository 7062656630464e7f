"""The learned answer choice on fakes: features per candidate, the most probable candidate
quoted, "I don't know" under the threshold, the next date from today, the shipped weights."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from tests.studio.conversation.test_pipeline import ListRetriever
from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.studio.conversation.answers import UNKNOWN, Answer, Chooser
from townsquare.studio.conversation.grounding import Guard
from townsquare.studio.conversation.persona import Persona
from townsquare.studio.conversation.pipeline import run_reply
from townsquare.studio.conversation.questions import read_question
from townsquare.studio.conversation.selection import (
    FEATURES,
    Selector,
    choose,
    features,
    shipped,
    typed_answer,
)
from townsquare.studio.conversation.types import Reply, ReplyInput
from townsquare.studio.knowledge.passages import Passage

TODAY = date(2026, 5, 20)
WRAPPING = "Gift wrapping is £3 per parcel, with a handwritten card."
SHIPPING = "Postage is £4.50 to anywhere in the UK."


def passage(chunk_id: int, text: str, *, locator: str = "", dated: date | None = None) -> Passage:
    return Passage(chunk_id, chunk_id, "file", "notes.md", locator, text, 1.0, "/p", dated)


def chooser(question: str) -> Chooser:
    asked = read_question(question)
    return Chooser(question, asked, Guard(FakeEmbedder(256)), owner="Ines", on=TODAY)


def only(name: str, weight: float, threshold: float) -> Selector:
    """A selector that reads one feature, unscaled."""
    weights = np.array([weight if f == name else 0.0 for f in FEATURES])
    ones = np.ones(len(FEATURES))
    return Selector(weights, 0.0, np.zeros(len(FEATURES)), ones, threshold, 0.0)


def test_each_candidate_gets_one_value_per_feature() -> None:
    ask = chooser("How much is gift wrapping?")
    pool = [
        c
        for c, _ in ask.scan(
            [passage(1, SHIPPING), passage(2, WRAPPING)], "price", ask.asked.subject
        )
    ]
    x = features(ask, pool)
    assert x.shape == (2, len(FEATURES))
    column = {name: x[:, i] for i, name in enumerate(FEATURES)}
    assert list(column["sentence_cover"]) == [0.0, 1.0]  # "gift wrapping" named only in the second
    assert list(column["rank"]) == [0.0, 0.5]
    assert list(column["cover_rank"]) == [0.5, 0.0]
    assert list(column["sentence_gap"]) == [-1.0, 0.0]


def test_the_most_probable_candidate_is_quoted_and_cited() -> None:
    wrapping = passage(2, WRAPPING)
    reply = only("sentence_cover", 4.0, 0.5).answer(
        chooser("How much is gift wrapping?"), [passage(1, SHIPPING), wrapping]
    )
    assert isinstance(reply, Answer)
    assert reply.text == f'Here is what Ines wrote about that: "{WRAPPING}" [1]'
    assert reply.citations == [wrapping.citation(WRAPPING)]


def test_a_near_miss_under_the_threshold_is_not_an_answer() -> None:
    # the shipping passage holds a price, none about gift wrapping: p = sigmoid(0) = 0.5
    selector = only("sentence_cover", 4.0, 0.6)
    assert selector.answer(chooser("How much is gift wrapping?"), [passage(1, SHIPPING)]) == UNKNOWN
    assert selector.answer(chooser("How much is gift wrapping?"), []) == UNKNOWN


def test_the_next_date_is_the_first_from_today_among_the_likely_candidates() -> None:
    past = passage(1, "The open studio day was on 2 May 2026.", dated=date(2026, 4, 1))
    coming = passage(2, "The next open studio day is on 13 June 2026.", dated=date(2026, 5, 1))
    selector = only("dated", 1.0, 0.5)
    reply = selector.answer(chooser("When is the next open studio day?"), [past, coming])
    assert isinstance(reply, Answer) and "13 June 2026" in reply.text
    assert [c["chunk_id"] for c in reply.citations] == [2]
    assert selector.answer(chooser("When is the next open studio day?"), [past]) == UNKNOWN


def test_a_newer_source_against_a_likely_rival_says_as_of_when() -> None:
    old = passage(1, "The wheel taster costs £40.", dated=date(2025, 9, 1))
    new = passage(2, "The wheel taster costs £45 now.", dated=date(2026, 3, 3))
    reply = only("newest", 2.0, 0.5).answer(chooser("How much is the wheel taster?"), [old, new])
    assert isinstance(reply, Answer)
    assert reply.text == 'As of 3 March 2026, Ines wrote: "The wheel taster costs £45 now." [1]'


def test_a_rival_within_the_margin_wins_when_its_value_is_the_newest() -> None:
    x = np.zeros((3, len(FEATURES)))
    x[1, FEATURES.index("newest")] = 1.0
    p = np.array([0.9, 0.8, 0.85])
    assert choose(x, p, 0.0) == 0
    assert choose(x, p, 0.1) == 1
    assert choose(np.zeros((3, len(FEATURES))), p, 0.1) == 0  # no rival is newer


def test_weights_round_trip_and_refuse_other_features() -> None:
    selector = only("dense", 1.5, 0.3)
    again = Selector.from_dict(selector.to_dict())
    assert (again.threshold, again.margin) == (0.3, 0.0) and list(again.weights) == list(
        selector.weights
    )
    data = selector.to_dict() | {"features": ["dense"]}
    with pytest.raises(ValueError, match=r"^the weights are for features \('dense',\), not"):
        Selector.from_dict(data)


def test_the_shipped_weights_load_for_these_features() -> None:
    selector = shipped()
    assert selector.weights.shape == (len(FEATURES),)
    assert 0 < selector.threshold < 1
    assert np.all(selector.scale > 0)


def test_the_pipeline_answers_a_typed_question_with_the_shipped_selector() -> None:
    persona = Persona(
        name="Ines's AI", handle="ines_ai", kind="creator", owner_handle="ines", owner_name="Ines"
    )
    basics = passage(1, "The Sourdough Basics class costs £65 per person.", locator="Classes")
    events = list(
        run_reply(
            ReplyInput(persona, "How much is the Sourdough Basics class?", []),
            model=FakeChatModel(["never used"]),
            retriever=ListRetriever([passage(2, SHIPPING), basics]),
            embedder=FakeEmbedder(256),
            selection="learned",
        )
    )
    final = events[-1]
    assert isinstance(final, Reply) and final.outcome == "quoted"
    assert final.text == (
        'Here is what Ines wrote about that: "The Sourdough Basics class costs £65 per person." [1]'
    )
    assert [c["chunk_id"] for c in final.citations] == [1]


def test_a_duration_no_candidate_answers_is_the_things_time_range() -> None:
    # the talk's "two hours" names the day but the choice takes it for no answer
    talk = passage(1, "Sit in on a two hours talk first, then book the wheel building day.")
    row = passage(2, "Wheel building day: type class; price £90; notes 10am to 4pm.")
    never = only("sentence_cover", 0.0, 0.9)  # p = 0.5 for every candidate: none answers

    def search(text: str) -> list[Passage]:
        return []

    ask = chooser("How many hours is the wheel building day?")
    reply = typed_answer(ask, [talk, row], search, never)
    assert isinstance(reply, Answer) and reply.text.startswith("That is 6 hours (10am to 4pm):")
    assert reply.citations == [row.citation(row.text)]
    assert typed_answer(ask, [talk], search, never) == UNKNOWN  # no range: still unknown
    ask = chooser("How much is the wheel building day?")
    assert typed_answer(ask, [talk, row], search, never) == UNKNOWN  # not a duration
