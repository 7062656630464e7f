import numpy as np
import pytest

from townsquare.ai import E5Embedder, FakeEmbedder, SentenceTransformerEmbedder
from townsquare.ai.embeddings import REFERENCE_ANSWER, REFERENCE_UNRELATED, normalise_rows


def test_calibrated_maps_a_models_cosines_onto_minilms_scale() -> None:
    e5 = E5Embedder()
    assert e5.calibrated(e5.unrelated_cosine) == pytest.approx(REFERENCE_UNRELATED)
    assert e5.calibrated(e5.answer_cosine) == pytest.approx(REFERENCE_ANSWER)
    # Linear between and beyond: halfway stays halfway.
    halfway = (e5.unrelated_cosine + e5.answer_cosine) / 2
    assert e5.calibrated(halfway) == pytest.approx((REFERENCE_UNRELATED + REFERENCE_ANSWER) / 2)


def test_minilm_is_the_reference_and_keeps_its_cosines() -> None:
    minilm = SentenceTransformerEmbedder()
    assert minilm.calibrated(0.42) == pytest.approx(0.42)
    assert FakeEmbedder().calibrated(-0.3) == pytest.approx(-0.3)


def test_normalise_rows_leaves_a_zero_row_zero() -> None:
    rows = normalise_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 0.0]])
    assert rows.dtype == np.float32


def test_the_fake_records_each_calls_side() -> None:
    fake = FakeEmbedder()
    fake.embed(["a question"], "query")
    fake.embed(["a passage"], "passage")
    assert fake.sides == ["query", "passage"]
