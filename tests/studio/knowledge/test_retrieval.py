from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, update

from tests.conftest import backends
from tests.studio.knowledge.conftest import creator_agent
from tests.studio.knowledge.documents import faq_bytes
from tests.utils.factories import make_post
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.db.models import KnowledgeChunk, KnowledgeSource
from townsquare.settings import Settings
from townsquare.social import posts
from townsquare.studio.agents import agent_account
from townsquare.studio.knowledge.cache import IndexCache
from townsquare.studio.knowledge.ingest import enqueue_file, ingest_source_now
from townsquare.studio.knowledge.retrieval import (
    AgentKnowledge,
    KnowledgeRetriever,
    return_freed_memory,
)
from townsquare.studio.knowledge.sync import sync_owner_posts

pytestmark = pytest.mark.postgres
backend = backends("sqlite", "postgresql", "pgvector")

FAQ = faq_bytes(
    [
        ("Do you ship abroad?", "We ship to the EU and the UK; parcels take five days."),
        ("Are the glazes food safe?", "Every glaze is lead free and food safe."),
        ("Can I book a wheel class?", "Wheel classes run on Thursday evenings."),
    ]
)


def test_posts_and_files_are_found_with_their_links(
    database: Database, settings: Settings, cache: IndexCache[AgentKnowledge]
) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        owner, agent = creator_agent(session)
        handle = agent_account(session, agent).handle
        post = make_post(session, owner, "New mugs in the shop: speckled stoneware.")
        sync_owner_posts(session, embedder, agent)
        source_id = enqueue_file(session, settings, agent, "faq.json", FAQ).id
    ingest_source_now(database, embedder, source_id, settings=settings)
    retriever = KnowledgeRetriever(database, embedder, agent.id, cache=cache)

    [best, *_] = retriever.search("are your glazes food safe", 3)
    assert best.title == "faq.json" and best.locator == "Are the glazes food safe?"
    assert best.source_kind == "file" and best.source_id == source_id
    assert best.url == f"/agents/{handle}/passages/{best.chunk_id}"
    assert best.citation()["quote"] == best.text

    [mugs, *_] = retriever.search("speckled mugs", 2)
    assert (mugs.source_kind, mugs.url, mugs.locator) == ("post", f"/posts/{post.id}", "")
    assert mugs.title == "New mugs in the shop: speckled stoneware."

    scored = retriever.search_scored("wheel class thursday", 4)
    assert scored[0].passage.locator == "Can I book a wheel class?"
    assert scored[0].lexical > 0 and scored[0].dense > 0
    assert [s.passage.score for s in scored] == sorted(
        (s.passage.score for s in scored), reverse=True
    )
    assert len(retriever.search("wheel class thursday", 2)) == 2


def test_a_deleted_post_is_never_returned_even_before_sync(
    tmp_path: Path, database: Database, cache: IndexCache[AgentKnowledge]
) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        owner, agent = creator_agent(session)
        post = make_post(session, owner, "Secret glaze recipe: ash and feldspar.")
        sync_owner_posts(session, embedder, agent)
    retriever = KnowledgeRetriever(database, embedder, agent.id, cache=cache)
    assert [p.source_kind for p in retriever.search("glaze recipe", 5)] == ["post"]
    with database.session() as session:
        posts.delete_post(session, owner, post.id, media_dir=tmp_path)
    assert retriever.search("glaze recipe", 5) == []  # the cached index still holds it


def test_an_edit_is_found_once_synced_and_the_cache_follows_the_version(
    database: Database, cache: IndexCache[AgentKnowledge]
) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        owner, agent = creator_agent(session)
        post = make_post(session, owner, "Kiln fires at 1200 degrees.")
        sync_owner_posts(session, embedder, agent)
    retriever = KnowledgeRetriever(database, embedder, agent.id, cache=cache, backend="memory")
    assert retriever.search("kiln", 1)[0].text == "Kiln fires at 1200 degrees."
    assert (agent.id, 1) in cache
    with database.session() as session:
        posts.edit_post(session, owner, post.id, text="Kiln fires at 1260 degrees.")
        sync_owner_posts(session, embedder, session.merge(agent))
    assert retriever.search("kiln", 1)[0].text == "Kiln fires at 1260 degrees."
    assert (agent.id, 2) in cache and (agent.id, 1) not in cache


