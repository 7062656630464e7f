"""Fixtures for tests against the real packaged models and a real OpenAI-compatible server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from townsquare.ai import LlamaCppChatModel, ModelUnavailableError, packaged_gguf
from townsquare.ai.llamacpp import check_binding

SERVER_START_TIMEOUT_S = 60.0


@pytest.fixture(scope="session")
def smollm2_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return packaged_gguf("smollm2-135m", tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def gemma_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return packaged_gguf("gemma3-270m", tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def smollm2(smollm2_gguf: Path) -> LlamaCppChatModel:
    return LlamaCppChatModel(smollm2_gguf, prompt_format="chatml", n_ctx=1024, name="smollm2")


@pytest.fixture(scope="session")
def gemma(gemma_gguf: Path) -> LlamaCppChatModel:
    return LlamaCppChatModel(gemma_gguf, prompt_format="transcript", n_ctx=1024, name="gemma")


@pytest.fixture(scope="session")
def py_sync() -> None:
    """Skips where llama-cpp-py-sync is missing or its prebuilt llama.cpp does not load (its
    wheels need glibc 2.38 or newer; Debian 12 has 2.36)."""
    try:
        check_binding("py-sync")
    except ModelUnavailableError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def smollm2_py_sync(smollm2_gguf: Path, py_sync: None) -> LlamaCppChatModel:
    return LlamaCppChatModel(
        smollm2_gguf, prompt_format="chatml", n_ctx=1024, name="smollm2", binding="py-sync"
    )


@pytest.fixture(scope="session")
def gemma_py_sync(gemma_gguf: Path, py_sync: None) -> LlamaCppChatModel:
    return LlamaCppChatModel(
        gemma_gguf, prompt_format="transcript", n_ctx=1024, name="gemma", binding="py-sync"
    )


@pytest.fixture(scope="session")
def cyllama() -> None:
    """Skips where cyllama is missing or this CPU lacks what its prebuilt llama.cpp needs."""
    try:
        check_binding("cyllama")
    except ModelUnavailableError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def smollm2_cyllama(smollm2_gguf: Path, cyllama: None) -> LlamaCppChatModel:
    return LlamaCppChatModel(
        smollm2_gguf, prompt_format="chatml", n_ctx=1024, name="smollm2", binding="cyllama"
    )


@pytest.fixture(scope="session")
def gemma_cyllama(gemma_gguf: Path, cyllama: None) -> LlamaCppChatModel:
    return LlamaCppChatModel(
        gemma_gguf, prompt_format="transcript", n_ctx=1024, name="gemma", binding="cyllama"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# llama_cpp.server, loading its model without AMX weight repacking, which crashes on Sapphire
# Rapids CPUs (see ``_without_weight_repacking`` in townsquare/ai/_llama_cpp_python.py).
_SERVER_WITHOUT_REPACKING = """
import runpy
import llama_cpp.llama_cpp as low_level
default_params = low_level.llama_model_default_params
def params_without_repacking():
    params = default_params()
    params.use_extra_bufts = False
    return params
low_level.llama_model_default_params = params_without_repacking
runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
"""


@pytest.fixture(scope="session")
def llama_server(smollm2_gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of llama-cpp-python's OpenAI-compatible server serving SmolLM2."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    command = [
        sys.executable,
        "-c",
        _SERVER_WITHOUT_REPACKING,
        "--model",
        str(smollm2_gguf),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "1024",
        "--n_threads",
        str(os.cpu_count() or 1),
    ]
    with log_path.open("wb") as log:
        env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}  # see townsquare/ai/_openmp.py
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_until_ready(server, f"http://127.0.0.1:{port}/v1/models", log_path)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_ready(server: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"llama_cpp.server exited with {server.returncode}:\n{log_path.read_text()}"
            )
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(
        f"llama_cpp.server not ready after {SERVER_START_TIMEOUT_S:g} s:\n{log_path.read_text()}"
    )
