"""The token loop shared by the engines that drive llama.cpp's C API a token at a time.

llama-cpp-py-sync (CFFI) and cyllama (Cython) both expose llama.cpp's own steps (evaluate
tokens into the KV cache, sample from the sampler chain, turn a token into text) and leave the
loop to the caller. The loop is here once, so that streaming, stop sequences and
``finish_reason`` behave alike in both, and as llama-cpp-python's ``create_completion`` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Protocol

from townsquare.ai.chat import ChatChunk

__all__ = ["TokenSteps", "compact_json_space", "decode", "partial_stop_length"]

# llama.cpp's JSON-schema converter lets the grammar put newlines and 20-space indents between
# JSON tokens, on which a small model spends the tokens that callers budget for the values;
# llama-cpp-python's grammar has one optional space.
_COMPACT_SPACE = 'space ::= " "?'


class TokenSteps(Protocol):
    """One generation's steps in one binding, after the prompt has been evaluated."""

    def sample(self) -> int:
        """The next token, sampled from the last evaluated position (and accepted)."""

    def is_end(self, token: int) -> bool:
        """Whether ``token`` ends generation (end of turn or of text)."""

    def text(self, token: int) -> str:
        """The text ``token`` adds; "" while it holds part of a multibyte character."""

    def flush(self) -> str:
        """Whatever text is still held back (an incomplete character, replaced)."""

    def evaluate(self, tokens: Sequence[int], n_past: int) -> int:
        """Evaluate ``tokens`` at position ``n_past`` into the KV cache; the new position."""


def decode(
    steps: TokenSteps, n_past: int, max_tokens: int, stops: Sequence[str]
) -> Iterator[ChatChunk]:
    """Sample up to ``max_tokens``, yielding text once no stop sequence can start in it."""
    pending = ""
    for _ in range(max_tokens):
        token = steps.sample()
        if steps.is_end(token):
            break
        pending += steps.text(token)
        stop_at = min((i for i in (pending.find(s) for s in stops) if i >= 0), default=-1)
        if stop_at >= 0:
            yield ChatChunk(pending[:stop_at], "stop")
            return
        ready = len(pending) - partial_stop_length(pending, stops)
        if ready > 0:
            yield ChatChunk(pending[:ready])
            pending = pending[ready:]
        n_past = steps.evaluate([token], n_past)
    else:
        yield ChatChunk(pending + steps.flush(), "length")
        return
    yield ChatChunk(pending + steps.flush(), "stop")


def partial_stop_length(text: str, stops: Sequence[str]) -> int:
    """How many characters at the end of ``text`` could be the start of a stop sequence."""
    return max(
        (
            n
            for stop in stops
            for n in range(min(len(stop) - 1, len(text)), 0, -1)
            if text.endswith(stop[:n])
        ),
        default=0,
    )


def compact_json_space(grammar: str) -> str:
    """``grammar`` (from a llama.cpp JSON-schema converter) with one optional space between
    JSON tokens instead of newlines and indents."""
    return re.sub(r"^space ::= .*$", _COMPACT_SPACE, grammar, count=1, flags=re.MULTILINE)
