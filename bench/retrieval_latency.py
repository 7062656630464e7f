"""Knowledge retrieval latency: building and querying one agent's hybrid index at 10k-100k chunks.

Run: ``python bench/retrieval_latency.py`` (under a minute on two CPU cores; ``--embed``
adds the real all-MiniLM-L6-v2 query embedding). The corpus is synthetic but shaped like the
real thing: chunks of 120-200 words of ordinary English sentences about a small business, so
BM25 sees realistic term statistics; the 384-dimensional chunk embeddings are random unit
vectors, which cost the dense half exactly what real ones do. The index is the one the app uses
(``HybridIndex``): build = tokenising + BM25 + the embedding matrix, in memory, after the rows
were read from the database. Per query:

* lexical: BM25 scores of every chunk and the top 50;
* dense: cosine of every chunk (one matrix-vector product) and the top 50;
* fused: both, plus reciprocal rank fusion, i.e. what a reply pays after embedding its question.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from rich.console import Console
from rich.table import Table

from townsquare.ai.embeddings import normalise_rows
from townsquare.studio.knowledge.index import CANDIDATES, HybridIndex, top_rows

DIMENSION = 384
SUBJECTS = [
    "the studio", "our bakery", "the kiln", "every order", "the workshop", "my team",
    "the new glaze", "each class", "the shop", "our courier",
]  # fmt: skip
VERBS = ["opens", "ships", "fires", "costs", "includes", "starts", "closes", "needs", "offers"]
OBJECTS = [
    "sourdough loaves", "stoneware mugs", "gift cards", "beginner lessons", "speckled bowls",
    "tracked parcels", "gluten free bread", "porcelain cups", "weekend markets", "custom orders",
    "refunds", "espresso cups", "wheel sessions", "seasonal pies", "glaze tests",
    "studio memberships", "wholesale boxes", "bread flour",
]  # fmt: skip
TAILS = [
    "on {day} mornings", "for {n} pounds", "within {n} working days", "at {n} degrees",
    "after {n} pm", "for groups of {n}", "in {month}", "every {day}",
    "with a {n} percent discount", "from the {place}",
]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "March", "May", "July", "September", "November"]
PLACES = ["market", "high street shop", "riverside studio", "online store", "farm stand"]
ASKS = ["how much are", "when are", "do you have", "where can I get"]
Query = tuple[str, NDArray[np.float32]]
Action = Callable[[str, NDArray[np.float32]], object]


def sentence(rng: random.Random) -> str:
    tail = rng.choice(TAILS).format(
        day=rng.choice(DAYS),
        n=rng.randint(2, 1300),
        month=rng.choice(MONTHS),
        place=rng.choice(PLACES),
    )
    return f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {tail}."


def chunk(rng: random.Random) -> str:
    words: list[str] = []
    target = rng.randint(120, 200)
    while len(words) < target:
        words.extend(sentence(rng).split())
    return " ".join(words)


def corpus(size: int, seed: int) -> tuple[list[str], NDArray[np.float32]]:
    rng = random.Random(seed)
    texts = [chunk(rng) for _ in range(size)]
    vectors = normalise_rows(np.random.default_rng(seed).standard_normal((size, DIMENSION)))
    return texts, vectors  # (N,), (N, D)


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(action: Action, queries: list[Query]) -> list[float]:
    samples = []
    for query, vector in queries:
        start = time.perf_counter()
        action(query, vector)
        samples.append(time.perf_counter() - start)
    return samples


def measure(size: int, seed: int, queries: list[Query], console: Console) -> list[list[str]]:
    """Table rows for one corpus size: build time, index size, then p50/p95 per path."""
    console.print(f"generating {size:,} chunks ...")
    texts, vectors = corpus(size, seed)
    start = time.perf_counter()
    index = HybridIndex(texts, vectors)
    build = time.perf_counter() - start
    paths: dict[str, Action] = {
        "lexical (BM25)": lambda q, v: top_rows(index.lexical_scores(q), CANDIDATES),
        "dense (cosine)": lambda q, v: top_rows(index.dense_scores(v), CANDIDATES),
        "fused (RRF)": lambda q, v: index.search(q, v),
    }
    rows = []
    for name, action in paths.items():
        timed(action, queries[:10])  # warm-up
        p50, p95 = percentiles(timed(action, queries))
        rows.append(["", "", "", name, f"{p50:.2f}", f"{p95:.2f}"])
    rows[0][:3] = [f"{size:,}", f"{build:.1f}", f"{vectors.nbytes / 2**20:.0f}"]
    return rows


def embedding_row(query_texts: list[str]) -> list[str]:
    from townsquare.ai import build_embedder
    from townsquare.settings import Settings

    embedder = build_embedder(Settings())
    embedder.embed(["warm-up"], "query")
    samples = []
    for query in query_texts[:50]:
        start = time.perf_counter()
        embedder.embed([query], "query")
        samples.append(time.perf_counter() - start)
    p50, p95 = percentiles(samples)
    return ["", "", "", "query embedding (MiniLM)", f"{p50:.2f}", f"{p95:.2f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200, help="Timed queries per size.")
    parser.add_argument("--embed", action="store_true", help="Also time MiniLM query embedding.")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    console = Console()
    rng = random.Random(args.seed + 1)
    query_texts = [
        f"{rng.choice(ASKS)} {rng.choice(OBJECTS)} on {rng.choice(DAYS)}?"
        for _ in range(args.queries)
    ]
    query_vectors = normalise_rows(
        np.random.default_rng(args.seed + 2).standard_normal((args.queries, DIMENSION))
    )
    queries = list(zip(query_texts, query_vectors, strict=True))

    table = Table(title=f"Hybrid retrieval, one agent, {args.queries} queries per size (CPU)")
    for column in ("chunks", "build s", "index MiB", "path", "p50 ms", "p95 ms"):
        table.add_column(column, justify="left" if column == "path" else "right")
    for size in args.sizes:
        for row in measure(size, args.seed, queries, console):
            table.add_row(*row)
    if args.embed:
        table.add_row(*embedding_row(query_texts))
    console.print(table)


if __name__ == "__main__":
    main()
