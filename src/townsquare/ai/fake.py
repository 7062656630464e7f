"""Deterministic stand-ins for the chat model and the embedder, for unit tests anywhere.

``FakeChatModel`` replays scripted replies and records every request; ``FakeEmbedder`` hashes
words into a bag-of-words vector, so texts sharing words are near and the same text always
maps to the same vector.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from townsquare.ai.chat import ChatChunk, ChatModel, ChatRequest
from townsquare.ai.embeddings import Embedder, Side, normalise_rows

__all__ = ["FakeChatModel", "FakeEmbedder", "minimal_instance"]

DEFAULT_REPLY = "This is a fake reply."


class FakeChatModel(ChatModel):
    """Replies from a script, streamed word by word.

    ``replies`` is either a list, answered in order with the last one repeating, or a function
    of the request. Without replies, text requests get ``DEFAULT_REPLY`` and JSON requests the
    smallest instance of their schema. Like a real model it stops at the first stop sequence
    (finish reason 'stop') and after ``max_tokens`` words (finish reason 'length').
    """

    def __init__(
        self,
        replies: Sequence[str] | Callable[[ChatRequest], str] | None = None,
        *,
        name: str = "fake",
    ) -> None:
        if replies is not None and not callable(replies) and not replies:
            raise ValueError("give FakeChatModel at least one reply, or None for the defaults")
        self.name = name
        self.replies = replies
        self.requests: list[ChatRequest] = []

    @property
    def last_request(self) -> ChatRequest:
        if not self.requests:
            raise AssertionError("FakeChatModel has not been asked anything yet")
        return self.requests[-1]

    def stream(self, request: ChatRequest) -> Iterator[ChatChunk]:
        self.requests.append(request)
        text, finish_reason = _truncate(self._reply_to(request), request)
        words = re.findall(r"\s*\S+", text) or [""]
        for word in words[:-1]:
            yield ChatChunk(word)
        yield ChatChunk(words[-1], finish_reason)

    def _reply_to(self, request: ChatRequest) -> str:
        if callable(self.replies):
            return self.replies(request)
        if self.replies is not None:
            return self.replies[min(len(self.requests), len(self.replies)) - 1]
        if request.json_schema is not None:
            return json.dumps(minimal_instance(request.json_schema))
        return DEFAULT_REPLY


def _truncate(text: str, request: ChatRequest) -> tuple[str, str]:
    cut = min((i for i in (text.find(s) for s in request.stop if s) if i >= 0), default=-1)
    if cut >= 0:
        text = text[:cut]
    words = re.findall(r"\s*\S+", text)
    if len(words) > request.max_tokens:
        return "".join(words[: request.max_tokens]), "length"
    return text, "stop"


def minimal_instance(schema: Mapping[str, Any], root: Mapping[str, Any] | None = None) -> Any:
    """The smallest value that satisfies common JSON-schema keywords: required properties
    only, ``minItems`` items, the first ``enum`` member or ``anyOf`` branch, local ``$ref``s."""
    root = schema if root is None else root
    if "$ref" in schema:
        target: Any = root
        for part in str(schema["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        return minimal_instance(target, root)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            return minimal_instance(schema[keyword][0], root)
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = kind[0]
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            key: minimal_instance(properties.get(key, {}), root)
            for key in schema.get("required", [])
        }
    if kind == "array":
        return [
            minimal_instance(schema.get("items", {}), root)
            for _ in range(schema.get("minItems", 0))
        ]
    if kind == "string":
        return "x" * schema.get("minLength", 0)
    if kind in ("integer", "number"):
        if "minimum" in schema:
            return schema["minimum"]
        if "exclusiveMinimum" in schema:
            return schema["exclusiveMinimum"] + 1
        return min(0, schema.get("maximum", 0))
    if kind == "boolean":
        return False
    return None


class FakeEmbedder(Embedder):
    """Hashed bag of words: each lower-cased word adds ±1 to one of ``dimension`` slots."""

    def __init__(
        self, dimension: int = 32, *, name: str = "fake", languages: frozenset[str] | None = None
    ) -> None:
        self.name = name
        self.dimension = dimension
        self.languages = languages  # as a model trained on these would say (None: many)
        self.calls: list[list[str]] = []
        self.sides: list[Side] = []

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        """Symmetric, like MiniLM; ``sides`` records each call's side."""
        self.calls.append(list(texts))
        self.sides.append(side)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)  # (N, D)
        for row, text in enumerate(texts):
            words = re.findall(r"\w+", text.lower()) or [""]  # no words: one fixed direction
            for word in words:
                digest = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest())
                vectors[row, digest % self.dimension] += 1 if digest >> 63 else -1
        return normalise_rows(vectors)
