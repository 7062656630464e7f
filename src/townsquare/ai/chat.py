"""The chat-model interface: one abstract method, ``stream``; everything else is built on it.

Backends (embedded llama.cpp, an OpenAI-compatible server, the fake) differ only in how they
produce chunks, so callers can swap them without noticing, and tests can use the fake.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import jsonschema

from townsquare.ai.errors import ModelUnavailableError, StructuredOutputError

__all__ = [
    "DEFAULT_SPEAKERS",
    "ChatChunk",
    "ChatMessage",
    "ChatModel",
    "ChatRequest",
    "Completion",
    "ModelUnavailableError",
    "Role",
    "StructuredOutputError",
]

Role = Literal["system", "user", "assistant"]
DEFAULT_SPEAKERS = ("User", "Assistant")


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True)
class ChatRequest:
    """One generation. ``json_schema`` asks for a JSON reply matching it (see ``complete_json``);
    ``seed`` with ``temperature=0`` makes a backend's output repeatable. The penalties discourage
    repetition: ``repeat_penalty`` divides the odds of the last 64 tokens (llama.cpp; 1.0 is
    off), ``presence_penalty`` and ``frequency_penalty`` subtract from a token's logit once, or
    per use (OpenAI's meaning; 0.0 is off). A backend applies those it supports. ``speakers``
    names the user's and the assistant's turns where a prompt is a plain transcript (a base
    model: "Sam: ..." / "Captain Byte: ..." read as a scene, where "User:" / "Assistant:" read as
    a help desk); chat formats and servers ignore it."""

    messages: Sequence[ChatMessage]
    max_tokens: int = 256
    temperature: float = 0.7
    stop: Sequence[str] = ()
    json_schema: Mapping[str, Any] | None = None
    seed: int | None = None
    repeat_penalty: float = 1.0
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0
    speakers: tuple[str, str] = DEFAULT_SPEAKERS

    def __post_init__(self) -> None:
        if not self.messages:
            raise ValueError("a ChatRequest needs at least one message")
        if self.max_tokens < 1:
            raise ValueError(f"max_tokens must be at least 1, got {self.max_tokens}")
        if self.temperature < 0:
            raise ValueError(f"temperature must not be negative, got {self.temperature}")
        if self.repeat_penalty <= 0:
            raise ValueError(f"repeat_penalty must be positive, got {self.repeat_penalty}")


@dataclass(frozen=True)
class ChatChunk:
    """A piece of streamed text; the last chunk of a stream carries the ``finish_reason``
    ('stop' for a stop sequence or the end of the turn, 'length' for ``max_tokens``)."""

    text: str
    finish_reason: str | None = None


@dataclass(frozen=True)
class Completion:
    text: str
    finish_reason: str | None


class ChatModel(ABC):
    """A chat model. Subclasses implement ``stream``; ``complete`` and ``complete_json`` follow."""

    name: str

    # Context window in tokens; callers keep prompt + max_tokens within it.
    context_tokens: int = 4096

    @abstractmethod
    def stream(self, request: ChatRequest) -> Iterator[ChatChunk]:
        """Yield the reply as it is generated."""

    def count_tokens(self, text: str) -> int:
        """How many tokens ``text`` takes. Backends without a tokenizer at hand estimate one token
        per three bytes, rounded up: more than English really takes, so budgets err on fitting."""
        return -(-len(text.encode()) // 3) if text else 0

    def complete(self, request: ChatRequest) -> Completion:
        """The whole reply at once."""
        parts: list[str] = []
        finish_reason: str | None = None
        for chunk in self.stream(request):
            parts.append(chunk.text)
            finish_reason = chunk.finish_reason or finish_reason
        return Completion("".join(parts), finish_reason)

    def complete_json(self, request: ChatRequest) -> Any:
        """The reply parsed as JSON and validated against ``request.json_schema``.

        Backends constrain decoding to the schema where they can, but a reply cut short by
        ``max_tokens`` or a server that ignores the schema still yields bad JSON, so the result
        is always checked here.
        """
        if request.json_schema is None:
            raise ValueError("complete_json needs a ChatRequest with json_schema set")
        completion = self.complete(request)
        return _parse_json_reply(completion, request.json_schema, model_name=self.name)


def _parse_json_reply(completion: Completion, schema: Mapping[str, Any], *, model_name: str) -> Any:
    """Parse and validate a reply, raising ``StructuredOutputError`` that says what went wrong."""
    text = completion.text
    hint = (
        " The reply was cut off by max_tokens; raise it."
        if completion.finish_reason == "length"
        else ""
    )
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StructuredOutputError(
            f"{model_name} did not reply with JSON ({exc}).{hint} Reply: {text[:200]!r}",
            text=text,
        ) from exc
    error = jsonschema.exceptions.best_match(
        jsonschema.validators.validator_for(schema)(schema).iter_errors(value)
    )
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the top level"
        raise StructuredOutputError(
            f"{model_name} replied with JSON that does not match the schema at {where}: "
            f"{error.message}.{hint}",
            text=text,
        )
    return value
