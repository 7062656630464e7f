"""Is one llama.cpp binding slower than another on a busy machine? Paired, alternating rounds.

Run: ``python bench/binding_pairs.py [--threads 1] [--rounds 3]``. Each round measures
llama-cpp-python and cyllama in fresh processes, one after the other, alternating which goes
first, so that both see about the same load: the median time to evaluate a 301-token prompt from
scratch (4 prompts, seeded, one token generated) and the median decode rate of two 64-token
stories, on the packaged SmolLM2-135M. One thread keeps OpenMP barriers from waiting on the
scheduler, which on shared cores measures the load more than the binding.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from chat_models import machine
from townsquare.ai import ChatMessage, ChatRequest, LlamaCppChatModel
from townsquare.ai.llamacpp import LlamaBinding
from townsquare.ai.packaged import packaged_gguf

BINDINGS: tuple[LlamaBinding, LlamaBinding] = ("llama-cpp-python", "cyllama")
PASSAGE = "The town square hosts a market every Saturday with bread, cheese and flowers. " * 20


def measure(binding: LlamaBinding, threads: int) -> dict[str, float]:
    path = packaged_gguf("smollm2-135m", Path("/tmp"))
    model = LlamaCppChatModel(
        path, prompt_format="chatml", n_ctx=2048, n_threads=threads, binding=binding
    )
    model.complete(ChatRequest([ChatMessage("user", "Hi")], max_tokens=1))
    prefill = []
    for i in range(4):
        messages = [ChatMessage("system", PASSAGE), ChatMessage("user", f"Question {i}: when?")]
        started = time.perf_counter()
        model.complete(ChatRequest(messages, max_tokens=1, temperature=0, seed=1))
        prefill.append(time.perf_counter() - started)
    rates = []
    for _ in range(2):
        story = [ChatMessage("user", "Write a long story about a market day.")]
        parts: list[str] = []
        first = 0.0
        for chunk in model.stream(ChatRequest(story, max_tokens=64, temperature=0, seed=1)):
            first = first or time.perf_counter()
            parts.append(chunk.text)
        rates.append((model.count_tokens("".join(parts)) - 1) / (time.perf_counter() - first))
    return {"prefill_ms": 1000 * statistics.median(prefill), "tok_s": statistics.median(rates)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="llama.cpp threads (1)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=BINDINGS, help="measure one binding in this process")
    args = parser.parse_args()
    if args.only:
        print(json.dumps(measure(args.only, args.threads)))
        return
    print(f"Before: {machine()}")
    results: dict[str, list[dict[str, float]]] = {binding: [] for binding in BINDINGS}
    for round_ in range(args.rounds):
        for binding in BINDINGS if round_ % 2 == 0 else BINDINGS[::-1]:
            command = [sys.executable, __file__, "--only", binding, "--threads", str(args.threads)]
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results[binding].append(json.loads(out.strip().splitlines()[-1]))
            print(f"round {round_ + 1} {binding}: {results[binding][-1]} ({machine()})")
    medians = {
        binding: {key: statistics.median(r[key] for r in rs) for key in ("prefill_ms", "tok_s")}
        for binding, rs in results.items()
    }
    base, other = (medians[binding] for binding in BINDINGS)
    print(f"medians: {medians}")
    prefill, decode = other["prefill_ms"] / base["prefill_ms"], other["tok_s"] / base["tok_s"]
    print(f"{BINDINGS[1]} / {BINDINGS[0]}: prefill time {prefill:.2f}x, decode rate {decode:.2f}x")
    print(f"After: {machine()}")


if __name__ == "__main__":
    main()
