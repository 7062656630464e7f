from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tests.studio.knowledge.conftest import creator_agent
from tests.studio.knowledge.documents import sentence
from tests.utils.factories import make_account, make_agent, make_post
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.db.models import Agent, KnowledgeChunk, KnowledgeSource
from townsquare.social import posts
from townsquare.studio.knowledge.sync import (
    SyncReport,
    embed_texts,
    pending_texts,
    sync_owner_posts,
)

pytestmark = pytest.mark.postgres


def post_sources(session: Session, agent: Agent) -> dict[int | None, KnowledgeSource]:
    rows = session.scalars(select(KnowledgeSource).where(KnowledgeSource.agent_id == agent.id))
    return {source.post_id: source for source in rows}


def chunk_texts(session: Session, source_id: int) -> list[str]:
    return list(
        session.scalars(
            select(KnowledgeChunk.text)
            .where(KnowledgeChunk.source_id == source_id)
            .order_by(KnowledgeChunk.ordinal)
        )
    )


def version(session: Session, agent: Agent) -> int:
    value = session.scalar(select(Agent.knowledge_version).where(Agent.id == agent.id))
    assert value is not None
    return value


@contextmanager
def count_statements(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def test_new_posts_are_learned_and_an_unchanged_sync_costs_one_query(database: Database) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        owner, agent = creator_agent(session)
        first = make_post(session, owner, "Glazing day!\nThe celadon came out of the kiln green.")
        second = make_post(session, owner, "Open studio on Saturday.")
        posts.create_post(session, owner, kind="link", link_url="https://example.com")  # no text
        make_post(session, make_account(session), "Someone else's post.")
        assert sync_owner_posts(session, embedder, agent) == SyncReport(added=2)
        sources = post_sources(session, agent)
        assert set(sources) == {first.id, second.id}
        assert sources[first.id].title == "Glazing day!"
        assert sources[first.id].status == "ready"
        assert sources[first.id].indexed_at == first.updated_at
        assert chunk_texts(session, sources[first.id].id) == [first.text]
        assert version(session, agent) == 1
    calls = len(embedder.calls)
    with database.session() as session, count_statements(database) as statements:
        agent = session.get_one(Agent, agent.id)
        statements.clear()
        assert sync_owner_posts(session, embedder, agent) == SyncReport()
        assert len(statements) == 1
    assert len(embedder.calls) == calls


def test_an_edit_is_re_indexed_and_a_deletion_forgotten(tmp_path: Path, database: Database) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        owner, agent = creator_agent(session)
        kept = make_post(session, owner, "Kiln fires at 1200 degrees.")
        gone = make_post(session, owner, "Studio closed on Mondays.")
        sync_owner_posts(session, embedder, agent)
        posts.edit_post(session, owner, kept.id, text="Kiln fires at 1260 degrees now.")
        posts.delete_post(session, owner, gone.id, media_dir=tmp_path)
        session.flush()
        report = sync_owner_posts(session, embedder, agent)
        assert report == SyncReport(updated=1, removed=1)
        assert str(report) == "0 new, 1 re-indexed, 1 removed"
        sources = post_sources(session, agent)
        assert set(sources) == {kept.id}
        assert chunk_texts(session, sources[kept.id].id) == ["Kiln fires at 1260 degrees now."]
        assert sources[kept.id].indexed_at == kept.updated_at
        assert version(session, agent) == 2
        orphans = session.scalars(
            select(KnowledgeChunk).where(
                KnowledgeChunk.agent_id == agent.id,
                KnowledgeChunk.source_id != sources[kept.id].id,
            )
        ).all()
        assert orphans == []


def test_a_post_edited_to_blank_is_forgotten(database: Database) -> None:
    with database.session() as session:
        owner, agent = creator_agent(session)
        link = posts.create_post(
            session, owner, kind="link", link_url="https://example.com", text="My shop"
        )
        sync_owner_posts(session, FakeEmbedder(), agent)
        posts.edit_post(session, owner, link.id, text="   ")
        assert sync_owner_posts(session, FakeEmbedder(), agent) == SyncReport(removed=1)
        assert post_sources(session, agent) == {}


def test_a_long_post_is_split_into_chunks(database: Database) -> None:
    with database.session() as session:
        owner, agent = creator_agent(session)
        post = make_post(session, owner, " ".join(sentence(n) for n in range(40)))
        sync_owner_posts(session, FakeEmbedder(), agent)
        source = post_sources(session, agent)[post.id]
        assert len(chunk_texts(session, source.id)) == source.progress_total > 1


def test_character_agents_do_not_learn_from_posts(database: Database) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        owner = make_account(session)
        agent = make_agent(session, owner, kind="character")
        make_post(session, owner, "A post.")
        assert sync_owner_posts(session, embedder, agent) == SyncReport()
        assert post_sources(session, agent) == {}
        assert embedder.calls == []


def test_texts_embedded_before_the_sync_are_not_embedded_again(database: Database) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        owner, agent = creator_agent(session)
        make_post(session, owner, "Open studio on Saturday.")
    with database.session() as session:
        texts = pending_texts(session, session.get_one(Agent, agent.id))
    assert texts == ["Open studio on Saturday."]
    embedded = embed_texts(embedder, texts)  # no transaction open
    calls = len(embedder.calls)
    with database.session() as session:
        agent = session.get_one(Agent, agent.id)
        report = sync_owner_posts(session, embedder, agent, embedded=embedded)
        assert report == SyncReport(added=1)
        assert pending_texts(session, agent) is None
    assert len(embedder.calls) == calls
