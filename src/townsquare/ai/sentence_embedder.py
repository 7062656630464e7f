"""Embeddings from the packaged all-MiniLM-L6-v2, run by sentence-transformers on the CPU."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from townsquare.ai._openmp import passive_openmp
from townsquare.ai.embeddings import Embedder, Side, normalise_rows
from townsquare.ai.errors import ModelUnavailableError
from townsquare.ai.packaged import packaged_embedding_model_dir

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["SentenceTransformerEmbedder"]


class SentenceTransformerEmbedder(Embedder):
    """384-dimensional sentence embeddings; torch and the weights load on the first ``embed``."""

    name = "all-MiniLM-L6-v2"
    dimension = 384
    languages = frozenset({"en"})  # trained on English pairs only

    def __init__(self) -> None:
        self.model_dir = packaged_embedding_model_dir()
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        """MiniLM is symmetric: both sides embed alike."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._load().encode(
            list(texts),
            batch_size=32,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return normalise_rows(vectors)  # already unit length; this pins the dtype to float32

    def _load(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                # The model is on disk; never let the Hugging Face hub try the network.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                passive_openmp()
                try:
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as transformers_logging
                except ImportError as exc:
                    raise ModelUnavailableError(
                        "The embedded embedding backend needs sentence-transformers; run "
                        "`pip install sentence-transformers`."
                    ) from exc
                # Loading prints a progress bar per call otherwise, into the CLI's output.
                transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
                self._model = SentenceTransformer(str(self.model_dir), device="cpu")
            return self._model
