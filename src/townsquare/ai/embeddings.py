"""The embedding interface: texts in, unit-length float32 rows out.

Rows are L2-normalised so that a dot product is the cosine similarity, which is what the
knowledge index and the feed both compute.

Every call says which side its texts are on. Retrieval models such as E5 are trained with a
``query: `` prefix on what is searched for and ``passage: `` on what is searched, and embed the
two differently; a symmetric model (MiniLM) ignores the side. A text compared with another of
its own kind (two sentences, a post used as a feature) is a ``query``, as the E5 card says.

Cosines are not comparable across models: a question and an unrelated passage are at 0.18 for
MiniLM and 0.79 for E5, a question and the passage that answers it at 0.59 and 0.88
(``bench/embedders.py`` on the studio evaluation set). The thresholds of relevance, answer
choice and avoided topics were tuned on MiniLM, so ``Embedder.calibrated`` maps a model's cosine
linearly onto MiniLM's scale through those two points.

An embedder names the ``languages`` it reads (None: many). MiniLM reads English only, so a
question in another language is embedded by a multilingual model instead, the cross-language
embedder (``for_question``), against that model's own vectors of the same passages: English
questions keep MiniLM and the thresholds tuned on it, other languages get a model that can
match them to an English passage at all.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from townsquare.ai.languages import detect_language

__all__ = ["Embedder", "Side", "for_question", "normalise_rows"]

Side = Literal["query", "passage"]

# all-MiniLM-L6-v2's mean cosines (unrelated, answer) on the studio evaluation set.
REFERENCE_UNRELATED, REFERENCE_ANSWER = 0.177, 0.588


class Embedder(ABC):
    """Turns texts into vectors of a fixed ``dimension``."""

    name: str
    dimension: int
    # Mean cosine of a question and a passage that does not answer it, and of a question and
    # the passage that does; ``calibrated`` maps them to MiniLM's (the reference scale).
    unrelated_cosine: float = REFERENCE_UNRELATED
    answer_cosine: float = REFERENCE_ANSWER
    # The languages (ISO 639-1) it was trained to read; None: many.
    languages: frozenset[str] | None = None

    @abstractmethod
    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        """Return an array of shape (len(texts), dimension), float32, each row of length 1."""

    def calibrated(self, cosine: float) -> float:
        """``cosine`` on MiniLM's scale, so that one threshold holds whichever model is
        configured: this model's unrelated and answer cosines become MiniLM's."""
        slope = (REFERENCE_ANSWER - REFERENCE_UNRELATED) / (
            self.answer_cosine - self.unrelated_cosine
        )
        return REFERENCE_UNRELATED + (cosine - self.unrelated_cosine) * slope


def for_question(primary: Embedder, cross: Embedder | None, question: str) -> Embedder:
    """The embedder that reads ``question``: ``primary`` when it reads the question's language
    (or that cannot be told, or there is no ``cross``), else ``cross``."""
    if cross is None or primary.languages is None:
        return primary
    asked_in = detect_language(question)
    return primary if asked_in is None or asked_in in primary.languages else cross


def normalise_rows(vectors: NDArray[np.floating]) -> NDArray[np.float32]:
    """Scale each row to length 1; an all-zero row stays zero rather than becoming NaN."""
    matrix: NDArray[np.float32] = np.asarray(vectors, dtype=np.float32)  # (N, D)
    norms: NDArray[np.float32] = np.linalg.norm(matrix, axis=1, keepdims=True)  # (N, 1)
    norms[norms == 0] = 1
    return matrix / norms
