"""Knowledge embedded by another model than the configured one, embedded again.

A vector is only comparable with vectors of the model that made it, so each chunk names its
model (``KnowledgeChunk.embedder``) and retrieval reads a chunk of another model as having no
vector at all (lexical search still finds it). When an instance changes ``TOWNSQUARE_EMBEDDER``,
``reembed`` brings every such chunk over, in batches that each commit and bump the agents'
knowledge versions, so an interrupted run resumes where it stopped and answers improve as it
goes. The ingest worker runs it when it starts; ``townsquare agent reembed`` runs it with a
progress bar. No transaction is open while the model runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
from sqlalchemy import func, select, update

from townsquare.ai.embeddings import Embedder
from townsquare.db import Database
from townsquare.db.models import KnowledgeChunk
from townsquare.db.search import store_dense
from townsquare.studio.knowledge.chunking import searchable_text
from townsquare.studio.knowledge.store import bump_version

BATCH = 64


def stale_chunks(database: Database, embedder: Embedder) -> int:
    """How many chunks another model than ``embedder`` embedded."""
    with database.new_session() as session:
        return int(
            session.scalar(select(func.count()).where(KnowledgeChunk.embedder != embedder.name))
            or 0
        )


def reembed(
    database: Database,
    embedder: Embedder,
    *,
    on_progress: Callable[[int, int], None] = lambda done, total: None,
    stop: threading.Event | None = None,
) -> int:
    """Re-embeds every chunk another model made; returns how many. ``on_progress(done, total)``
    after each batch; ``stop`` set ends the run after the batch in hand."""
    total = stale_chunks(database, embedder)
    done = 0
    on_progress(done, total)
    while stop is None or not stop.is_set():
        with database.new_session() as session:
            batch = session.execute(
                select(KnowledgeChunk.id, KnowledgeChunk.text, KnowledgeChunk.locator)
                .where(KnowledgeChunk.embedder != embedder.name)
                .order_by(KnowledgeChunk.id)
                .limit(BATCH)
            ).all()
        if not batch:
            break
        vectors = embedder.embed(
            [searchable_text(text, locator) for _, text, locator in batch], "passage"
        )  # (B, D)
        with database.session() as session:
            for (chunk_id, _, _), vector in zip(batch, vectors, strict=True):
                session.execute(
                    update(KnowledgeChunk)
                    .where(KnowledgeChunk.id == chunk_id)
                    .values(
                        embedding=np.asarray(vector, dtype=np.float32).tobytes(),
                        embedder=embedder.name,
                    )
                )
            store_dense(session, [chunk_id for chunk_id, _, _ in batch], vectors)
            agent_ids = session.scalars(
                select(KnowledgeChunk.agent_id)
                .where(KnowledgeChunk.id.in_([chunk_id for chunk_id, _, _ in batch]))
                .distinct()
            )
            for agent_id in sorted(agent_ids):
                bump_version(session, agent_id)
        done += len(batch)
        on_progress(done, max(total, done))
    return done
