from __future__ import annotations

import contextlib
import time

import pytest
from sqlalchemy import select

from tests.studio.knowledge.conftest import creator_agent
from tests.studio.knowledge.documents import faq_bytes, hostile_pdf
from tests.utils.factories import make_post
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.db.models import IngestCharge, KnowledgeChunk, KnowledgeSource
from townsquare.errors import InvalidInput
from townsquare.settings import Settings
from townsquare.social import quotas
from townsquare.studio.knowledge.ingest import queue_file, store_file
from townsquare.studio.knowledge.reembed import stale_chunks
from townsquare.studio.knowledge.sync import sync_owner_posts
from townsquare.studio.knowledge.worker import IngestWorker

pytestmark = pytest.mark.postgres


def _queue(
    database: Database, settings: Settings, count: int, tag: str, charged_s: float = 0.0
) -> list[tuple[int, int]]:
    """One owner's agent with ``count`` distinct files queued, oldest first: (source id, owner
    id) each. ``charged_s``: what the owner's earlier files cost this hour."""
    with database.session() as session:
        owner, agent = creator_agent(session)
        if charged_s:
            session.add(IngestCharge(account_id=owner.id, seconds=charged_s))
        ids = []
        for n in range(count):
            data = faq_bytes([(f"{tag} question {n}?", f"{tag} answer {n}.")])
            source = queue_file(session, agent, store_file(settings, f"{tag}{n}.json", data))
            session.flush()
            ids.append((source.id, owner.id))
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


def test_an_owner_whose_files_were_expensive_waits_behind_the_others(
    database: Database, settings: Settings
) -> None:
    """Queued first and never served, but charged 30 s this hour: every other owner's files
    come first, the cheaper owner's before the dearer one's."""
    expensive = _queue(database, settings, 2, "a", charged_s=30.0)
    cheap = _queue(database, settings, 1, "b", charged_s=0.5)
    fresh = _queue(database, settings, 2, "c")
    worker = IngestWorker(database, FakeEmbedder(), settings)
    order = [worker._claim_next() for _ in range(5)]
    assert order == [fresh[0], fresh[1], cheap[0], expensive[0], expensive[1]]


def test_each_file_is_charged_to_its_owner_also_when_it_fails(
    database: Database, settings: Settings
) -> None:
    bounded = settings.model_copy(update={"knowledge_extract_timeout_s": 1.0})
    with database.session() as session:
        owner, agent = creator_agent(session)
        hostile = queue_file(session, agent, store_file(settings, "hostile.pdf", hostile_pdf()))
        quotas.hold_ingest(session, owner, hostile.id, 30.0)  # as an upload is charged
        faq = faq_bytes([("Kiln days?", "Fridays.")])
        ordinary = queue_file(session, agent, store_file(settings, "faq.json", faq))
        session.flush()
        owner_id, ids = owner.id, (hostile.id, ordinary.id)
    worker = IngestWorker(database, FakeEmbedder(), bounded)
    for _ in ids:
        claimed = worker._claim_next()
        assert claimed is not None
        with contextlib.suppress(InvalidInput):  # the hostile file: recorded on its source
            worker._index(*claimed)
    with database.session() as session:
        assert [session.get_one(KnowledgeSource, i).status for i in ids] == ["failed", "ready"]
        charges = session.scalars(
            select(IngestCharge.seconds)
            .where(IngestCharge.account_id == owner_id)
            .order_by(IngestCharge.id)
        ).all()
        held = select(IngestCharge).where(IngestCharge.held_for.is_not(None))
        assert session.scalar(held) is None
    assert len(charges) == 2  # the hostile file's 30 s hold settled, the ordinary one charged
    assert 1.0 <= charges[0] < 5.0  # read until the 1 s limit killed the reader
    assert 0.0 < charges[1] < 1.0


def test_the_worker_re_embeds_another_models_knowledge_when_it_starts(
    database: Database, settings: Settings
) -> None:
    with database.session() as session:
        owner, agent = creator_agent(session)
        make_post(session, owner, "Raku firing on Sundays.")
        sync_owner_posts(session, FakeEmbedder(name="old-model"), agent)
    cross = FakeEmbedder(name="multi")
    worker = IngestWorker(
        database, FakeEmbedder(name="new-model"), settings, poll_interval=0.05, cross=cross
    )
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while (
            stale_chunks(database, worker.embedder) or stale_chunks(database, cross, slot="cross")
        ) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    with database.session() as session:
        assert session.scalars(select(KnowledgeChunk.embedder)).all() == ["new-model"]
        assert session.scalars(select(KnowledgeChunk.cross_embedder)).all() == ["multi"]
