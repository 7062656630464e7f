from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import numpy as np
import pytest

from townsquare.ai import (
    ChatMessage,
    ChatRequest,
    ModelUnavailableError,
    OpenAIChatModel,
    OpenAIEmbedder,
)

BASE_URL = "http://llm.test/v1"
SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that answers from a function and keeps the JSON bodies sent."""

    def __init__(self, answer: Handler) -> None:
        self.answer = answer
        self.bodies: list[dict[str, Any]] = []
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(json.loads(request.content))
        return self.answer(request)


def completion(text: str, finish_reason: str = "stop") -> httpx.Response:
    message = {"role": "assistant", "content": text}
    return httpx.Response(
        200, json={"choices": [{"message": message, "finish_reason": finish_reason}]}
    )


def sse(*events: dict[str, Any] | str) -> httpx.Response:
    lines = [f"data: {e if isinstance(e, str) else json.dumps(e)}\n\n" for e in events]
    return httpx.Response(
        200, text=": ping\n\n" + "".join(lines), headers={"content-type": "text/event-stream"}
    )


def delta(content: str | None, finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish_reason}]
    }


@pytest.fixture
def make_chat() -> Iterator[Callable[..., OpenAIChatModel]]:
    models: list[OpenAIChatModel] = []

    def make(handler: Handler, **options: Any) -> OpenAIChatModel:
        model = OpenAIChatModel(
            BASE_URL, "tiny", "sk-test", 5.0, httpx.MockTransport(handler), **options
        )
        models.append(model)
        return model

    yield make
    for model in models:
        model.close()


def ask(**options: Any) -> ChatRequest:
    messages = [ChatMessage("system", "Be brief."), ChatMessage("user", "Hi")]
    return ChatRequest(messages, **options)


def test_complete_sends_one_plain_request(make_chat: Callable[..., OpenAIChatModel]) -> None:
    recorder = Recorder(lambda _: completion("Hello!"))
    result = make_chat(recorder).complete(ask(max_tokens=12, temperature=0, stop=["\n"], seed=7))
    assert (result.text, result.finish_reason) == ("Hello!", "stop")
    request = recorder.requests[0]
    assert request.url == f"{BASE_URL}/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert recorder.bodies == [
        {
            "model": "tiny",
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Hi"},
            ],
            "max_tokens": 12,
            "temperature": 0,
            "stream": False,
            "stop": ["\n"],
            "seed": 7,
        }
    ]


def test_the_openai_penalties_are_sent_and_llama_cpps_repeat_penalty_is_not(
    make_chat: Callable[..., OpenAIChatModel],
) -> None:
    recorder = Recorder(lambda _: completion("Hello!"))
    chat = make_chat(recorder)
    chat.complete(ask(presence_penalty=0.5, frequency_penalty=0.25, repeat_penalty=1.2))
    chat.complete(ask())
    penalties = [
        {k: v for k, v in body.items() if k.endswith("penalty")} for body in recorder.bodies
    ]
    assert penalties == [{"presence_penalty": 0.5, "frequency_penalty": 0.25}, {}]


def test_stream_parses_server_sent_events(make_chat: Callable[..., OpenAIChatModel]) -> None:
    recorder = Recorder(
        lambda _: sse(
            {"choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]},
            delta("Hel"),
            delta("lo"),
            delta(None, "length"),
            "[DONE]",
            delta("never read"),
        )
    )
    chunks = list(make_chat(recorder).stream(ask()))
    assert [(c.text, c.finish_reason) for c in chunks] == [
        ("Hel", None),
        ("lo", None),
        ("", "length"),
    ]
    assert recorder.bodies[0]["stream"] is True


def test_an_error_event_mid_stream_is_raised(make_chat: Callable[..., OpenAIChatModel]) -> None:
    model = make_chat(lambda _: sse(delta("Hel"), {"error": {"message": "out of memory"}}))
    with pytest.raises(ModelUnavailableError, match=r"failed mid-stream.*out of memory"):
        list(model.stream(ask()))


class BrokenStream(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield f"data: {json.dumps(delta('Hel'))}\n\n".encode()
        raise httpx.RemoteProtocolError("peer closed connection")


def test_a_connection_lost_mid_stream_is_raised(make_chat: Callable[..., OpenAIChatModel]) -> None:
    model = make_chat(lambda _: httpx.Response(200, stream=BrokenStream()))
    chunks = model.stream(ask())
    assert next(chunks).text == "Hel"
    with pytest.raises(ModelUnavailableError, match=r"broke off the stream.*peer closed"):
        next(chunks)


def test_structured_output_uses_the_openai_form_first(
    make_chat: Callable[..., OpenAIChatModel],
) -> None:
    recorder = Recorder(lambda _: completion('{"ok": true}'))
    assert make_chat(recorder).complete_json(ask(json_schema=SCHEMA)) == {"ok": True}
    assert recorder.bodies[0]["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "response", "schema": SCHEMA, "strict": True},
    }


def llama_cpp_python_server(request: httpx.Request) -> httpx.Response:
    """Answers like llama-cpp-python's server, which only knows ``json_object`` with a schema."""
    if json.loads(request.content)["response_format"]["type"] != "json_object":
        loc = ["body", "response_format", "type"]
        error = {"loc": loc, "msg": "Input should be 'text' or 'json_object'"}
        return httpx.Response(500, json={"detail": [error]})
    return completion('{"ok": false}')


