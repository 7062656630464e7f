import numpy as np
import pytest

from townsquare.ai import E5Embedder, FakeEmbedder, SentenceTransformerEmbedder
from townsquare.ai.embeddings import (
    REFERENCE_ANSWER,
    REFERENCE_UNRELATED,
    for_question,
    normalise_rows,
)


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


@pytest.mark.parametrize(
    ("question", "chosen"),
    [
        ("When does the Sunday ride leave?", "primary"),
        ("Quando sai o passeio de domingo?", "cross"),
        ("Quand part la sortie du dimanche ?", "cross"),
        ("Wann startet die Sonntagsausfahrt?", "cross"),
        ("¿Cuándo sale la salida del domingo?", "cross"),
        ("?? 12", "primary"),  # too few letters to tell: the embedder the instance chose
    ],
)
def test_a_question_the_embedder_cannot_read_goes_to_the_cross_embedder(
    question: str, chosen: str
) -> None:
    primary = FakeEmbedder(name="primary", languages=frozenset({"en"}))
    cross = FakeEmbedder(name="cross")
    assert for_question(primary, cross, question).name == chosen


def test_without_a_cross_embedder_or_with_a_multilingual_one_the_embedder_answers() -> None:
    english, multilingual = FakeEmbedder(languages=frozenset({"en"})), FakeEmbedder()
    cross = FakeEmbedder(name="cross")
    assert for_question(english, None, "Quanto custa?") is english
    assert for_question(multilingual, cross, "Quanto custa o curso?") is multilingual
    assert SentenceTransformerEmbedder.languages == frozenset({"en"})
    assert E5Embedder.languages is None
