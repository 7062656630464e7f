from __future__ import annotations

import numpy as np
import pytest

from townsquare.ai import SentenceTransformerEmbedder


@pytest.mark.slow
def test_minilm_embeds_paraphrases_close_together() -> None:
    embedder = SentenceTransformerEmbedder()
    vectors = embedder.embed(
        [
            "The bakery opens at seven in the morning.",
            "Every morning at 7 the bakery opens its doors.",
            "Quarterly tax filings are due in April.",
        ],
        "query",
    )
    assert vectors.shape == (3, embedder.dimension) == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    similarity = vectors @ vectors.T  # (3, 3) cosine similarities
    assert similarity[0, 1] > similarity[0, 2] + 0.3
    assert embedder.embed([], "query").shape == (0, 384)
