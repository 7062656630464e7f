"""What Townsquare adds to a reply's latency: its HTTP API vs llama.cpp directly, same prompt.

One process, one embedded model. The server runs under uvicorn on loopback with the real
embedded chat model wrapped in a recorder; each question goes to a character agent through
`POST /v1/chat/completions` (streaming, over real HTTP), and the exact `ChatRequest` the reply
pipeline sent to the model is then replayed straight into llama.cpp. Both sides are timed the same
way: time to first token (TTFT, from sending the request to the first non-empty piece of text)
and decode speed (tokens after the first, over the time from first to last piece). The two runs
alternate per question, and before each direct run llama.cpp's prompt cache is put back in the
state the API's run found it in, so both evaluate the same prompt from the same cached prefix.

    python bench/studio_latency.py [--questions 12]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import uvicorn
from rich.console import Console
from rich.table import Table

from townsquare.ai import build_chat_model, build_embedder
from townsquare.ai.chat import ChatChunk, ChatModel, ChatRequest
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database
from townsquare.settings import Settings

QUESTIONS = [
    "What is your favourite colour palette for a space game?",
    "Tell me about the best 8-bit game you ever played.",
    "How many colours should a small sprite use?",
    "What would you name a pixel-art spaceship?",
    "Describe a sunset on a distant planet in pixels.",
    "What makes a good retro game soundtrack?",
    "How do you draw a convincing explosion in pixel art?",
    "Give me one tip for animating a walking character.",
    "What was life like as a space pirate?",
    "Which console had the best colour palette?",
    "How do I pick an outline colour for a sprite?",
    "What is dithering and when should I use it?",
]


class RecordingChatModel(ChatModel):
    """Passes every request through to ``inner`` and keeps it, so it can be replayed, with when
    the last one was made and when its first text came back."""

    def __init__(self, inner: ChatModel) -> None:
        self.inner = inner
        self.name = inner.name
        self.context_tokens = inner.context_tokens
        self.requests: list[ChatRequest] = []
        self.called_at = 0.0
        self.first_text_at = 0.0

    def stream(self, request: ChatRequest) -> Iterator[ChatChunk]:
        self.requests.append(request)
        self.called_at, self.first_text_at = time.perf_counter(), 0.0
        for chunk in self.inner.stream(request):
            if chunk.text and not self.first_text_at:
                self.first_text_at = time.perf_counter()
            yield chunk

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


@dataclass(frozen=True)
class Timing:
    ttft_s: float
    tokens_per_s: float
    first_at: float  # perf_counter when the first text arrived
    started_at: float  # perf_counter when the request was sent


def _timing(started: float, first: float | None, last: float, tokens: int) -> Timing:
    if first is None:
        raise RuntimeError("no text came back")
    decode = tokens - 1
    speed = decode / (last - first) if decode > 0 and last > first else 0.0
    return Timing(first - started, speed, first, started)


def through_api(
    client: httpx.Client, token: str, agent: str, question: str, model: ChatModel
) -> Timing:
    body = {"model": agent, "messages": [{"role": "user", "content": question}], "stream": True}
    started, first, last, text = time.perf_counter(), None, 0.0, []
    with client.stream(
        "POST", "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {token}"}
    ) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            piece = json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
            if piece:
                now = time.perf_counter()
                first = first or now
                last = now
                text.append(piece)
    return _timing(started, first, last, model.count_tokens("".join(text)))


def direct(model: ChatModel, request: ChatRequest) -> Timing:
    started, first, last, text = time.perf_counter(), None, 0.0, []
    for chunk in model.stream(request):
        if chunk.text:
            now = time.perf_counter()
            first = first or now
            last = now
            text.append(chunk.text)
    return _timing(started, first, last, model.count_tokens("".join(text)))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        real = build_chat_model(settings)
        recorder = RecordingChatModel(real)
        models = Models(settings, chat=recorder, embedder=build_embedder(settings))
        database = Database.configured(settings)
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings, database, models), port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            token = client.post(
                "/auth/signup", json={"handle": "bench", "password": "a long password"}
            ).json()["token"]
            agent = client.post(
                "/agents",
                json={
                    "handle": "captain_bench",
                    "name": "Captain Byte",
                    "personality": "A retired space pirate who loves pixel art.",
                    "tone": "playful",
                },
                headers={"Authorization": f"Bearer {token}"},
            ).json()["handle"]
            through_api(client, token, agent, "Hello!", real)  # load models, warm caches
            api_runs, direct_runs, before_model, after_model = [], [], [], []
            for question in QUESTIONS[: args.questions]:
                before = recorder.requests[-1]
                api_runs.append(through_api(client, token, agent, question, real))
                before_model.append(recorder.called_at - api_runs[-1].started_at)
                after_model.append(api_runs[-1].first_at - recorder.first_text_at)
                request = recorder.requests[-1]
                # llama.cpp reuses the longest prompt prefix it still holds. The API's run found
                # the previous question's prompt there; put it back, so the direct run starts
                # from the same state instead of from this very prompt, already evaluated.
                real.complete(replace(before, max_tokens=1))
                direct_runs.append(direct(real, request))
        server.should_exit = True
        thread.join(10)

    def median(runs: list[Timing], field: str) -> float:
        return statistics.median(getattr(run, field) for run in runs)

    table = Table(title=f"Reply latency, {real.name}, {len(api_runs)} questions (medians)")
    for column in ("path", "TTFT ms", "tokens/s"):
        table.add_column(column, justify="right" if column != "path" else "left")
    for label, runs in (("llama.cpp directly", direct_runs), ("Townsquare HTTP API", api_runs)):
        ttft_ms, speed = median(runs, "ttft_s") * 1000, median(runs, "tokens_per_s")
        table.add_row(label, f"{ttft_ms:.0f}", f"{speed:.1f}")
    ttft_overhead = median(api_runs, "ttft_s") / median(direct_runs, "ttft_s") - 1
    speed_loss = 1 - median(api_runs, "tokens_per_s") / median(direct_runs, "tokens_per_s")
    console.print(table)
    console.print(
        f"Of the API's time to first token: {statistics.median(before_model) * 1000:.0f} ms "
        "before the model is called (HTTP, database, safety checks, retrieval, prompt), "
        f"{statistics.median(after_model) * 1000:.0f} ms from the model's first text to the "
        "client's (stream guard, SSE)."
    )
    console.print(
        f"Townsquare adds {ttft_overhead:+.1%} to time to first token and "
        f"{speed_loss:+.1%} to decode time per token (target: under 10% each)."
    )


if __name__ == "__main__":
    main()
