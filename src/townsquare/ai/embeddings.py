"""The embedding interface: texts in, unit-length float32 rows out.

Rows are L2-normalised so that a dot product is the cosine similarity, which is what the
knowledge index and the feed both compute.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["Embedder", "normalise_rows"]


class Embedder(ABC):
    """Turns texts into vectors of a fixed ``dimension``."""

    name: str
    dimension: int

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return an array of shape (len(texts), dimension), float32, each row of length 1."""


def normalise_rows(vectors: NDArray[np.floating]) -> NDArray[np.float32]:
    """Scale each row to length 1; an all-zero row stays zero rather than becoming NaN."""
    matrix: NDArray[np.float32] = np.asarray(vectors, dtype=np.float32)  # (N, D)
    norms: NDArray[np.float32] = np.linalg.norm(matrix, axis=1, keepdims=True)  # (N, 1)
    norms[norms == 0] = 1
    return matrix / norms
