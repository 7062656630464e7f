"""The embedding interface: texts in, unit-length float32 rows out.

Rows are L2-normalised so that a dot product is the cosine similarity, which is what the
knowledge index and the feed both compute.

Every call says which side its texts are on. Retrieval models such as E5 are trained with a
``query: `` prefix on what is searched for and ``passage: `` on what is searched, and embed the
two differently; a symmetric model (MiniLM) ignores the side. A text compared with another of
its own kind (two sentences, a post used as a feature) is a ``query``, as the E5 card says.

Cosines are not comparable across models: MiniLM puts two unrelated sentences near 0, E5 near
0.75. ``Embedder.calibrated`` rescales a cosine so that 0 means "unrelated" for any model, which
is what thresholds (relevance, avoided topics) are written against.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = ["Embedder", "Side", "normalise_rows"]

Side = Literal["query", "passage"]


class Embedder(ABC):
    """Turns texts into vectors of a fixed ``dimension``."""

    name: str
    dimension: int
    # The cosine two unrelated texts typically get from this model; ``calibrated`` maps it to 0.
    unrelated_cosine: float = 0.0

    @abstractmethod
    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        """Return an array of shape (len(texts), dimension), float32, each row of length 1."""

    def calibrated(self, cosine: float) -> float:
        """``cosine`` on a scale where 0 is "unrelated" and 1 "the same" for every model, so
        one threshold holds whichever model is configured (negative: less related than
        unrelated texts usually are)."""
        return (cosine - self.unrelated_cosine) / (1.0 - self.unrelated_cosine)


def normalise_rows(vectors: NDArray[np.floating]) -> NDArray[np.float32]:
    """Scale each row to length 1; an all-zero row stays zero rather than becoming NaN."""
    matrix: NDArray[np.float32] = np.asarray(vectors, dtype=np.float32)  # (N, D)
    norms: NDArray[np.float32] = np.linalg.norm(matrix, axis=1, keepdims=True)  # (N, 1)
    norms[norms == 0] = 1
    return matrix / norms
