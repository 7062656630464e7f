"""Uploaded files -> indexed chunks, resumably.

An upload is answered as soon as its bytes are on disk and its source row is committed
(``queued``); the ``IngestWorker`` thread (``worker.py``) or the CLI then extracts, chunks and
embeds it here. Chunks are
committed in batches with the progress, so a 500-page PDF shows how far it has got, and a
restart resumes after the last committed batch instead of starting over. The chunks stay
invisible to retrieval until the source is ``ready``, so no reader ever sees half a file.

Sources are claimed with one conditional UPDATE, so several server processes (or the CLI next
to a running server) never index the same file twice; a claim whose holder stopped making
progress for ``STALE_AFTER`` (a crash) can be taken over.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import ColumnElement, CursorResult, and_, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from townsquare.ai.embeddings import Embedder
from townsquare.db import Database
from townsquare.db.models import Agent, KnowledgeChunk, KnowledgeSource
from townsquare.db.transient import is_transient
from townsquare.db.types import utcnow
from townsquare.errors import InvalidInput, NotFound
from townsquare.settings import Settings
from townsquare.studio.knowledge import store
from townsquare.studio.knowledge.chunking import Chunk, chunk_sections, searchable_text
from townsquare.studio.knowledge.extract import check_upload
from townsquare.studio.knowledge.isolation import Cost, Limits, extract_bounded
from townsquare.studio.knowledge.reembed import reembed

BATCH_SIZE = 64  # chunks embedded and committed together
STALE_AFTER = timedelta(minutes=5)
MAX_ERROR = 2_000

Progress = Callable[[int, int], None]  # (chunks done, chunks in all)


@dataclass(frozen=True)
class StoredFile:
    """An upload checked and on disk, not yet a source."""

    name: str
    mime: str
    sha256: str
    size_bytes: int
    written: bool  # this upload wrote the file (it was not there already)


def store_file(settings: Settings, filename: str, data: bytes) -> StoredFile:
    """Checks an upload and writes its bytes durably. Call it before the transaction that
    queues it (``queue_file``): reading, hashing and fsyncing 50 MiB inside a transaction
    would hold SQLite's write lock, which every other request needs, for all that time."""
    name = PurePosixPath(filename.replace("\\", "/")).name.strip()
    if name.strip(".") == "" or "\x00" in name:
        raise InvalidInput("the file needs a name that ends in its type, such as notes.md")
    name = name[-255:]
    _, mime = check_upload(name, data)
    digest = hashlib.sha256(data).hexdigest()
    return StoredFile(name, mime, digest, len(data), store.save_upload(settings, digest, data))


def queue_file(session: Session, agent: Agent, stored: StoredFile) -> KnowledgeSource:
    """Queues a source for a stored file. The same bytes uploaded to the same agent again give
    back the existing source (a failed one is queued again: that is how an owner retries)."""
    # Serialises uploads per agent (SQLite serialises every writer anyway), so two identical
    # uploads at once still make one source.
    session.execute(select(Agent.id).where(Agent.id == agent.id).with_for_update())
    existing = session.scalar(
        select(KnowledgeSource).where(
            KnowledgeSource.agent_id == agent.id,
            KnowledgeSource.kind == "file",
            KnowledgeSource.content_sha256 == stored.sha256,
        )
    )
    if existing is not None:
        if existing.status == "failed":
            existing.status, existing.error, existing.updated_at = "queued", "", utcnow()
            session.flush()
        return existing
    source = KnowledgeSource(
        agent_id=agent.id,
        kind="file",
        title=stored.name[:300],
        filename=stored.name,
        mime=stored.mime,
        content_sha256=stored.sha256,
        size_bytes=stored.size_bytes,
        status="queued",
        progress_done=0,
        progress_total=0,
        error="",
    )
    session.add(source)
    session.flush()
    return source


def enqueue_file(
    session: Session, settings: Settings, agent: Agent, filename: str, data: bytes
) -> KnowledgeSource:
    """``store_file`` then ``queue_file``, for callers that hold no lock others wait on (the
    CLI, the demo)."""
    return queue_file(session, agent, store_file(settings, filename, data))


def ingest_source_now(
    database: Database,
    embedder: Embedder,
    source_id: int,
    *,
    settings: Settings,
    on_progress: Progress | None = None,
    cross: Embedder | None = None,
) -> KnowledgeSource:
    """Indexes one file source in this thread (the CLI; tests). When another process holds
    it, this follows that process's progress instead. Raises ``InvalidInput`` with the reason
    when the file cannot be learned from."""
    report = on_progress or (lambda done, total: None)
    while not claim_source(database, source_id):
        source = _read(database, source_id)
        if source.status == "ready":
            report(source.progress_done, source.progress_total)
            return source
        if source.status == "failed":
            raise InvalidInput(source.error)
        report(source.progress_done, source.progress_total)
        time.sleep(0.5)
    index_source(
        database, embedder, settings, source_id, report, threading.Event(), Cost(), cross=cross
    )
    return _read(database, source_id)


def claimable(stale_after: timedelta) -> ColumnElement[bool]:
    """Queued, or being indexed by a holder that made no progress for ``stale_after``."""
    return or_(
        KnowledgeSource.status == "queued",
        and_(
            KnowledgeSource.status == "indexing",
            KnowledgeSource.updated_at < utcnow() - stale_after,
        ),
    )