def test_auto_falls_back_to_json_object_and_remembers(
    make_chat: Callable[..., OpenAIChatModel],
) -> None:
    recorder = Recorder(llama_cpp_python_server)
    model = make_chat(recorder)
    assert model.complete_json(ask(json_schema=SCHEMA)) == {"ok": False}
    assert model.complete_json(ask(json_schema=SCHEMA)) == {"ok": False}
    forms = [body["response_format"]["type"] for body in recorder.bodies]
    assert forms == ["json_schema", "json_object", "json_object"]
    assert recorder.bodies[1]["response_format"]["schema"] == SCHEMA


def test_a_fixed_form_never_falls_back(make_chat: Callable[..., OpenAIChatModel]) -> None:
    model = make_chat(Recorder(llama_cpp_python_server), structured_output="json_schema")
    with pytest.raises(ModelUnavailableError, match=r"500: .*'text' or 'json_object'"):
        model.complete_json(ask(json_schema=SCHEMA))


def test_other_errors_are_not_retried(
    make_chat: Callable[..., OpenAIChatModel],
) -> None:
    recorder = Recorder(
        lambda _: httpx.Response(400, json={"error": {"message": "context too long"}})
    )
    with pytest.raises(ModelUnavailableError, match="answered 400: context too long"):
        make_chat(recorder).complete(ask())
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            httpx.Response(401, json={"error": {"message": "Invalid API key"}}),
            r"/v1/chat/completions answered 401: Invalid API key \(set TOWNSQUARE_OPENAI_API_KEY",
        ),
        (
            httpx.Response(404, text="Not Found"),
            r"answered 404: Not Found \(check TOWNSQUARE_OPENAI_BASE_URL",
        ),
        (
            httpx.Response(500, json={"error": "model crashed"}),
            r"answered 500: model crashed \(see the server's log",
        ),
    ],
)
def test_error_statuses_carry_the_server_message(
    make_chat: Callable[..., OpenAIChatModel], response: httpx.Response, message: str
) -> None:
    model = make_chat(lambda _: response)
    with pytest.raises(ModelUnavailableError, match=message):
        model.complete(ask())
    with pytest.raises(ModelUnavailableError, match=message):
        list(model.stream(ask()))


def test_connection_refused_says_where_and_what_to_do() -> None:
    with (
        OpenAIChatModel("http://127.0.0.1:9/v1", "tiny", timeout=2.0) as model,
        pytest.raises(ModelUnavailableError, match=r"Cannot reach .*127\.0\.0\.1:9/v1.*BASE_URL"),
    ):
        model.complete(ask())


def test_a_timeout_names_the_setting(make_chat: Callable[..., OpenAIChatModel]) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(
        ModelUnavailableError, match="within 5 s; raise TOWNSQUARE_OPENAI_TIMEOUT_S"
    ):
        make_chat(slow).complete(ask())


def embeddings(*vectors: list[float]) -> httpx.Response:
    data = [{"index": i, "embedding": v} for i, v in reversed(list(enumerate(vectors)))]
    return httpx.Response(200, json={"data": data})


def test_embedder_normalises_rows_in_input_order() -> None:
    recorder = Recorder(lambda _: embeddings([3.0, 4.0], [0.0, 2.0]))
    with OpenAIEmbedder(BASE_URL, "embed", transport=httpx.MockTransport(recorder)) as embedder:
        vectors = embedder.embed(["a", "b"], "query")
        assert embedder.dimension == 2
    np.testing.assert_allclose(vectors, [[0.6, 0.8], [0.0, 1.0]])
    assert vectors.dtype == np.float32
    assert recorder.bodies == [{"model": "embed", "input": ["a", "b"]}]
    assert recorder.requests[0].url == f"{BASE_URL}/embeddings"


def test_embedder_probes_for_its_dimension_when_asked_first() -> None:
    recorder = Recorder(lambda _: embeddings([1.0, 0.0, 0.0]))
    with OpenAIEmbedder(BASE_URL, "embed", transport=httpx.MockTransport(recorder)) as embedder:
        assert embedder.dimension == 3
        assert embedder.embed([], "query").shape == (0, 3)
    assert len(recorder.requests) == 1


def test_embedder_refuses_a_changed_dimension() -> None:
    transport = httpx.MockTransport(lambda _: embeddings([1.0, 0.0]))
    embedder = OpenAIEmbedder(BASE_URL, "embed", transport=transport, dimension=384)
    with embedder, pytest.raises(ModelUnavailableError, match="2-dimensional embeddings, but 384"):
        embedder.embed(["a"], "query")


def test_embedder_maps_errors() -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(503, text="loading model"))
    with (
        OpenAIEmbedder(BASE_URL, "embed", transport=transport) as embedder,
        pytest.raises(ModelUnavailableError, match="/v1/embeddings answered 503: loading model"),
    ):
        embedder.embed(["a"], "query")
