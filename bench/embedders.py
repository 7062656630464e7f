"""The packaged embedders side by side: load time, texts per second, query latency, memory, and
the cosine of unrelated texts (what ``Embedder.unrelated_cosine`` calibrates), on this CPU.

    python -m bench.embedders [--backend e5-small] [--backend minilm] [--texts 256]

Each backend runs in a child process of its own, so its memory is its own (peak resident set
size, ru_maxrss). Texts are the studio evaluation's corpus (evals.studio): passages are its
documents, queries its questions; "unrelated" is the mean cosine of a question with the
documents that do not answer it, "gold" with the one that does, both over the answerable
questions. Figures are in docs/benchmarks.md ("Multilingual").
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before a model loads OpenMP

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import get_args

import numpy as np
from rich.console import Console
from rich.table import Table

from evals.studio import load_evalset
from townsquare.ai import build_embedder
from townsquare.settings import EmbeddedEmbedder, Settings

SIMD_FLAGS = ("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512_vnni", "avx_vnni")


def cpu() -> str:
    """The CPU model and the SIMD flags that decide which kernels run."""
    model, flags = "unknown CPU", set[str]()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
    present = [flag for flag in SIMD_FLAGS if flag in flags]
    return f"{model}, {os.cpu_count()} logical CPUs, flags: {' '.join(present) or 'unknown'}"


def measure(backend: str, count: int) -> dict[str, float]:
    """One backend's figures (run in the child process)."""
    evalset = load_evalset()
    documents = [document.text for document in evalset.documents]
    answerable = [q for q in evalset.questions if q.gold]
    passages = (documents * (count // len(documents) + 1))[:count]
    started = time.perf_counter()
    embedder = build_embedder(Settings(embedder=backend))
    embedder.embed(["warm up"], "query")
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    embedder.embed(passages, "passage")
    per_second = count / (time.perf_counter() - started)
    latencies = []
    for question in answerable[:30]:
        started = time.perf_counter()
        embedder.embed([question.question], "query")
        latencies.append(time.perf_counter() - started)
    ids = [document.id for document in evalset.documents]
    doc_vectors = embedder.embed(documents, "passage")  # (D, E)
    query_vectors = embedder.embed([q.question for q in answerable], "query")  # (Q, E)
    cosines = query_vectors @ doc_vectors.T  # (Q, D)
    gold = np.zeros_like(cosines, dtype=bool)
    for row, question in enumerate(answerable):
        for doc_id in question.gold:
            gold[row, ids.index(doc_id)] = True
    return {
        "load_s": load_s,
        "texts_per_s": per_second,
        "query_ms": 1000 * float(np.median(latencies)),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "unrelated": float(cosines[~gold].mean()),
        "gold": float(cosines[gold].mean()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", action="append", choices=get_args(EmbeddedEmbedder))
    parser.add_argument("--texts", type=int, default=256, help="passages embedded in one batch")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.texts)))
        return
    console = Console()
    console.print(cpu())
    table = Table(title=f"Embedders ({args.texts} passages per batch)")
    for column in ("backend", "load s", "texts/s", "query ms", "peak RSS MB", "unrelated", "gold"):
        table.add_column(column, justify="left" if column == "backend" else "right")
    for backend in args.backend or list(get_args(EmbeddedEmbedder)):
        child = [sys.executable, "-m", "bench.embedders", "--child", backend]
        done = subprocess.run(
            [*child, "--texts", str(args.texts)], capture_output=True, text=True, check=True
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        table.add_row(
            backend,
            f"{figures['load_s']:.2f}",
            f"{figures['texts_per_s']:.1f}",
            f"{figures['query_ms']:.1f}",
            f"{figures['rss_mb']:.0f}",
            f"{figures['unrelated']:.3f}",
            f"{figures['gold']:.3f}",
        )
    console.print(table)


if __name__ == "__main__":
    main()
