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
        self,
        settings: Settings,
        *,
        chat: ChatModel | None = None,
        embedder: Embedder | None = None,
        multilingual: Embedder | None = None,
    ) -> None:
        self._settings = settings
        self._chat = chat
        self._embedder = embedder
        self._multilingual = multilingual
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

    @property
    def multilingual(self) -> Embedder:
        """An embedder that puts a question in one language near its answer in another (a
        shop's FAQ): the one passed in, the configured embedder when it is e5-small, else
        e5-small of its own (its engine loads on the first ``embed``)."""
        settings = self._settings
        configured = settings.embedding_backend == "embedded" and settings.embedder == "e5-small"
        if self._multilingual is None and configured:
            return self.embedder
        with self._lock:
            if self._multilingual is None:
                from townsquare.ai.e5_embedder import E5Embedder

                self._multilingual = E5Embedder()
            return self._multilingual
