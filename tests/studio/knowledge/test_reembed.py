from __future__ import annotations

import threading

import numpy as np
import pytest
from sqlalchemy import select

from tests.studio.knowledge.conftest import creator_agent
from tests.utils.factories import make_post
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.db.models import Agent, KnowledgeChunk
from townsquare.studio.knowledge import reembed as reembed_module
from townsquare.studio.knowledge.cache import IndexCache
from townsquare.studio.knowledge.reembed import reembed, stale_chunks
from townsquare.studio.knowledge.retrieval import AgentKnowledge, KnowledgeRetriever
from townsquare.studio.knowledge.sync import sync_owner_posts

pytestmark = pytest.mark.postgres

OLD, NEW = FakeEmbedder(name="old-model"), FakeEmbedder(name="new-model")


def _learn(database: Database, texts: list[str]) -> int:
    with database.session() as session:
        owner, agent = creator_agent(session)
        for text in texts:
            make_post(session, owner, text)
        sync_owner_posts(session, OLD, agent)
        return agent.id


def _chunks(database: Database) -> list[tuple[str, bytes]]:
    with database.session() as session:
        return [
            (made_by, blob)
            for made_by, blob in session.execute(
                select(KnowledgeChunk.embedder, KnowledgeChunk.embedding).order_by(
                    KnowledgeChunk.id
                )
            )
        ]


def test_a_chunk_records_the_model_that_embedded_it(database: Database) -> None:
    _learn(database, ["Saggar firing with copper."])
    [(made_by, blob)] = _chunks(database)
    assert made_by == "old-model"
    assert np.frombuffer(blob, dtype=np.float32).shape == (OLD.dimension,)


def test_vectors_of_another_model_are_never_compared(
    database: Database, cache: IndexCache[AgentKnowledge]
) -> None:
    agent_id = _learn(database, ["Saggar firing with copper."])
    # Same size, another model: the stored vector is read as none at all.
    [found] = KnowledgeRetriever(database, NEW, agent_id, cache=cache).search_scored(
        "saggar copper", 3
    )
    assert found.dense == 0 and found.lexical > 0
    [same] = KnowledgeRetriever(database, OLD, agent_id, cache=IndexCache()).search_scored(
        "saggar copper", 3
    )
    assert same.dense > 0


def test_reembed_brings_every_chunk_to_the_new_model_and_bumps_the_version(
    database: Database, cache: IndexCache[AgentKnowledge], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reembed_module, "BATCH", 2)
    agent_id = _learn(database, ["Saggar firing.", "Raku on Sundays.", "Kiln notes."])
    with database.session() as session:
        version = session.scalar(select(Agent.knowledge_version).where(Agent.id == agent_id))
    assert version is not None
    assert stale_chunks(database, NEW) == 3
    progress: list[tuple[int, int]] = []
    new = FakeEmbedder(name="new-model")
    assert reembed(database, new, on_progress=lambda d, t: progress.append((d, t))) == 3
    assert progress == [(0, 3), (2, 3), (3, 3)]
    assert new.sides == ["passage", "passage"]
    chunks = _chunks(database)
    assert {made_by for made_by, _ in chunks} == {"new-model"}
    expected = new.embed(["Saggar firing.", "Raku on Sundays.", "Kiln notes."], "passage")
    np.testing.assert_allclose(
        np.stack([np.frombuffer(blob, dtype=np.float32) for _, blob in chunks]), expected
    )
    with database.session() as session:
        assert (
            session.scalar(select(Agent.knowledge_version).where(Agent.id == agent_id))
            == version + 2
        )  # once per batch
    [found] = KnowledgeRetriever(database, new, agent_id, cache=cache).search_scored("raku", 1)
    assert found.dense > 0
    assert stale_chunks(database, new) == 0
    assert reembed(database, new) == 0  # nothing left: nothing embedded


def test_reembed_stops_after_the_batch_in_hand(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reembed_module, "BATCH", 1)
    _learn(database, ["Saggar firing.", "Raku on Sundays."])
    stop = threading.Event()
    done = reembed(database, NEW, on_progress=lambda d, t: stop.set() if d else None, stop=stop)
    assert done == 1
    assert stale_chunks(database, NEW) == 1  # the next run resumes there


def _cross_columns(database: Database) -> list[tuple[str | None, bytes | None]]:
    with database.session() as session:
        return [
            (made_by, blob)
            for made_by, blob in session.execute(
                select(KnowledgeChunk.cross_embedder, KnowledgeChunk.cross_embedding).order_by(
                    KnowledgeChunk.id
                )
            )
        ]


def test_the_cross_slot_fills_the_second_embedding_and_leaves_the_first(
    database: Database,
) -> None:
    agent_id = _learn(database, ["Saggar firing.", "Raku on Sundays."])
    other_id = _learn(database, ["Kiln notes."])
    assert _cross_columns(database) == [(None, None)] * 3  # none until embedded
    cross = FakeEmbedder(dimension=8, name="multi")
    assert stale_chunks(database, cross, slot="cross") == 3
    assert reembed(database, cross, slot="cross", agent_id=agent_id) == 2
    filled = _cross_columns(database)
    assert [made_by for made_by, _ in filled] == ["multi", "multi", None]
    assert filled[0][1] is not None
    assert np.frombuffer(filled[0][1], dtype=np.float32).shape == (8,)
    assert all(made_by == "old-model" for made_by, _ in _chunks(database))
    assert stale_chunks(database, cross, slot="cross", agent_id=other_id) == 1
    # Another cross model's vectors are stale too.
    assert stale_chunks(database, FakeEmbedder(name="multi-2"), slot="cross") == 3
