"""Hybrid search over one agent's chunks: BM25 and embeddings, fused by reciprocal rank.

The two halves fail differently. BM25 finds the exact word a member types ("SKU-4411",
"gluten") that an embedding blurs; the embedding finds "how long does delivery take?" in a
passage that says "we ship within three days". Reciprocal Rank Fusion (Cormack et al., 2009)
adds ``1 / (60 + rank)`` from each list, so neither score's scale has to be calibrated against
the other. Each hit also keeps its raw cosine and BM25 score: a fused rank says which passage
is best, not whether any passage is relevant, and the grounding guard needs the latter.

Words match only within a language: a Portuguese question shares no terms with an English
passage that answers it, and the terms it does share ("de", a number, "workshop") say little.
So the lexical list is weighed per chunk by language: in full where the question and the chunk
are in the same language (or either cannot be told), by ``LEXICAL_ACROSS_LANGUAGES`` where they
differ, and the dense half (a multilingual embedder) decides.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import bm25s
import numpy as np
from numpy.typing import NDArray

from townsquare.ai.languages import detect_language, fold_accents

RRF_K = 60
# How deep each list is read before fusing. A passage ranked below this in one list still
# counts through the other; past it, 1/(60 + rank) barely moves the order.
CANDIDATES = 50
# The weight of a lexical rank when the question and the chunk are in different languages.
LEXICAL_ACROSS_LANGUAGES = 0.25

STOPWORDS = frozenset(
    """a about all am an and any are as at be been but by can could did do does for from had
    has have how i if in into is it its me my of on or our so such than that the their them
    then there these they this to us was we were what when where which who why will with would
    you your""".split()  # noqa: SIM905 - a word list reads better as prose
)
_TOKEN = re.compile(r"[a-z0-9]+")


def terms(text: str) -> list[str]:
    """Lower-cased words and numbers, accents folded, stopwords dropped, plurals folded
    ("cookies" and "cookie" meet). Deliberately simple: the dense half covers the rest of
    morphology."""
    return [term for word in _TOKEN.findall(fold_accents(text.lower())) if (term := _term(word))]


@functools.lru_cache(maxsize=1 << 16)
def _term(word: str) -> str:
    """A word's term, "" for a stopword. Cached: a corpus repeats a few thousand words, and
    this is most of the time it takes to index 100,000 chunks."""
    return "" if word in STOPWORDS else _singular(word)


def _singular(word: str) -> str:
    """Folds a plural: "berries" and "berry" both become "berry", and "cookies" and "cookie"
    both "cooky", since -ie and -y plurals look alike. Terms are only matched, never shown."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith(("ies", "ie")):
        return word[: -3 if word.endswith("s") else -2] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Hit:
    row: int  # position of the chunk in the index
    fused: float  # the RRF score; orders hits within one search
    dense: float  # cosine of query and chunk embeddings, in [-1, 1]
    lexical: float  # the chunk's BM25 score for the query; 0 when no query term occurs


class HybridIndex:
    """An immutable index over ``texts`` and their unit-length ``vectors`` (N, D)."""

    def __init__(self, texts: list[str], vectors: NDArray[np.float32]) -> None:
        if vectors.shape[0] != len(texts):
            raise ValueError(f"{len(texts)} texts but {vectors.shape[0]} vectors")
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)  # (N, D)
        self.languages = [detect_language(text) for text in texts]  # ISO 639-1, None: unsure
        self.bm25 = bm25s.BM25(method="lucene")
        if texts:
            self.bm25.index([terms(text) for text in texts], show_progress=False)

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    def lexical_scores(self, query: str) -> NDArray[np.float32]:
        """BM25 of every chunk for ``query``, (N,)."""
        if not len(self):
            return np.zeros(0, dtype=np.float32)
        ids = self.bm25.get_tokens_ids(terms(query))
        if not ids:
            return np.zeros(len(self), dtype=np.float32)
        return np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float32)

    def dense_scores(self, query_vector: NDArray[np.float32] | None) -> NDArray[np.float32]:
        """Cosine of every chunk with the query, (N,); zeros without a usable query vector
        (no embedder, or one of another dimension than the stored embeddings)."""
        if query_vector is None or query_vector.shape != (self.vectors.shape[1],):
            return np.zeros(len(self), dtype=np.float32)
        # einsum runs numpy's own single-threaded SIMD loop. A matrix-vector product is
        # memory-bound, so BLAS threads buy nothing, and on a busy machine they spin and
        # wait: 12 ms instead of 1 ms at 10,000 chunks on two shared cores.
        scores: NDArray[np.float32] = np.einsum(
            "nd,d->n", self.vectors, query_vector.astype(np.float32)
        )  # (N,)
        return scores

    def search(
        self, query: str, query_vector: NDArray[np.float32] | None, depth: int = CANDIDATES
    ) -> list[Hit]:
        """The fused top ``depth`` of each list, best first."""
        lexical = self.lexical_scores(query)
        dense = self.dense_scores(query_vector)
        asked_in = detect_language(query)
        return fuse(
            [(row, float(lexical[row])) for row in top_rows(lexical, depth)],
            [(row, float(dense[row])) for row in top_rows(dense, depth)],
            lambda row: lexical_weight(asked_in, self.languages[row]),
            dense=lambda row: float(dense[row]),
            lexical=lambda row: float(lexical[row]),
        )


def fuse(
    lexical_ranked: list[tuple[int, float]],
    dense_ranked: list[tuple[int, float]],
    weight: Callable[[int], float],
    *,
    dense: Callable[[int], float] | None = None,
    lexical: Callable[[int], float] | None = None,
) -> list[Hit]:
    """Reciprocal rank fusion of two ranked lists of (row, score), best first, whatever the
    index that ranked them (this one, or PostgreSQL's). ``weight(row)`` weighs a lexical rank
    (see ``lexical_weight``). A row's raw scores are those of the lists, or 0 where it is in
    only one; ``dense``/``lexical`` give them for every row where the caller has them all."""
    dense_of = dict(dense_ranked)
    lexical_of = dict(lexical_ranked)
    fused: dict[int, float] = {}
    for rank, (row, _) in enumerate(lexical_ranked, 1):
        fused[row] = weight(row) / (RRF_K + rank)
    for rank, (row, _) in enumerate(dense_ranked, 1):
        fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank)
    hits = [
        Hit(
            row,
            score,
            dense(row) if dense else dense_of.get(row, 0.0),
            lexical(row) if lexical else lexical_of.get(row, 0.0),
        )
        for row, score in fused.items()
    ]
    hits.sort(key=lambda hit: (-hit.fused, -hit.dense, hit.row))
    return hits


def lexical_weight(asked_in: str | None, written_in: str | None) -> float:
    """In full within one language (or where either cannot be told); less across two."""
    if asked_in is None or written_in is None or asked_in == written_in:
        return 1.0
    return LEXICAL_ACROSS_LANGUAGES


def top_rows(scores: NDArray[np.float32], n: int) -> list[int]:
    """The rows of the ``n`` highest positive scores, highest first. A zero score means no
    evidence at all (no shared word, or no embedding), which is not a rank worth fusing."""
    positive = np.flatnonzero(scores > 0)
    if positive.size > n:
        positive = positive[np.argpartition(-scores[positive], n - 1)[:n]]
    return [int(row) for row in positive[np.argsort(-scores[positive], kind="stable")]]
