from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from townsquare.ai import ChatChunk, ChatMessage, ChatModel, ChatRequest, StructuredOutputError

SCHEMA = {
    "type": "object",
    "properties": {"tool": {"enum": ["search", "reply"]}, "query": {"type": "string"}},
    "required": ["tool", "query"],
}


class ScriptedModel(ChatModel):
    """Streams fixed chunks, to test what ChatModel builds on ``stream``."""

    name = "scripted"

    def __init__(self, *chunks: ChatChunk) -> None:
        self.chunks = chunks

    def stream(self, request: ChatRequest) -> Iterator[ChatChunk]:
        yield from self.chunks


def ask(**options: Any) -> ChatRequest:
    return ChatRequest([ChatMessage("user", "hi")], **options)


def test_complete_joins_the_stream_and_keeps_the_final_finish_reason() -> None:
    model = ScriptedModel(ChatChunk("Hel"), ChatChunk("lo"), ChatChunk("!", "stop"))
    completion = model.complete(ask())
    assert (completion.text, completion.finish_reason) == ("Hello!", "stop")


def test_complete_json_returns_the_parsed_value() -> None:
    model = ScriptedModel(ChatChunk('{"tool": "search", '), ChatChunk('"query": "x"}', "stop"))
    assert model.complete_json(ask(json_schema=SCHEMA)) == {"tool": "search", "query": "x"}


def test_complete_json_requires_a_schema() -> None:
    with pytest.raises(ValueError, match="json_schema"):
        ScriptedModel(ChatChunk("{}")).complete_json(ask())


def test_complete_json_rejects_text_that_is_not_json() -> None:
    model = ScriptedModel(ChatChunk("Sure! Here it is"))
    with pytest.raises(StructuredOutputError, match="did not reply with JSON") as caught:
        model.complete_json(ask(json_schema=SCHEMA))
    assert caught.value.text == "Sure! Here it is"


def test_complete_json_names_where_the_reply_breaks_the_schema() -> None:
    model = ScriptedModel(ChatChunk('{"tool": "delete", "query": "x"}'))
    with pytest.raises(StructuredOutputError, match="at tool: 'delete' is not one of"):
        model.complete_json(ask(json_schema=SCHEMA))


def test_complete_json_blames_max_tokens_for_a_cut_off_reply() -> None:
    model = ScriptedModel(ChatChunk('{"tool": "sea', "length"))
    with pytest.raises(StructuredOutputError, match="cut off by max_tokens"):
        model.complete_json(ask(json_schema=SCHEMA))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_tokens": 0}, "max_tokens"),
        ({"temperature": -0.1}, "temperature"),
        ({"repeat_penalty": 0}, "repeat_penalty must be positive"),
    ],
)
def test_request_rejects_nonsense(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ask(**options)


def test_request_needs_a_message() -> None:
    with pytest.raises(ValueError, match="at least one message"):
        ChatRequest([])
