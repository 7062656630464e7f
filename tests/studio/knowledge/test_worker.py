from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from tests.studio.knowledge.conftest import creator_agent
from tests.studio.knowledge.documents import faq_bytes
from tests.utils.factories import make_post
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.db.models import KnowledgeChunk
from townsquare.settings import Settings
from townsquare.studio.knowledge.ingest import queue_file, store_file
from townsquare.studio.knowledge.reembed import stale_chunks
from townsquare.studio.knowledge.sync import sync_owner_posts
from townsquare.studio.knowledge.worker import IngestWorker

pytestmark = pytest.mark.postgres


def _queue(database: Database, settings: Settings, count: int, tag: str) -> list[int]:
    """One owner's agent with ``count`` distinct files queued, oldest first."""
    with database.session() as session:
        _, agent = creator_agent(session)
        ids = []
        for n in range(count):
            data = faq_bytes([(f"{tag} question {n}?", f"{tag} answer {n}.")])
            source = queue_file(session, agent, store_file(settings, f"{tag}{n}.json", data))
            session.flush()
            ids.append(source.id)
        return ids


def test_owners_are_served_in_turn_not_oldest_file_first(
    database: Database, settings: Settings
) -> None:
    backlog = _queue(database, settings, 4, "a")  # one owner's slow files, queued first
    other = _queue(database, settings, 1, "b")  # another owner's one file, queued after
    late = _queue(database, settings, 1, "c")  # a third owner's, queued last
    worker = IngestWorker(database, FakeEmbedder(), settings)
    order = [worker._claim_next() for _ in range(6)]
    assert order == [backlog[0], other[0], late[0], backlog[1], backlog[2], backlog[3]]
    assert worker._claim_next() is None  # everything is claimed


def test_the_worker_re_embeds_another_models_knowledge_when_it_starts(
    database: Database, settings: Settings
) -> None:
    with database.session() as session:
        owner, agent = creator_agent(session)
        make_post(session, owner, "Raku firing on Sundays.")
        sync_owner_posts(session, FakeEmbedder(name="old-model"), agent)
    worker = IngestWorker(database, FakeEmbedder(name="new-model"), settings, poll_interval=0.05)
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while stale_chunks(database, worker.embedder) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    with database.session() as session:
        assert session.scalars(select(KnowledgeChunk.embedder)).all() == ["new-model"]
