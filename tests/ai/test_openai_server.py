"""The OpenAI-compatible backend against a real llama-cpp-python server (see conftest)."""

from __future__ import annotations

from collections.abc import Iterator

import jsonschema
import pytest

from townsquare.ai import ChatMessage, ChatRequest, OpenAIChatModel

pytestmark = pytest.mark.slow

SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string", "maxLength": 30}, "sunny": {"type": "boolean"}},
    "required": ["city", "sunny"],
}


@pytest.fixture(scope="module")
def model(llama_server: str) -> Iterator[OpenAIChatModel]:
    with OpenAIChatModel(llama_server, "smollm2", timeout=60.0) as chat:
        yield chat


def ask(question: str, **options: object) -> ChatRequest:
    messages = [ChatMessage("system", "Answer briefly."), ChatMessage("user", question)]
    return ChatRequest(messages, temperature=0, seed=7, **options)  # type: ignore[arg-type]


def test_complete_and_stream_agree(model: OpenAIChatModel) -> None:
    request = ask("What is the capital of France?", max_tokens=12)
    completion = model.complete(request)
    chunks = list(model.stream(request))
    assert "Paris" in completion.text
    assert "".join(c.text for c in chunks) == completion.text
    assert chunks[-1].finish_reason == completion.finish_reason


def test_a_stop_sequence_stops(model: OpenAIChatModel) -> None:
    completion = model.complete(
        ask("What is the capital of France?", max_tokens=12, stop=["Paris"])
    )
    assert completion.finish_reason == "stop"
    assert "Paris" not in completion.text


def test_structured_output(model: OpenAIChatModel) -> None:
    request = ask("Describe the weather in Paris as JSON.", max_tokens=48, json_schema=SCHEMA)
    # llama-cpp-python's server refuses OpenAI's form; "auto" retries with its own.
    jsonschema.validate(model.complete_json(request), SCHEMA)