def test_only_ready_sources_are_searched(
    database: Database, settings: Settings, cache: IndexCache[AgentKnowledge]
) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        _, agent = creator_agent(session)
        source_id = enqueue_file(session, settings, agent, "faq.json", FAQ).id
    ingest_source_now(database, embedder, source_id, settings=settings)
    with database.session() as session:  # all its chunks are stored, but it is not ready
        session.execute(
            update(KnowledgeSource).where(KnowledgeSource.id == source_id).values(status="indexing")
        )
    retriever = KnowledgeRetriever(database, embedder, agent.id, cache=cache)
    assert retriever.search("glazes food safe", 5) == []


def test_the_cached_index_keeps_chunk_ids_and_passages_are_read_per_search(
    database: Database, settings: Settings, cache: IndexCache[AgentKnowledge]
) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        _, agent = creator_agent(session)
        source_id = enqueue_file(session, settings, agent, "faq.json", FAQ).id
    ingest_source_now(database, embedder, source_id, settings=settings)
    retriever = KnowledgeRetriever(database, embedder, agent.id, cache=cache, backend="memory")
    [found] = retriever.search("glazes food safe", 1)
    knowledge = cache.get_or_build((agent.id, 1), lambda: pytest.fail("built again"))
    with database.session() as session:
        stored = session.scalars(
            select(KnowledgeChunk.id).where(KnowledgeChunk.source_id == source_id)
        ).all()
    assert knowledge.chunk_ids.tolist() == sorted(stored)
    assert found.chunk_id in stored and found.text.startswith("Are the glazes food safe?")
    with database.session() as session:  # no longer ready, the knowledge version unchanged
        session.execute(
            update(KnowledgeSource).where(KnowledgeSource.id == source_id).values(status="indexing")
        )
    assert retriever.search("glazes food safe", 5) == []  # the cached index still holds them
    assert (agent.id, 1) in cache


def test_an_agent_sees_only_its_own_knowledge(
    database: Database, cache: IndexCache[AgentKnowledge]
) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        owner, agent = creator_agent(session)
        other_owner, other = creator_agent(session)
        make_post(session, owner, "Porcelain is my favourite clay.")
        make_post(session, other_owner, "Porcelain cracks in my kiln.")
        sync_owner_posts(session, embedder, agent)
        sync_owner_posts(session, embedder, other)
    texts = [
        p.text
        for p in KnowledgeRetriever(database, embedder, agent.id, cache=cache).search(
            "porcelain", 5
        )
    ]
    assert texts == ["Porcelain is my favourite clay."]


def test_searching_inside_the_callers_session(database: Database) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        owner, agent = creator_agent(session)
        make_post(session, owner, "Raku firing this weekend.")
        sync_owner_posts(session, embedder, agent)
        retriever = KnowledgeRetriever(session, embedder, agent.id, cache=IndexCache())
        assert [p.text for p in retriever.search("raku", 3)] == ["Raku firing this weekend."]


def test_blank_queries_bad_k_and_unknown_agents(
    database: Database, cache: IndexCache[AgentKnowledge]
) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        _, agent = creator_agent(session)
    retriever = KnowledgeRetriever(database, embedder, agent.id, cache=cache)
    assert retriever.search("   ", 5) == []
    assert retriever.search("anything", 5) == []  # no knowledge yet
    with pytest.raises(ValueError, match="k must be at least 1, got 0"):
        retriever.search("anything", 0)
    assert KnowledgeRetriever(database, embedder, 10**9, cache=cache).search("x", 3) == []


def test_chunks_from_another_embedding_model_are_still_found_by_words(
    database: Database, caplog: pytest.LogCaptureFixture, cache: IndexCache[AgentKnowledge]
) -> None:
    with database.session() as session:
        owner, agent = creator_agent(session)
        make_post(session, owner, "Saggar firing with copper.")
        sync_owner_posts(session, FakeEmbedder(dimension=16), agent)
    retriever = KnowledgeRetriever(
        database, FakeEmbedder(dimension=32), agent.id, cache=cache, backend="memory"
    )
    with caplog.at_level(logging.WARNING):
        [found] = retriever.search_scored("saggar copper", 3)
    assert found.dense == 0 and found.lexical > 0
    assert "1 chunks were embedded with another model" in caplog.text
    with database.session() as session:
        stored = session.scalars(
            select(KnowledgeChunk.embedding).where(KnowledgeChunk.agent_id == agent.id)
        ).one()
        assert np.frombuffer(stored, dtype=np.float32).shape == (16,)


