"""The token loop shared by the py-sync and cyllama engines, on scripted steps (no model)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from townsquare.ai._llama_steps import compact_json_space, decode, partial_stop_length
from townsquare.ai.chat import ChatChunk

END = -1


class ScriptedSteps:
    """Samples the given pieces in order (END ends generation), recording what is evaluated."""

    def __init__(self, pieces: Sequence[str | int]) -> None:
        self.pieces = list(pieces)
        self.evaluated: list[tuple[int, int]] = []
        self.flushed = False

    def sample(self) -> int:
        return len(self.evaluated)

    def is_end(self, token: int) -> bool:
        return token >= len(self.pieces) or self.pieces[token] == END

    def text(self, token: int) -> str:
        return str(self.pieces[token])

    def flush(self) -> str:
        self.flushed = True
        return "!"

    def evaluate(self, tokens: Sequence[int], n_past: int) -> int:
        self.evaluated.extend((token, n_past) for token in tokens)
        return n_past + len(tokens)


def run(pieces: Sequence[str | int], max_tokens: int, stops: Sequence[str]) -> list[ChatChunk]:
    return list(decode(ScriptedSteps(pieces), 10, max_tokens, stops))


def test_text_streams_as_it_comes_and_the_end_token_stops() -> None:
    steps = ScriptedSteps(["Hel", "lo", END, "unseen"])
    chunks = list(decode(steps, 10, 8, []))
    assert chunks == [ChatChunk("Hel"), ChatChunk("lo"), ChatChunk("!", "stop")]
    assert steps.evaluated == [(0, 10), (1, 11)]  # each sampled token at the next position


def test_a_stop_sequence_across_tokens_is_cut_and_never_streamed() -> None:
    chunks = run(["Hi", " <|im", "_end|>", "x"], 8, ["<|im_end|>"])
    assert chunks == [ChatChunk("Hi"), ChatChunk(" "), ChatChunk("", "stop")]


def test_text_that_only_looked_like_a_stop_is_released() -> None:
    chunks = run(["a <", "b"], 8, ["<|im_end|>"])
    assert "".join(c.text for c in chunks) == "a <b!"
    assert chunks[-1].finish_reason == "stop"


def test_max_tokens_ends_with_length_and_the_held_text() -> None:
    steps = ScriptedSteps(["one", " two", " three"])
    chunks = list(decode(steps, 0, 2, ["\n"]))
    assert chunks == [ChatChunk("one"), ChatChunk(" two"), ChatChunk("!", "length")]
    assert steps.flushed


@pytest.mark.parametrize(
    ("text", "stops", "held"),
    [("Hello <|im", ["<|im_end|>"], 4), ("Hello", ["<|im_end|>"], 0), ("a\n", ["\n\n"], 1)],
)
def test_text_that_may_start_a_stop_is_held_back(text: str, stops: list[str], held: int) -> None:
    assert partial_stop_length(text, stops) == held


def test_the_json_whitespace_rule_becomes_one_optional_space() -> None:
    grammar = 'root ::= "{" space "}"\nspace ::= | " " | "\\n"{1,2} [ \\t]{0,20}\n'
    assert compact_json_space(grammar).splitlines() == ['root ::= "{" space "}"', 'space ::= " "?']
