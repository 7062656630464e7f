from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from numpy.typing import NDArray

from townsquare.studio.knowledge.cache import IndexCache
from townsquare.studio.knowledge.index import (
    LEXICAL_ACROSS_LANGUAGES,
    RRF_K,
    HybridIndex,
    terms,
    top_rows,
)


def unit(*values: float) -> NDArray[np.float32]:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_terms_fold_case_accents_plurals_and_drop_stopwords() -> None:
    assert terms("What are the Cookies' prices? Crème brûlée, SKU-4411!") == [
        "cooky",
        "price",
        "creme",
        "brulee",
        "sku",
        "4411",
    ]
    assert terms("glass bus berries is") == ["glass", "bus", "berry"]
    assert terms("cookie berry") == terms("cookies berries")


def test_top_rows_keeps_positive_scores_best_first() -> None:
    scores = np.array([0.0, 0.5, -0.2, 0.9, 0.5, 0.1], dtype=np.float32)
    assert top_rows(scores, 10) == [3, 1, 4, 5]
    assert top_rows(scores, 2) == [3, 1]
    assert top_rows(np.zeros(3, dtype=np.float32), 5) == []


def test_lexical_half_finds_the_exact_word() -> None:
    texts = ["Our rye loaf is dense.", "The SKU-4411 mixer is back.", "Mixers and bowls."]
    index = HybridIndex(texts, np.zeros((3, 2), dtype=np.float32))
    hits = index.search("is sku-4411 in stock", None)
    assert [hit.row for hit in hits] == [1]
    assert hits[0].lexical > 0 and hits[0].dense == 0


def test_dense_half_finds_by_meaning_with_no_shared_word() -> None:
    vectors = np.stack([unit(1, 0, 0), unit(0, 1, 0), unit(0.2, 0.9, 0)])
    index = HybridIndex(["alpha", "beta", "gamma"], vectors)
    hits = index.search("delivery", unit(0, 1, 0))
    assert [hit.row for hit in hits] == [1, 2]  # row 0 is orthogonal: no evidence, no rank
    assert hits[0].dense == pytest.approx(1.0)
    assert hits[0].lexical == 0


def test_reciprocal_rank_fusion_rewards_agreement_between_the_halves() -> None:
    # Row 0 tops the lexical list only, row 1 the dense list only, row 2 is second in both.
    texts = ["kiln kiln kiln firing", "unrelated words here", "kiln notes for beginners"]
    vectors = np.stack([unit(0, 1), unit(1, 0), unit(1, 0.3)])
    hits = HybridIndex(texts, vectors).search("kiln", unit(1, 0))
    assert [hit.row for hit in hits] == [2, 1, 0]
    assert hits[0].fused == pytest.approx(2 / (RRF_K + 2))
    assert hits[1].fused == pytest.approx(1 / (RRF_K + 1))
    # Rows 1 and 0 tie on fused score; the closer embedding wins the tie.
    assert hits[2].fused == pytest.approx(hits[1].fused)


def test_a_query_vector_of_another_size_is_ignored_not_an_error() -> None:
    index = HybridIndex(["kiln"], np.stack([unit(1, 0)]))
    [hit] = index.search("kiln", unit(1, 0, 0))
    assert hit.dense == 0 and hit.lexical > 0


def test_an_empty_index_finds_nothing() -> None:
    index = HybridIndex([], np.zeros((0, 4), dtype=np.float32))
    assert len(index) == 0
    assert index.search("anything", unit(1, 0, 0, 0)) == []


def test_texts_and_vectors_must_match() -> None:
    with pytest.raises(ValueError, match="2 texts but 1 vectors"):
        HybridIndex(["a", "b"], np.zeros((1, 2), dtype=np.float32))


def test_cache_builds_once_per_version_and_drops_older_versions() -> None:
    cache: IndexCache[list[int]] = IndexCache(max_chunks=100)
    builds: list[tuple[int, int]] = []

    def build(key: tuple[int, int]) -> list[int]:
        builds.append(key)
        return [1, 2, 3]

    first = cache.get_or_build((7, 1), lambda: build((7, 1)))
    assert cache.get_or_build((7, 1), lambda: build((7, 1))) is first
    cache.get_or_build((7, 2), lambda: build((7, 2)))
    assert builds == [(7, 1), (7, 2)]
    assert (7, 1) not in cache and (7, 2) in cache
    # A build that finishes after a newer version was cached does not displace it.
    cache.get_or_build((7, 1), lambda: build((7, 1)))
    assert (7, 1) not in cache and (7, 2) in cache


def test_cache_evicts_the_least_recently_used_past_its_chunk_budget() -> None:
    cache: IndexCache[list[int]] = IndexCache(max_chunks=10)
    cache.get_or_build((1, 0), lambda: [0] * 4)
    cache.get_or_build((2, 0), lambda: [0] * 4)
    cache.get_or_build((1, 0), lambda: [0] * 4)  # touched: now the most recent
    cache.get_or_build((3, 0), lambda: [0] * 4)
    assert (1, 0) in cache and (3, 0) in cache and (2, 0) not in cache
    cache.get_or_build((4, 0), lambda: [0] * 50)  # bigger than the budget alone: still kept
    assert (4, 0) in cache and (1, 0) not in cache


def test_concurrent_misses_on_one_key_build_it_once() -> None:
    cache: IndexCache[list[int]] = IndexCache()
    calls: list[int] = []

    def slow_build() -> list[int]:
        calls.append(1)
        time.sleep(0.2)
        return [1]

    results: list[list[int]] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_build((1, 1), slow_build)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(results) == 4
    assert all(result is results[0] for result in results)


def test_a_failed_build_is_not_cached_and_can_be_retried() -> None:
    cache: IndexCache[list[int]] = IndexCache()

    def broken() -> list[int]:
        raise RuntimeError("database away")

    with pytest.raises(RuntimeError):
        cache.get_or_build((1, 1), broken)
    assert cache.get_or_build((1, 1), lambda: [5]) == [5]


TWO_TOPICS = [
    "The glazing workshop is on Friday afternoons in the small studio.",
    "The beginner wheel course costs one hundred and twenty pounds for six weeks.",
]


def test_words_shared_across_languages_weigh_less_than_meaning() -> None:
    # A Portuguese question shares only "workshop" with an English passage about something
    # else; the passage that answers it shares no word but is the closest in meaning.
    index = HybridIndex(TWO_TOPICS, np.stack([unit(0, 1), unit(1, 0.1)]))
    assert index.languages == ["en", "en"]
    hits = index.search("Quanto custa o workshop para iniciantes?", unit(1, 0))
    assert [hit.row for hit in hits] == [1, 0]
    assert hits[0].fused == pytest.approx(1 / (RRF_K + 1))
    assert hits[1].fused == pytest.approx(LEXICAL_ACROSS_LANGUAGES / (RRF_K + 1))
    assert hits[1].lexical > 0  # the raw score is kept for the guard


def test_words_count_in_full_within_one_language() -> None:
    index = HybridIndex(TWO_TOPICS, np.stack([unit(0, 1), unit(1, 0.1)]))
    hits = index.search("When is the glazing workshop?", unit(1, 0))
    assert [hit.fused for hit in hits] == pytest.approx([1 / (RRF_K + 1)] * 2)


def test_a_question_too_short_to_tell_weighs_words_in_full() -> None:
    index = HybridIndex(TWO_TOPICS, np.stack([unit(0, 1), unit(1, 0.1)]))
    [hit] = index.search("workshop", None)
    assert hit.fused == pytest.approx(1 / (RRF_K + 1))
