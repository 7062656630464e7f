"""The models a running Townsquare uses, loaded on first use and shared by every request."""

from __future__ import annotations

import threading
from typing import Literal

from townsquare.ai.chat import ChatModel
from townsquare.ai.embeddings import Embedder, for_question
from townsquare.settings import Settings


class Models:
    """The configured chat model and embedders. Loading the embedded ones takes seconds, so it
    happens on first use, once; tests pass fakes in instead (``cross_embedder`` given with an
    ``embedder``; left out, a fake ``embedder`` has none)."""

    def __init__(
        self,
        settings: Settings,
        *,
        chat: ChatModel | None = None,
        embedder: Embedder | None = None,
        cross_embedder: Embedder | None = None,
    ) -> None:
        self._settings = settings
        self._chat = chat
        self._embedder = embedder
        self._cross = cross_embedder
        self._cross_known = embedder is not None
        self._lock = threading.Lock()

    @property
    def chat(self) -> ChatModel:
        with self._lock:
            if self._chat is None:
                from townsquare.ai import build_chat_model

                self._chat = build_chat_model(self._settings)
            return self._chat

    @property
    def chat_drafts(self) -> int:
        """Drafts a free reply is chosen from (``TOWNSQUARE_CHAT_DRAFTS``)."""
        return self._settings.chat_drafts

    @property
    def answer_selection(self) -> Literal["rules", "learned"]:
        """How a typed question's answer is picked (``TOWNSQUARE_ANSWER_SELECTION``)."""
        return self._settings.answer_selection

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                from townsquare.ai import build_embedder

                self._embedder = build_embedder(self._settings)
            return self._embedder

    @property
    def cross_embedder(self) -> Embedder | None:
        """The multilingual embedder for questions the embedder cannot read; None: none."""
        primary = self.embedder
        with self._lock:
            if not self._cross_known:
                from townsquare.ai import build_cross_embedder

                self._cross = build_cross_embedder(self._settings, primary)
                self._cross_known = True
            return self._cross

    def embedder_for(self, question: str) -> Embedder:
        """The embedder that reads ``question`` (``for_question``)."""
        return for_question(self.embedder, self.cross_embedder, question)

    @property
    def multilingual(self) -> Embedder:
        """An embedder that puts a question in one language near its answer in another (a
        shop's FAQ): the cross-language embedder, else the embedder itself."""
        return self.cross_embedder or self.embedder
