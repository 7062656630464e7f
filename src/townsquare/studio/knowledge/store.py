"""Where knowledge is kept: uploaded bytes on disk, sources and chunks in the database.

Uploads are named by their SHA-256 under ``<data_dir>/knowledge/`` and written with fsync
before the upload is acknowledged, so an accepted file survives a crash and the ingest worker
can always start (or restart) from the bytes. ``Agent.knowledge_version`` counts changes to
what retrieval can see, so a cached index knows when it is stale.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from townsquare.db.models import Agent, KnowledgeChunk, KnowledgeSource
from townsquare.db.search import store_dense
from townsquare.errors import NotFound
from townsquare.settings import Settings
from townsquare.social.media import write_atomically
from townsquare.studio.knowledge.chunking import Chunk


def knowledge_dir(settings: Settings) -> Path:
    return settings.data_dir / "knowledge"


def save_upload(settings: Settings, sha256: str, data: bytes) -> bool:
    """Writes the bytes (once per content), fsyncing the file and its directory, so the file
    is on disk before the caller answers; True when this call wrote it. Called with no
    transaction open: on SQLite one would hold the write lock through the fsyncs."""
    target = knowledge_dir(settings) / sha256
    if target.is_file():
        return False
    write_atomically(target, data)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # makes the rename itself durable
    finally:
        os.close(directory)
    return True


def discard_upload(settings: Settings, sha256: str) -> None:
    """Removes a file this request wrote when its upload was refused after all."""
    (knowledge_dir(settings) / sha256).unlink(missing_ok=True)


def read_upload(settings: Settings, sha256: str) -> bytes | None:
    path = knowledge_dir(settings) / sha256
    return path.read_bytes() if path.is_file() else None


def purge_upload(session: Session, settings: Settings, sha256: str) -> None:
    """Removes an uploaded file once no source of any agent refers to it."""
    used = session.scalar(
        select(KnowledgeSource.id).where(KnowledgeSource.content_sha256 == sha256).limit(1)
    )
    if used is None:
        (knowledge_dir(settings) / sha256).unlink(missing_ok=True)


def bump_version(session: Session, agent_id: int) -> None:
    """In SQL, so two writers never lose an increment; the loaded agent is refreshed."""
    session.execute(
        update(Agent)
        .where(Agent.id == agent_id)
        .values(knowledge_version=Agent.knowledge_version + 1)
        .execution_options(synchronize_session="fetch")
    )


def get_source(session: Session, agent: Agent, source_id: int) -> KnowledgeSource:
    source = session.get(KnowledgeSource, source_id)
    if source is None or source.agent_id != agent.id:
        raise NotFound(f"no knowledge source {source_id} for this agent")
    return source


def add_chunks(
    session: Session,
    source: KnowledgeSource,
    first_ordinal: int,
    chunks: list[Chunk],
    vectors: NDArray[np.float32],
    embedder: str,
) -> None:
    """Stores chunks ``first_ordinal..`` of a source with their embeddings (N, D), made by the
    model named ``embedder``."""
    rows = [
        KnowledgeChunk(
            source_id=source.id,
            agent_id=source.agent_id,
            ordinal=first_ordinal + offset,
            text=chunk.text,
            locator=chunk.locator,
            dated=chunk.dated,
            embedding=np.asarray(vector, dtype=np.float32).tobytes(),
            embedder=embedder,
        )
        for offset, (chunk, vector) in enumerate(zip(chunks, vectors, strict=True))
    ]
    session.add_all(rows)
    session.flush()
    store_dense(session, [row.id for row in rows], vectors)


def delete_chunks(session: Session, source_ids: list[int]) -> None:
    if source_ids:
        session.execute(delete(KnowledgeChunk).where(KnowledgeChunk.source_id.in_(source_ids)))


def delete_sources(session: Session, sources: list[KnowledgeSource]) -> None:
    """Sources and their chunks; the caller bumps the agent's version."""
    delete_chunks(session, [source.id for source in sources])
    for source in sources:
        session.delete(source)
    session.flush()


def chunk_counts(session: Session, source_ids: list[int]) -> dict[int, int]:
    if not source_ids:
        return {}
    rows = session.execute(
        select(KnowledgeChunk.source_id, func.count())
        .where(KnowledgeChunk.source_id.in_(source_ids))
        .group_by(KnowledgeChunk.source_id)
    )
    return {source_id: count for source_id, count in rows}
