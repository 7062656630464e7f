"""Avoided topics: by the topic's words, by a word of it the creator's material lacks, and by
meaning against the topic's facets, sentence by sentence of the member's message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest
from numpy.typing import NDArray

from townsquare.ai.embeddings import Embedder, Side, normalise_rows
from townsquare.ai.fake import FakeEmbedder
from townsquare.studio.conversation.avoided import (
    AVOID_ACROSS,
    AVOID_SIMILARITY,
    TopicScore,
    avoided_topic,
    clauses,
    facets,
    strangers,
    topic_scores,
)
from townsquare.studio.conversation.persona import AvoidTopic
from townsquare.studio.conversation.wording import content_words

DIVORCE = AvoidTopic("my divorce", "That's private, sorry!")
POLITICS = AvoidTopic("politics", "I keep out of politics.")


@pytest.mark.parametrize(
    "message",
    ["How was the divorce?", "What are your political views?", "ok. politics: left or right?"],
)
def test_an_avoided_topic_matches_its_words(message: str) -> None:
    assert avoided_topic(message, [DIVORCE, POLITICS], None) in (DIVORCE, POLITICS)


@pytest.mark.parametrize(
    "message",
    [
        "What is the title of your book?",
        "Do you divide the dough?",
        "Is the class policy strict?",
        "Where do you buy flour?",
    ],
)
def test_an_avoided_topic_does_not_match_near_misses(message: str) -> None:
    assert avoided_topic(message, [DIVORCE, POLITICS], FakeEmbedder()) is None


class _TopicEmbedder(Embedder):
    """Marriage talk and "questions about divorce" share a direction; nothing else does."""

    name = "topic"
    dimension = 2

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        rows = [[1.0, 0.0] if ("divorce" in t or "married" in t) else [0.0, 1.0] for t in texts]
        return normalise_rows(np.array(rows))


def test_an_avoided_topic_matches_by_meaning_with_an_embedder() -> None:
    assert avoided_topic("Are you still married?", [DIVORCE], _TopicEmbedder()) == DIVORCE
    assert avoided_topic("Are you still married?", [DIVORCE], None) is None
    assert avoided_topic("When is the market?", [DIVORCE], _TopicEmbedder()) is None


HONEY_RIVALS = AvoidTopic("other local beekeepers and their honey", "Ask me about mine!")
POLITICS_COUNCIL = AvoidTopic("local politics, elections and the council", "No politics here.")
HONEY_POSTS = ["Heather honey is €9 a jar, from the hives on the bog.", "Local delivery is free."]


class _HoneyEmbedder(Embedder):
    """Honey talk shares one direction, council talk another; passages sit nearest honey."""

    name = "honey"
    dimension = 3

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        def row(text: str) -> list[float]:
            text = text.lower()
            if "council" in text or "politics" in text:
                return [0.0, 1.0, 0.2]
            if "honey" in text:  # the topic is "questions about ...": further from the posts
                return [1.0, 0.0, 0.0 if text.startswith("questions about") else 0.6]
            return [0.0, 0.0, 1.0]

        return normalise_rows(np.array([row(t) for t in texts]))


def test_a_question_nearer_the_creators_material_than_the_topic_is_not_deflected() -> None:
    # near the topic by meaning, but nearer still to the creator's own posts about honey
    message = "How much is the heather honey?"
    embedder = _HoneyEmbedder()
    assert avoided_topic(message, [HONEY_RIVALS], embedder, HONEY_POSTS) is None
    # without the material to compare with, nearness to the topic alone decides, as before
    assert avoided_topic(message, [HONEY_RIVALS], embedder) == HONEY_RIVALS


def test_a_topic_word_the_material_lacks_marks_the_topic() -> None:
    message = "What do you think of the council's new cycle lanes?"
    assert avoided_topic(message, [POLITICS_COUNCIL], None, HONEY_POSTS) == POLITICS_COUNCIL
    assert avoided_topic(message, [POLITICS_COUNCIL], _HoneyEmbedder(), HONEY_POSTS) == (
        POLITICS_COUNCIL
    )
    # "local" is in the material (local delivery): a word of the subject marks nothing
    assert avoided_topic("Do you do local delivery?", [POLITICS_COUNCIL], None, HONEY_POSTS) is None
    # with no material, no word can be told apart as the topic's own
    assert avoided_topic(message, [POLITICS_COUNCIL], None) is None


def test_a_question_that_only_borrows_a_topic_word_is_answered() -> None:
    class _Near(Embedder):
        name, dimension = "near", 2

        def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
            rows = [[0.0, 1.0] if t.startswith("questions about") else [1.0, 0.2] for t in texts]
            return normalise_rows(np.array(rows))

    # "council" is not in the posts, but the question sits on the posts, far from the topic
    message = "Is the honey sold at the council market stall?"
    assert avoided_topic(message, [POLITICS_COUNCIL], _Near(), HONEY_POSTS) is None


def test_a_rival_named_only_by_its_name_is_deflected_however_near_the_material() -> None:
    embedder = _HoneyEmbedder()
    # as near the posts as "How much is the heather honey?", but about someone they never name
    message = "Is the honey at Ashcombe Bee Co any better than yours?"
    assert avoided_topic(message, [HONEY_RIVALS], embedder, HONEY_POSTS) == HONEY_RIVALS
    # a name the material gives is the creator's own
    known = "Is the honey from the Heather hives any good?"
    assert avoided_topic(known, [HONEY_RIVALS], embedder, HONEY_POSTS) is None
    # a stranger far from every topic is not deflected: an unknown place to post to
    posted = "Can you post a jar to Honolulu?"
    assert avoided_topic(posted, [POLITICS_COUNCIL], embedder, HONEY_POSTS) is None


def test_a_name_in_another_language_than_the_topic_marks_nothing() -> None:
    named = TopicScore(HONEY_RIVALS, False, False, True, (AVOID_SIMILARITY,), (0.9,))
    assert named.matches()
    assert not replace(named, stranger=False).matches()
    # German capitalises every noun: across two languages a capital tells no name
    assert not replace(named, across=True).matches()


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("is Footworks any cheaper than you?", ["Footworks"]),
        ("Are the classes at the studio on Rua das Flores cheaper?", ["Rua", "Flores"]),
        ("Honestly, is it local?", []),  # a sentence's first word is capitalised anyway
        ("Is the Heather honey from the bog?", []),  # the material names it
        ("how much is the heather honey?", []),
    ],
)
def test_strangers_are_names_the_material_never_gives(message: str, found: list[str]) -> None:
    held = set().union(*(content_words(p) for p in HONEY_POSTS))
    assert strangers(message, held) == found


def test_no_rules_match_nothing() -> None:
    assert avoided_topic("politics?", [], FakeEmbedder()) is None


def test_a_topic_is_read_whole_and_as_each_part_of_its_list() -> None:
    topic = "fishing quotas, the harbour board and local politics"
    assert facets(topic) == [
        "questions about fishing quotas harbour board local politics",
        "questions about fishing quotas",
        "questions about harbour board local politics",
    ]
    assert facets("my knee surgery") == ["questions about knee surgery"]


class _Concepts(Embedder):
    """A text points along each concept it names (any word of a group), so a message of two
    sentences sits between them: a stand-in for a model on a mixed message."""

    name, dimension = "concepts", 4
    groups = ({"knee", "surgery", "op"}, {"swims", "pool"}, {"questions"})

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        rows = []
        for text in texts:
            said = set(text.lower().replace("?", " ").replace(".", " ").split())
            rows.append([float(bool(said & g)) for g in self.groups] + [0.05])
        return normalise_rows(np.array(rows))


KNEE = AvoidTopic("my knee surgery", "Not something I talk about here.")
SWIMS = ["The Thursday swims meet at the pool at 7am.", "A pool session costs £6."]


def test_the_sentence_of_a_mixed_message_that_asks_about_the_topic_is_deflected() -> None:
    """The message's second sentence is nearer the material (1.0) than its first is to the
    topic (0.71), so comparing the best of each deflected nothing; sentence by sentence, the
    first is far nearer the topic than the material."""
    message = "How is the knee since the op? And do the Thursday swims still run?"
    assert avoided_topic(message, [KNEE], _Concepts(), SWIMS) == KNEE
    ordinary = "How much is a pool session? And do the Thursday swims still run?"
    assert avoided_topic(ordinary, [KNEE], _Concepts(), SWIMS) is None


def test_the_clause_of_a_sentence_that_asks_about_the_topic_is_deflected() -> None:
    """One sentence, two questions: its second clause asks about the topic."""
    message = "Do the Thursday swims still run at the pool, and how is the knee since the op?"
    assert avoided_topic(message, [KNEE], _Concepts(), SWIMS) == KNEE
    ordinary = "Do the Thursday swims still run, and what does a pool session cost?"
    assert avoided_topic(ordinary, [KNEE], _Concepts(), SWIMS) is None


def test_only_clauses_that_say_enough_are_read_alone() -> None:
    assert clauses("How much is the heather honey, and did the spraying case get settled?") == [
        "and did the spraying case get settled?"
    ]
    assert clauses("My knee is 8 weeks, can I swim?") == []
    assert clauses("How is the knee since the op?") == []


FAMILY = AvoidTopic("my divorce and my family", "That's private, sorry!")


def test_a_message_in_another_language_than_its_topic_must_come_nearer() -> None:
    """Just over the bar within one language deflects; across two, the same nearness does not
    (``AVOID_ACROSS``), while a message far nearer the topic still does."""
    within = TopicScore(
        FAMILY, False, False, False, (AVOID_SIMILARITY + 0.01,), (AVOID_SIMILARITY - 0.02,)
    )
    assert within.matches()
    assert not replace(within, across=True).matches()
    assert replace(within, across=True, to_topic=(AVOID_ACROSS + 0.01,)).matches()


def test_topic_scores_read_each_piece_and_tell_the_message_s_language() -> None:
    message = "Est-ce que vous vendez des bandes dessinées, comme les albums de Tintin ?"
    [score] = topic_scores(message, [FAMILY], FakeEmbedder(), ["We sell comics."])
    assert score.across
    assert len(score.to_topic) == len(score.to_material) == 3  # the whole, and its two clauses
    [english] = topic_scores("Do you sell comics?", [FAMILY], FakeEmbedder(), ["Comics."])
    assert not english.across
    assert not english.specific
