"""Policy sentences read by meaning: final-sale rules in any wording, the catalog items they
name, and what is left unread (``slow``: the 44 sentences of ``evals/business/policy_sentences``
read with e5-small)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

import numpy as np
import pytest
from numpy.typing import NDArray

from evals.business.policy_sentences import CASES, CATALOG, Case, detection, read_right
from townsquare.ai.e5_embedder import E5Embedder
from townsquare.ai.embeddings import Embedder, Side
from townsquare.ai.errors import ModelUnavailableError
from townsquare.studio.business.policy import parse_policy
from townsquare.studio.business.policy_meaning import (
    FINAL_RULES,
    Reader,
    content_words,
    named_items,
    same_word,
)

_names = count()


class MeaningByWords(Embedder):
    """Puts the final-sale prototypes and any text with "stays yours" on one axis, every other
    text on another: a final-sale rule in words the grammar does not read, on demand."""

    dimension = 2

    def __init__(self) -> None:
        self.name = f"meaning-by-words-{next(_names)}"  # its own figures, whatever ran before

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        final = [t in FINAL_RULES or "stays yours" in t for t in texts]
        return np.array([[1, 0] if f else [0, 1] for f in final], dtype=np.float32)


class Unavailable(Embedder):
    name, dimension = "unavailable", 2

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        raise ModelUnavailableError("this CPU lacks AVX2")


SHOP = ("Oak side table Ex-display piece", "Stoneware mug Seconds: a glaze flaw",
        "Winter coat Last season colours", "Linen shirt size S M L")  # fmt: skip


def test_a_final_sale_rule_in_other_words_makes_the_items_it_names_final() -> None:
    policy = parse_policy(
        "Returns within 30 days. Display pieces and seconds: once bought, it stays yours.",
        SHOP,
        Reader(MeaningByWords()),
    )
    assert policy.final_words == ("display", "second")
    assert (
        policy.sentences[1].limit == "items named display / second are never returned or exchanged"
    )
    assert policy.not_enforced == ()
    assert policy.final_sale("Oak side table Ex-display piece")
    assert policy.final_sale("Stoneware mug Seconds: a glaze flaw")
    assert not policy.final_sale("Linen shirt size S M L")


def test_an_item_named_in_several_words_is_final_only_with_all_of_them() -> None:
    policy = parse_policy(
        "Last season coats: what you buy stays yours.", SHOP, Reader(MeaningByWords())
    )
    assert policy.final_words == ("last season coat",)
    assert policy.final_sale("Winter coat Last season colours")
    assert not policy.final_sale("Winter coat New season colours")


def test_words_that_name_nothing_in_the_catalog_are_said_to_the_owner() -> None:
    policy = parse_policy(
        "Ex-display furniture and lamps: it stays yours.", SHOP, Reader(MeaningByWords())
    )
    [sentence] = policy.sentences
    assert sentence.limit == "items named ex-display are never returned or exchanged"
    assert sentence.note == "read by meaning; no catalog item is called furniture / lamps"


def test_a_final_sale_rule_that_names_no_catalog_item_is_listed_as_not_enforced() -> None:
    text = "Vintage lamps: once it's bought, it stays yours."
    policy = parse_policy(text, SHOP, Reader(MeaningByWords()))
    assert policy.final_words == ()
    assert policy.not_enforced == (text,)
    assert policy.sentences[0].note == (
        "reads as a final-sale rule, but no catalog item is called vintage / lamps"
    )


def test_a_sentence_far_from_any_final_sale_rule_holds_nothing_back() -> None:
    text = "Our display pieces are lovely and our seconds charming."
    policy = parse_policy(text, SHOP, Reader(MeaningByWords()))
    assert policy.not_enforced == (text,)
    assert not policy.sentences[0].holds_returns
    assert policy.unread_about("Oak side table Ex-display piece") is None


@pytest.mark.parametrize("embedder", [None, Unavailable()], ids=["no embedder", "unavailable"])
def test_unread_a_sentence_hands_the_returns_of_the_items_it_names_to_a_person(
    embedder: Embedder | None,
) -> None:
    text = f"Display pieces {next(_names)}: no take-backs whatsoever."  # never read before
    policy = parse_policy(text, SHOP, Reader(embedder))
    assert policy.not_enforced == (text,)
    assert policy.sentences[0].holds_returns
    assert policy.unread_about("Oak side table Ex-display piece") == text
    assert policy.unread_about("Linen shirt size S M L") is None


def test_a_sentence_that_only_mentions_exchanges_is_read_by_meaning_too() -> None:
    text = "Display pieces are cheap as they are, so it stays yours: we cannot exchange it."
    policy = parse_policy(text, SHOP, Reader(MeaningByWords()))
    assert policy.final_words == ("display",)
    assert policy.final_sale("Oak side table Ex-display piece")
    swap = "We're glad to exchange a shirt for another size."
    assert parse_policy(swap, SHOP, Reader(MeaningByWords())).sentences[0].limit == (
        "exchanges within the return window"
    )


@pytest.mark.parametrize("embedder", [None, Unavailable()], ids=["no embedder", "unavailable"])
def test_unread_a_sentence_mentioning_exchanges_of_named_items_hands_them_to_a_person(
    embedder: Embedder | None,
) -> None:
    text = f"Seconds {next(_names)} are priced low, so we can't exchange or refund them."
    policy = parse_policy(text, SHOP, Reader(embedder))
    assert policy.not_enforced == (text,)
    assert policy.unread_about("Stoneware mug Seconds: a glaze flaw") == text
    assert policy.unread_about("Linen shirt size S M L") is None


def test_a_question_is_never_read_as_a_rule() -> None:
    policy = parse_policy("Seconds: stays yours?", SHOP, Reader(MeaningByWords()))
    assert policy.final_words == ()
    assert not policy.sentences[0].holds_returns


def test_a_verdict_is_remembered_for_reading_without_the_embedder() -> None:
    text = f"Seconds {next(_names)}: once bought, it stays yours."
    embedder = MeaningByWords()
    assert parse_policy(text, SHOP, Reader(embedder)).final_words == ("second",)
    assert parse_policy(text, SHOP, Reader()).final_words == ("second",)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("coats", "coat", True),
        ("gebrauchten", "gebrauchte", True),
        ("personalizzate", "personalizzata", True),
        ("showroommodellen", "showroommodel", True),
        ("class", "clas", False),
        ("print", "pine", False),
        ("personal", "personalised", False),
    ],
)
def test_words_are_one_word_when_only_their_endings_differ(a: str, b: str, same: bool) -> None:
    assert same_word(a, b) is same


def test_content_words_drop_function_words_elisions_and_words_for_goods() -> None:
    assert content_words("Les pièces d'exposition of the shop, and the seconds") == [
        "exposition",
        "seconds",
    ]
    assert named_items("Gebrauchte Schallplatten", ["Schallplatte, gebrauchte"]) == {
        "gebrauchte": "gebrauchte",
        "schallplatten": "schallplatte",
    }


# Read wrongly by e5-small, and reported so (docs/benchmarks.md): not tuned away.
_MISREAD = {
    "Gekauft ist gekauft bei gebrauchten Schallplatten.",
    "Seconds have tiny flaws you will hardly notice.",
}


@pytest.fixture(scope="module")
def e5() -> Reader:
    return Reader(E5Embedder())


@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason="misread by e5"))
        if c.text in _MISREAD
        else c
        for c in CASES
    ],
    ids=[f"{c.language}-{c.kind}-{i}" for i, c in enumerate(CASES)],
)
def test_a_policy_sentence_in_any_wording_is_read_as_its_rule(e5: Reader, case: Case) -> None:
    assert read_right(case, parse_policy(case.text, CATALOG, e5))


@pytest.mark.slow
def test_rules_are_told_from_look_alikes_in_every_language(e5: Reader) -> None:
    figures = detection(CASES, [parse_policy(c.text, CATALOG, e5) for c in CASES])
    assert len(CASES) >= 40 and len({c.language for c in CASES}) >= 5
    assert all(f.precision >= 0.9 and f.recall >= 0.6 for f in figures), figures
