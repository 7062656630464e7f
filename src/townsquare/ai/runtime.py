"""The models a running Townsquare uses, loaded on first use and shared by every request."""

from __future__ import annotations

import threading

from townsquare.ai.chat import ChatModel
from townsquare.ai.embeddings import Embedder
from townsquare.settings import Settings


class Models:
    """The configured chat model and embedder. Loading the embedded ones takes seconds, so it
    happens on first use, once; tests pass fakes in instead."""

    def __init__(
        self, settings: Settings, *, chat: ChatModel | None = None, embedder: Embedder | None = None
    ) -> None:
        self._settings = settings
        self._chat = chat
        self._embedder = embedder
        self._lock = threading.Lock()

    @property
    def chat(self) -> ChatModel:
        with self._lock:
            if self._chat is None:
                from townsquare.ai import build_chat_model

                self._chat = build_chat_model(self._settings)
            return self._chat

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                from townsquare.ai import build_embedder

                self._embedder = build_embedder(self._settings)
            return self._embedder
