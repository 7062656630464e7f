from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import townsquare.ai
from townsquare.ai import (
    E5Embedder,
    FakeEmbedder,
    LlamaCppChatModel,
    OpenAIChatModel,
    OpenAIEmbedder,
    SentenceTransformerEmbedder,
    build_chat_model,
    build_cross_embedder,
    build_embedder,
)
from townsquare.ai.runtime import Models
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
        "build_cross_embedder",
        "build_embedder",
        "for_question",
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


def test_a_cross_language_embedder_only_beside_one_that_reads_few_languages(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.cross_embedder == "e5-small"  # the default
    english = FakeEmbedder(languages=frozenset({"en"}))
    assert isinstance(build_cross_embedder(settings, english), E5Embedder)
    assert isinstance(build_cross_embedder(settings, build_embedder(settings)), E5Embedder)
    assert build_cross_embedder(settings, FakeEmbedder()) is None  # reads many already
    assert build_cross_embedder(settings, E5Embedder()) is None
    off = settings.model_copy(update={"cross_embedder": "none"})
    assert build_cross_embedder(off, english) is None


def test_models_choose_the_embedder_per_question(tmp_path: Path) -> None:
    english, cross = FakeEmbedder(languages=frozenset({"en"})), FakeEmbedder(name="multi")
    models = Models(Settings(data_dir=tmp_path), embedder=english, cross_embedder=cross)
    assert models.cross_embedder is cross
    assert models.embedder_for("How much is the beginner course?") is english
    assert models.embedder_for("Quanto custa o curso para iniciantes?") is cross
    # A fake passed in alone has no cross embedder; a configured instance builds E5.
    assert Models(Settings(data_dir=tmp_path), embedder=english).cross_embedder is None
    assert isinstance(Models(Settings(data_dir=tmp_path)).cross_embedder, E5Embedder)
