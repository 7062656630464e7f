from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import townsquare.ai
from townsquare.ai import (
    E5Embedder,
    LlamaCppChatModel,
    OpenAIChatModel,
    OpenAIEmbedder,
    SentenceTransformerEmbedder,
    build_chat_model,
    build_embedder,
)
from townsquare.settings import Settings


def test_public_surface() -> None:
    assert sorted(townsquare.ai.__all__) == [
        "ChatChunk",
        "ChatMessage",
        "ChatModel",
        "ChatRequest",
        "Completion",
        "E5Embedder",
        "Embedder",
        "FakeChatModel",
        "FakeEmbedder",
        "LlamaCppChatModel",
        "ModelUnavailableError",
        "OpenAIChatModel",
        "OpenAIEmbedder",
        "SentenceTransformerEmbedder",
        "Side",
        "StructuredOutputError",
        "build_chat_model",
        "build_embedder",
        "packaged_embedding_model_dir",
        "packaged_gguf",
    ]


def test_building_the_defaults_imports_no_model_runtime(tmp_path: Path) -> None:
    script = f"""
import json, sys
from townsquare.ai import build_chat_model, build_embedder
from townsquare.settings import Settings
settings = Settings(data_dir={str(tmp_path)!r}, chat_model="smollm2-135m")
build_chat_model(settings), build_embedder(settings)
heavy = ["llama_cpp", "torch", "sentence_transformers", "transformers", "llm"]
print(json.dumps([name for name in heavy if name in sys.modules]))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_embedded_defaults(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, chat_model="smollm2-135m", chat_threads=3)
    model = build_chat_model(settings)
    assert isinstance(model, LlamaCppChatModel)
    assert (model.name, model.prompt_format, model.n_threads) == ("smollm2-135m", "chatml", 3)
    assert model.n_ctx == settings.chat_context_tokens
    assert isinstance(build_embedder(settings), SentenceTransformerEmbedder)  # the default
    e5 = settings.model_copy(update={"embedder": "e5-small"})
    assert isinstance(build_embedder(e5), E5Embedder)


def test_a_gguf_path_overrides_the_packaged_model(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, chat_model_path=tmp_path / "custom.gguf")
    model = build_chat_model(settings)
    assert isinstance(model, LlamaCppChatModel)
    assert (model.name, model.prompt_format) == ("custom", "auto")


def test_openai_backends(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        chat_backend="openai",
        embedding_backend="openai",
        openai_base_url="http://gpu-box:8000/v1",
        openai_chat_model="qwen",
        openai_embedding_model="bge",
    )
    chat, embedder = build_chat_model(settings), build_embedder(settings)
    assert isinstance(chat, OpenAIChatModel)
    assert isinstance(embedder, OpenAIEmbedder)
    assert (chat.name, embedder.name) == ("qwen", "bge")
    chat.close()
    embedder.close()
