from __future__ import annotations

from typing import Any

import jsonschema
import numpy as np
import pytest

from townsquare.ai import ChatMessage, ChatRequest, FakeChatModel, FakeEmbedder
from townsquare.ai.fake import DEFAULT_REPLY, minimal_instance


def ask(text: str = "hi", **options: Any) -> ChatRequest:
    return ChatRequest([ChatMessage("user", text)], **options)


def test_replies_come_in_order_and_the_last_repeats() -> None:
    model = FakeChatModel(["one", "two"])
    assert [model.complete(ask()).text for _ in range(3)] == ["one", "two", "two"]
    assert len(model.requests) == 3


def test_a_callable_sees_the_request() -> None:
    model = FakeChatModel(lambda request: request.messages[-1].content.upper())
    assert model.complete(ask("shout")).text == "SHOUT"
    assert model.last_request.messages[-1].content == "shout"


def test_without_replies_it_answers_text_and_json_sensibly() -> None:
    model = FakeChatModel()
    assert model.complete(ask()).text == DEFAULT_REPLY
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    assert model.complete_json(ask(json_schema=schema)) == {"n": 0}


def test_it_streams_word_by_word_and_honours_stop_sequences() -> None:
    model = FakeChatModel(["Hello there. User: more"])
    chunks = list(model.stream(ask(stop=["User:"])))
    assert [c.text for c in chunks] == ["Hello", " there."]
    assert [c.finish_reason for c in chunks] == [None, "stop"]


def test_it_stops_at_max_tokens() -> None:
    completion = FakeChatModel(["a b c d"]).complete(ask(max_tokens=2))
    assert (completion.text, completion.finish_reason) == ("a b", "length")


def test_an_empty_reply_still_ends_the_stream() -> None:
    assert [(c.text, c.finish_reason) for c in FakeChatModel([""]).stream(ask())] == [("", "stop")]


def test_it_needs_a_reply_to_give() -> None:
    with pytest.raises(ValueError, match="at least one reply"):
        FakeChatModel([])


@pytest.mark.parametrize(
    "schema",
    [
        {
            "type": "object",
            "properties": {"a": {"type": "string", "minLength": 2}},
            "required": ["a"],
        },
        {"type": "array", "items": {"type": "number", "minimum": 3}, "minItems": 2},
        {"type": "integer", "exclusiveMinimum": 5},
        {"type": "number", "maximum": -1},
        {"type": ["null", "string"]},
        {"anyOf": [{"type": "boolean"}, {"type": "string"}]},
        {"const": "fixed"},
        {
            "$defs": {
                "call": {
                    "type": "object",
                    "properties": {"tool": {"enum": ["search"]}},
                    "required": ["tool"],
                }
            },
            "type": "object",
            "properties": {
                "calls": {"type": "array", "items": {"$ref": "#/$defs/call"}, "minItems": 1}
            },
            "required": ["calls"],
        },
    ],
)
def test_minimal_instance_is_valid(schema: dict[str, Any]) -> None:
    jsonschema.validate(minimal_instance(schema), schema)


def test_fake_embedder_is_deterministic_and_unit_length() -> None:
    embedder = FakeEmbedder(dimension=64)
    first = embedder.embed(["The bakery opens at seven", ""], "query")
    again = FakeEmbedder(dimension=64).embed(["The bakery opens at seven", ""], "query")
    assert first.shape == (2, 64)
    assert first.dtype == np.float32
    np.testing.assert_array_equal(first, again)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-6)
    assert embedder.calls == [["The bakery opens at seven", ""]]


def test_fake_embedder_puts_texts_that_share_words_closer() -> None:
    query, near, far = FakeEmbedder(dimension=256).embed(
        ["when does the bakery open", "the bakery opens at seven", "quarterly tax filings"],
        "query",
    )
    assert query @ near > query @ far


def test_fake_embedder_handles_no_texts() -> None:
    assert FakeEmbedder().embed([], "query").shape == (0, 32)
