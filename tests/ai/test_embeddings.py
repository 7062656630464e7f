import numpy as np
import pytest

from townsquare.ai import E5Embedder, FakeEmbedder, SentenceTransformerEmbedder
from townsquare.ai.embeddings import normalise_rows


def test_calibrated_maps_the_unrelated_cosine_to_zero_and_identity_to_one() -> None:
    e5 = E5Embedder()
    assert e5.calibrated(e5.unrelated_cosine) == pytest.approx(0.0)
    assert e5.calibrated(1.0) == pytest.approx(1.0)
    assert e5.calibrated(0.5) < 0  # less related than unrelated texts usually are


def test_a_model_whose_unrelated_texts_sit_at_zero_keeps_its_cosines() -> None:
    assert SentenceTransformerEmbedder.unrelated_cosine == 0.0
    assert FakeEmbedder().calibrated(0.42) == pytest.approx(0.42)


def test_normalise_rows_leaves_a_zero_row_zero() -> None:
    rows = normalise_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 0.0]])
    assert rows.dtype == np.float32


def test_the_fake_records_each_calls_side() -> None:
    fake = FakeEmbedder()
    fake.embed(["a question"], "query")
    fake.embed(["a passage"], "passage")
    assert fake.sides == ["query", "passage"]