def test_indexes_are_shared_per_database_engine(database: Database, tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        with database.new_session() as session:
            in_session = KnowledgeRetriever(session, embedder, 1)
        cache = in_session.caches["primary"]
        assert KnowledgeRetriever(database, embedder, 1).caches["primary"] is cache
        assert KnowledgeRetriever(other, embedder, 1).caches["primary"] is not cache
    finally:
        other.dispose()


def test_passages_carry_the_date_their_source_says_else_the_post_date_else_none(
    database: Database, settings: Settings, cache: IndexCache[AgentKnowledge]
) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        owner, agent = creator_agent(session)
        dated = make_post(session, owner, "New glaze prices\n\nPosted 14/01/2026\n\nMugs £18.")
        plain = make_post(session, owner, "Kiln firing on Fridays.")
        sync_owner_posts(session, embedder, agent)
        notes = b"Studio notes\nLast updated: 5 March 2026\nThe wheel room opens at 9am."
        noted = enqueue_file(session, settings, agent, "notes.txt", notes).id
        undated = enqueue_file(session, settings, agent, "more.txt", b"Clay is stored cold.").id
        kiln = b"Posted 4 Nov\nThe kiln fires on Tuesdays."
        yearless = enqueue_file(session, settings, agent, "kiln.txt", kiln).id
    for source_id in (noted, undated, yearless):
        ingest_source_now(database, embedder, source_id, settings=settings)
    with database.session() as session:
        uploaded = {
            s.id: s.created_at.date()
            for s in session.scalars(select(KnowledgeSource).where(KnowledgeSource.kind == "file"))
        }
    retriever = KnowledgeRetriever(database, embedder, agent.id, cache=cache)
    found = {p.text: p.dated for p in retriever.search("glaze kiln wheel clay", 10)}
    assert found[dated.text] == date(2026, 1, 14)
    assert found[plain.text] == plain.created_at.date()
    assert found[notes.decode()] == date(2026, 3, 5)
    assert found["Clay is stored cold."] is None  # not "now": older than any dated source
    on = uploaded[yearless]  # the latest 4 November not after the upload
    assert found[kiln.decode()] == date(on.year - (on < date(on.year, 11, 4)), 11, 4)


def test_the_database_backend_is_chosen_where_pgvector_is(backend: str, database: Database) -> None:
    assert KnowledgeRetriever(database, FakeEmbedder(), 1).in_database == (backend == "pgvector")
    if backend != "pgvector":
        with pytest.raises(
            ValueError, match=r"^this database has no pgvector embeddings to search$"
        ):
            KnowledgeRetriever(database, FakeEmbedder(), 1, backend="postgres")


def test_a_question_in_another_language_is_searched_with_the_cross_embedders_vectors(
    database: Database, cache: IndexCache[AgentKnowledge]
) -> None:
    english = FakeEmbedder(name="english", languages=frozenset({"en"}))
    cross = FakeEmbedder(dimension=16, name="multi")
    with database.session() as session:
        owner, agent = creator_agent(session)
        make_post(session, owner, "The beginner course costs 120 euros for six weeks.")
        make_post(session, owner, "Saggar firing with copper on Sundays.")
        sync_owner_posts(session, english, agent)
    retriever = KnowledgeRetriever(database, english, agent.id, cross=cross, cache=cache)
    # English: the embedder's own vectors, and no cross embedding is made.
    assert retriever.search_scored("beginner course costs", 2)[0].dense > 0
    assert cross.calls == []
    # Portuguese: the chunks get their cross embeddings, then the question is matched to them.
    found = retriever.search_scored("Quanto custa o curso beginner?", 2)
    assert len(cross.calls) == 2 and cross.sides == ["passage", "query"]
    assert found[0].passage.text.startswith("The beginner course")
    query = cross.embed(["Quanto custa o curso beginner?"], "query")[0]
    passage = cross.embed(["The beginner course costs 120 euros for six weeks."], "passage")[0]
    assert found[0].dense == pytest.approx(float(query @ passage), abs=1e-5)
    with database.session() as session:
        assert set(session.scalars(select(KnowledgeChunk.cross_embedder))) == {"multi"}
    # A second question embeds only itself.
    retriever.search_scored("Quando é a queima saggar?", 2)
    assert len(cross.calls) == 5


def test_freed_memory_is_returned_where_the_c_library_can() -> None:
    assert return_freed_memory() is (sys.platform == "linux")
