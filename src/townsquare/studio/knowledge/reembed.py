"""Knowledge embedded by another model than the configured one, embedded again.

A vector is only comparable with vectors of the model that made it, so each chunk names its
model (``KnowledgeChunk.embedder``) and retrieval reads a chunk of another model as having no
vector at all (lexical search still finds it). When an instance changes ``TOWNSQUARE_EMBEDDER``,
``reembed`` brings every such chunk over, in batches that each commit and bump the agents'
knowledge versions, so an interrupted run resumes where it stopped and answers improve as it
goes. The ingest worker runs it when it starts; ``townsquare agent reembed`` runs it with a
progress bar. No transaction is open while the model runs.

The cross-language embedder's vectors (``cross_embedding``, for questions in a language the
embedder does not read) are kept the same way, in their own ``slot``: a file's are made
before it is ready, a post's and an older chunk's by the next search that needs them or by
this.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Literal

import numpy as np
from sqlalchemy import ColumnElement, func, or_, select, update

from townsquare.ai.embeddings import Embedder
from townsquare.db import Database
from townsquare.db.models import KnowledgeChunk
from townsquare.db.search import store_dense
from townsquare.studio.knowledge.chunking import searchable_text
from townsquare.studio.knowledge.store import bump_version

BATCH = 64
# Which of a chunk's two embeddings: the embedder's, or the cross-language embedder's.
Slot = Literal["primary", "cross"]


def _stale(
    embedder: Embedder, slot: Slot, agent_id: int | None, source_id: int | None
) -> list[ColumnElement[bool]]:
    """Conditions on the chunks ``embedder`` should embed again in ``slot``."""
    if slot == "primary":
        made_by: ColumnElement[bool] = KnowledgeChunk.embedder != embedder.name
    else:
        made_by = or_(
            KnowledgeChunk.cross_embedder.is_(None), KnowledgeChunk.cross_embedder != embedder.name
        )
    where = [made_by]
    if agent_id is not None:
        where.append(KnowledgeChunk.agent_id == agent_id)
    if source_id is not None:
        where.append(KnowledgeChunk.source_id == source_id)
    return where


def stale_chunks(
    database: Database,
    embedder: Embedder,
    *,
    slot: Slot = "primary",
    agent_id: int | None = None,
    source_id: int | None = None,
) -> int:
    """How many chunks another model than ``embedder`` (or none) embedded in ``slot``."""
    with database.new_session() as session:
        return int(
            session.scalar(select(func.count()).where(*_stale(embedder, slot, agent_id, source_id)))
            or 0
        )


def reembed(
    database: Database,
    embedder: Embedder,
    *,
    slot: Slot = "primary",
    agent_id: int | None = None,
    source_id: int | None = None,
    bump: bool = True,
    on_progress: Callable[[int, int], None] = lambda done, total: None,
    stop: threading.Event | None = None,
) -> int:
    """Re-embeds every chunk (of ``agent_id``, of ``source_id``) that another model made in
    ``slot``; returns how many. ``bump``: each batch bumps its agents' knowledge versions (a
    caller that bumps after it says False). ``on_progress(done, total)`` after each batch;
    ``stop`` set ends the run after the batch in hand."""
    where = _stale(embedder, slot, agent_id, source_id)
    total = stale_chunks(database, embedder, slot=slot, agent_id=agent_id, source_id=source_id)
    done = 0
    on_progress(done, total)
    while stop is None or not stop.is_set():
        with database.new_session() as session:
            batch = session.execute(
                select(KnowledgeChunk.id, KnowledgeChunk.text, KnowledgeChunk.locator)
                .where(*where)
                .order_by(KnowledgeChunk.id)
                .limit(BATCH)
            ).all()
        if not batch:
            break
        vectors = embedder.embed(
            [searchable_text(text, locator) for _, text, locator in batch], "passage"
        )  # (B, D)
        chunk_ids = [chunk_id for chunk_id, _, _ in batch]
        with database.session() as session:
            for chunk_id, vector in zip(chunk_ids, vectors, strict=True):
                blob = np.asarray(vector, dtype=np.float32).tobytes()
                values = (
                    {"embedding": blob, "embedder": embedder.name}
                    if slot == "primary"
                    else {"cross_embedding": blob, "cross_embedder": embedder.name}
                )
                session.execute(
                    update(KnowledgeChunk).where(KnowledgeChunk.id == chunk_id).values(**values)
                )
            if slot == "primary":
                store_dense(session, chunk_ids, vectors)
            agent_ids = session.scalars(
                select(KnowledgeChunk.agent_id).where(KnowledgeChunk.id.in_(chunk_ids)).distinct()
            )
            for touched in sorted(agent_ids) if bump else []:
                bump_version(session, touched)
        done += len(batch)
        on_progress(done, max(total, done))
    return done
