"""The model side of a business turn: native tool calls from an OpenAI-compatible server, and
the constrained-JSON fallback."""

from __future__ import annotations

import json

import httpx
import pytest

from townsquare.ai.chat import ChatMessage, ChatRequest
from townsquare.ai.errors import StructuredOutputError
from townsquare.ai.openai_compat import OpenAIChatModel
from townsquare.studio.business.actions import choose

PROMPT = [ChatMessage("system", "be helpful"), ChatMessage("user", "Where is order E-1001?")]


def _server(handler: object) -> tuple[OpenAIChatModel, list[dict[str, object]]]:
    bodies: list[dict[str, object]] = []

    def record(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        bodies.append(body)
        return handler(body)  # type: ignore[operator,no-any-return]

    model = OpenAIChatModel("http://model.test/v1", "big", transport=httpx.MockTransport(record))
    return model, bodies


def _choice(message: dict[str, object]) -> httpx.Response:
    return httpx.Response(200, json={"choices": [{"message": message, "finish_reason": "stop"}]})


def test_a_server_with_tools_gets_native_tool_calls() -> None:
    call = {"function": {"name": "order_details", "arguments": '{"order_number": "E-1001"}'}}
    model, bodies = _server(lambda body: _choice({"content": None, "tool_calls": [call]}))
    action = choose(model, PROMPT)
    assert action == {"tool": "order_details", "arguments": {"order_number": "E-1001"}}
    [body] = bodies
    assert body["tool_choice"] == "required" and "response_format" not in body
    names = [tool["function"]["name"] for tool in body["tools"]]  # type: ignore[attr-defined]
    assert "cancel_order" in names and "reply" in names


def test_a_plain_answer_instead_of_a_tool_call_is_a_reply() -> None:
    model, _ = _server(lambda body: _choice({"content": "Hello!"}))
    assert choose(model, PROMPT) == {"tool": "reply", "text": "Hello!"}


def test_a_server_without_tools_is_asked_for_constrained_json() -> None:
    action = {"action": {"tool": "search_catalog", "arguments": {"query": "mug"}}}

    def handler(body: dict[str, object]) -> httpx.Response:
        if "tools" in body:
            return httpx.Response(400, json={"error": {"message": "tools are not supported"}})
        return _choice({"content": json.dumps(action)})

    model, bodies = _server(handler)
    assert choose(model, PROMPT) == action["action"]
    assert choose(model, PROMPT) == action["action"]
    assert not model.native_tools
    assert ["tools" in b for b in bodies] == [True, False, False]  # asked once, remembered
    assert "response_format" in bodies[1]


@pytest.mark.parametrize(
    "payload",
    [
        {"choices": []},
        {"choices": [{"message": {"tool_calls": [{"function": {"arguments": "{}"}}]}}]},
        {"choices": [{"message": {"tool_calls": [{"function": {"name": "x", "arguments": "{"}}]}}]},
        {
            "choices": [
                {"message": {"tool_calls": [{"function": {"name": "x", "arguments": "[]"}}]}}
            ]
        },
        {"choices": [{"message": {"tool_calls": ["order_details"]}}]},
    ],
)
def test_a_malformed_native_tool_call_is_nothing_usable(payload: dict[str, object]) -> None:
    model, _ = _server(lambda body: httpx.Response(200, json=payload))
    assert choose(model, PROMPT) is None
    with pytest.raises(StructuredOutputError, match="big"):
        model.call_tool(ChatRequest(PROMPT), [])


def test_a_reply_that_is_not_json_is_nothing_usable() -> None:
    model, _ = _server(lambda body: httpx.Response(200, text="<html>busy</html>"))
    assert choose(model, PROMPT) is None
