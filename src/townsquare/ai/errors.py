"""The two ways an AI backend fails that callers are expected to handle."""

from __future__ import annotations


class ModelUnavailableError(RuntimeError):
    """The model cannot be used at all: a missing file or package, an unreachable server, or a
    server that refuses the request. The message says what is wrong and how to fix it."""


class StructuredOutputError(ValueError):
    """The model answered, but not with JSON that matches the requested schema.

    ``text`` keeps the raw reply so that callers can log it or retry with a different prompt.
    """

    def __init__(self, message: str, *, text: str) -> None:
        super().__init__(message)
        self.text = text
