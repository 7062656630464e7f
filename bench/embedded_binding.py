"""Which llama.cpp binding should run the embedded chat model? Speed, JSON validity, install time.

Run: ``python bench/embedded_binding.py`` (about a minute per binding on two CPU cores). Each
installed binding (``TOWNSQUARE_LLAMA_BINDING``: llama-cpp-python, cyllama, py-sync) runs in a
process of its own (two copies of llama.cpp in one process would share symbol names), on the
packaged SmolLM2-135M, through the ``LlamaCppChatModel`` the app uses, with the same prompts:

* load: the first request of one token, which loads the GGUF;
* TTFT: time to first token of 20 grounded questions (bench/chat_models.py's), seeded, so each
  prompt is evaluated from scratch; and of the same questions unseeded after one that shares
  their system prompt, where the binding reuses the cached prefix (the prompt cache);
* decode: tokens per second of a 128-token story (tokens counted by the model's tokenizer);
* JSON: replies to 25 prompts constrained to a schema and accepted by ``complete_json``: the
  5 tool calls of bench/chat_models.py and the 20 questions answered as
  ``{"answer", "confidence": 1-5}`` (an integer range, which llama-cpp-python's and py-sync's
  JSON-schema converters leave out of the grammar and cyllama's keeps; ``complete_json`` checks
  it in any case).

``--install`` also times a cold ``pip install --no-cache-dir`` of each binding into a fresh
venv, and of the whole project (``pip install -e .``), which takes minutes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from chat_models import QA_CASES, QA_SYSTEM, SEED, TOOL_CASES, TOOL_SCHEMA, TOOL_SYSTEM, machine
from townsquare.ai import (
    ChatMessage,
    ChatModel,
    ChatRequest,
    LlamaCppChatModel,
    ModelUnavailableError,
    StructuredOutputError,
)
from townsquare.ai.llamacpp import LlamaBinding
from townsquare.ai.packaged import packaged_gguf

BINDINGS: tuple[LlamaBinding, ...] = ("llama-cpp-python", "cyllama", "py-sync")
PACKAGES = {
    "llama-cpp-python": "llama-cpp-python",
    "cyllama": "cyllama==0.2.18",
    "py-sync": "llama-cpp-py-sync==0.11739",
}
ANSWER_SCHEMA = {
    "type": "object",
    "properties": {
        "answer": {"type": "string", "maxLength": 60},
        "confidence": {"type": "integer", "minimum": 1, "maximum": 5},
    },
    "required": ["answer", "confidence"],
}
STORY = [ChatMessage("user", "Write a long story about a market day in a small town square.")]


def qa_messages(passage: str, question: str) -> list[ChatMessage]:
    return [
        ChatMessage("system", QA_SYSTEM),
        ChatMessage("user", f"Passage: {passage}\nQuestion: {question}"),
    ]


def measure(binding: LlamaBinding, threads: int | None) -> dict[str, object]:
    path = packaged_gguf("smollm2-135m", Path(tempfile.gettempdir()))
    model = LlamaCppChatModel(
        path, prompt_format="chatml", n_ctx=2048, n_threads=threads, binding=binding
    )
    started = time.perf_counter()
    model.complete(ChatRequest([ChatMessage("user", "Hi")], max_tokens=1))
    load_s = time.perf_counter() - started

    cold, cached = [], []
    for passage, question, _ in QA_CASES:
        cold.append(ttft(model, ChatRequest(qa_messages(passage, question), 48, 0, seed=SEED)))
    for passage, question, _ in QA_CASES:
        # The same prompt once more, unseeded: everything but the last token is cached.
        model.complete(ChatRequest(qa_messages(passage, question), 1, 0))
        cached.append(ttft(model, ChatRequest(qa_messages(passage, question), 48, 0)))

    rates = []
    for _ in range(3):
        request = ChatRequest(STORY, max_tokens=128, temperature=0, seed=SEED)
        started = time.perf_counter()
        first, parts = 0.0, []
        for chunk in model.stream(request):
            if not parts:
                first = time.perf_counter() - started
            parts.append(chunk.text)
        elapsed = time.perf_counter() - started - first
        rates.append((model.count_tokens("".join(parts)) - 1) / elapsed)

    requests = [
        ChatRequest(
            [ChatMessage("system", TOOL_SYSTEM), ChatMessage("user", text)],
            max_tokens=96,
            temperature=0,
            seed=SEED,
            json_schema=TOOL_SCHEMA,
        )
        for text, _ in TOOL_CASES
    ] + [
        ChatRequest(
            qa_messages(passage, question),
            max_tokens=64,
            temperature=0,
            seed=SEED,
            json_schema=ANSWER_SCHEMA,
        )
        for passage, question, _ in QA_CASES
    ]
    valid, failures = 0, []
    for request in requests:
        try:
            model.complete_json(request)
            valid += 1
        except StructuredOutputError as exc:
            failures.append(str(exc)[:160])
    return {
        "binding": binding,
        "load_s": load_s,
        "ttft_ms": 1000 * statistics.median(cold),
        "ttft_cached_ms": 1000 * statistics.median(cached),
        "tokens_per_s": statistics.median(rates),
        "json_valid": valid,
        "json_total": len(requests),
        "failures": failures,
    }


def ttft(model: ChatModel, request: ChatRequest) -> float:
    """Seconds to the first chunk with text; the rest of the reply is consumed, not timed."""
    started = time.perf_counter()
    first = None
    for chunk in model.stream(request):
        if first is None and chunk.text:
            first = time.perf_counter() - started
    return first if first is not None else time.perf_counter() - started


def cold_install_s(requirement: list[str]) -> float:
    """Seconds for ``pip install --no-cache-dir`` into a new venv (venv creation not counted)."""
    with tempfile.TemporaryDirectory() as venv:
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        started = time.perf_counter()
        subprocess.run(
            [f"{venv}/bin/pip", "install", "-q", "--no-cache-dir", *requirement],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=BINDINGS, help="measure one binding in this process")
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads (all)")
    parser.add_argument("--install", action="store_true", help="also time cold installs")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the interpreter (or a wrapper that starts it) for the measuring processes",
    )
    args = parser.parse_args()
    if args.only:
        try:
            print(json.dumps(measure(args.only, args.threads)))
        except ModelUnavailableError as exc:
            print(json.dumps({"error": str(exc)}))
        return

    print(f"Before: {machine()}")
    table = Table(title="SmolLM2-135M Q4_1 by binding (temperature 0)")
    for column in ("binding", "load s", "TTFT ms", "TTFT cached ms", "tok/s", "JSON ok"):
        table.add_column(column, justify="left" if column == "binding" else "right")
    for binding in BINDINGS:
        command = [args.python, __file__, "--only", binding]
        if args.threads:
            command += ["--threads", str(args.threads)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        f = json.loads(out.strip().splitlines()[-1])
        if "error" in f:
            print(f"{binding}: not measured: {f['error']}")
            continue
        table.add_row(
            binding,
            f"{f['load_s']:.2f}",
            f"{f['ttft_ms']:.0f}",
            f"{f['ttft_cached_ms']:.0f}",
            f"{f['tokens_per_s']:.1f}",
            f"{f['json_valid']}/{f['json_total']}",
        )
        for failure in f["failures"]:
            print(f"{binding}: {failure}")
    Console().print(table)
    print("TTFT: median over 20 questions evaluated from scratch; cached: the same questions")
    print("after one sharing their prompt. tok/s: median of three 128-token stories.")
    if args.install:
        root = Path(__file__).resolve().parent.parent
        for name, requirement in (
            *((f"pip install {p}", [p]) for p in PACKAGES.values()),
            ("pip install -e . (the project)", ["-e", str(root)]),
        ):
            print(f"cold {name}: {cold_install_s(requirement):.0f} s")
    print(f"After: {machine()}")


if __name__ == "__main__":
    main()