def claim_source(database: Database, source_id: int, stale_after: timedelta = STALE_AFTER) -> bool:
    """Marks a file source ``indexing`` for this caller; False when it is not claimable."""
    with database.session() as session:
        claimed: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(KnowledgeSource)
            .where(
                KnowledgeSource.id == source_id,
                KnowledgeSource.kind == "file",
                claimable(stale_after),
            )
            .values(status="indexing", error="", updated_at=utcnow())
        )
        return claimed.rowcount == 1


def _read(database: Database, source_id: int) -> KnowledgeSource:
    with database.new_session() as session:
        source = session.get(KnowledgeSource, source_id)
        if source is None:
            raise NotFound(f"no knowledge source {source_id}")
        return source


def index_source(
    database: Database,
    embedder: Embedder,
    settings: Settings,
    source_id: int,
    report: Progress,
    stop: threading.Event,
    cost: Cost,
    *,
    cross: Embedder | None = None,
) -> None:
    """Indexes a claimed source, from its first uncommitted batch; when ``stop`` is set it
    goes back to the queue between batches. With a ``cross`` (cross-language) embedder, its
    vectors of every chunk are made too before the source is ready. No transaction is open
    while a file is parsed or embedded: on SQLite an open transaction holds the write lock
    every request needs. A failure is recorded on the source, then raised. The work it took
    is added to ``cost`` as it goes (reading: see ``isolation``; chunking: this thread's CPU
    seconds; embedding: the wall time of each batch, whose work may run in the embedder's own
    threads). A passing database error (``db.transient``) puts the source back in the queue
    instead of failing it."""
    source = _read(database, source_id)
    try:
        data = store.read_upload(settings, source.content_sha256)
        if data is None:
            raise InvalidInput(
                f"{source.filename} is missing from the data directory; upload it again"
            )
        sections = extract_bounded(
            source.filename,
            data,
            uploaded=source.created_at.date(),
            limits=Limits.from_settings(settings),
            cost=cost,
        )
        started = time.thread_time()
        chunks = chunk_sections(sections)
        cost.seconds += time.thread_time() - started
        done = _start(database, source_id, len(chunks))
        report(done, len(chunks))
        for start in range(done, len(chunks), BATCH_SIZE):
            if stop.is_set():
                _set(database, source_id, status="queued")
                return
            batch = chunks[start : start + BATCH_SIZE]
            started = time.monotonic()
            vectors = embedder.embed([searchable_text(c.text, c.locator) for c in batch], "passage")
            cost.seconds += time.monotonic() - started
            if not _commit_batch(database, source_id, start, batch, vectors, embedder.name):
                return  # the source was deleted meanwhile
            report(start + len(batch), len(chunks))
        if cross is not None:
            started = time.monotonic()
            reembed(database, cross, slot="cross", source_id=source_id, bump=False, stop=stop)
            cost.seconds += time.monotonic() - started
            if stop.is_set():
                _set(database, source_id, status="queued")
                return
        _finish(database, source_id)
    except Exception as error:
        if is_transient(error):
            # The database busy or away for a moment (SQLite's write lock held past its wait
            # under load): nothing is wrong with the file. It goes back to the queue and
            # resumes from its last committed batch; when even that cannot be written, its
            # heartbeat goes stale and it is claimable again.
            with contextlib.suppress(SQLAlchemyError):
                _set(database, source_id, status="queued")
            raise
        reason = str(error) if isinstance(error, InvalidInput) else f"indexing failed: {error}"
        _set(database, source_id, status="failed", error=reason[:MAX_ERROR])
        raise


def _start(database: Database, source_id: int, total: int) -> int:
    """Records the chunk total and returns how many chunks earlier runs committed; a run that
    cannot be continued (the chunking changed since) starts over."""
    with database.session() as session:
        done = (
            session.scalar(select(func.count()).where(KnowledgeChunk.source_id == source_id)) or 0
        )
        if done > total:
            store.delete_chunks(session, [source_id])
            done = 0
        _update(session, source_id, progress_done=done, progress_total=total)
        return done


def _commit_batch(
    database: Database,
    source_id: int,
    start: int,
    batch: list[Chunk],
    vectors: NDArray[np.float32],
    embedder: str,
) -> bool:
    with database.session() as session:
        # Locked, so a concurrent delete waits for this batch instead of orphaning it.
        source = session.scalar(
            select(KnowledgeSource).where(KnowledgeSource.id == source_id).with_for_update()
        )
        if source is None:
            return False
        store.add_chunks(session, source, start, batch, vectors, embedder)
        _update(session, source_id, progress_done=start + len(batch))
        return True


def _finish(database: Database, source_id: int) -> None:
    with database.session() as session:
        source = session.get(KnowledgeSource, source_id)
        if source is None:
            return
        _update(session, source_id, status="ready", indexed_at=utcnow())
        store.bump_version(session, source.agent_id)


def _set(database: Database, source_id: int, **values: object) -> None:
    with database.session() as session:
        _update(session, source_id, **values)


def _update(session: Session, source_id: int, **values: object) -> None:
    """Progress is written with UPDATE statements, which touch no row when the source was
    deleted meanwhile; ``updated_at`` is the heartbeat that keeps the claim fresh."""
    session.execute(
        update(KnowledgeSource)
        .where(KnowledgeSource.id == source_id)
        .values(updated_at=utcnow(), **values)
    )
