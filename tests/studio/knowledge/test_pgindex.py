"""Retrieval inside PostgreSQL (full-text search and pgvector) against the in-memory index."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, text

from tests.conftest import backends
from tests.studio.knowledge.conftest import creator_agent
from tests.utils.factories import make_post
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.db.models import Account, Agent
from townsquare.db.search import EF_SEARCH
from townsquare.studio.knowledge import pgindex
from townsquare.studio.knowledge.index import CANDIDATES
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever
from townsquare.studio.knowledge.sync import sync_owner_posts

pytestmark = pytest.mark.postgres
backend = backends("pgvector")
POSTS = [
    "Sourdough loaves are baked every Friday morning.",
    "Our stoneware mugs ship within three working days.",
    "Gluten free bread is made on Tuesdays in a separate kitchen.",
    "Wheel classes run on Thursday evenings for groups of six.",
    "Gift cards never expire and can be used online.",
    "The kiln fires porcelain cups at 1260 degrees.",
]


def _agent_with_posts(database: Database, embedder: FakeEmbedder) -> int:
    with database.session() as session:
        owner, agent = creator_agent(session)
        for text in POSTS:
            make_post(session, owner, text)
        sync_owner_posts(session, embedder, agent)
        return agent.id


def test_both_backends_rank_alike(database: Database) -> None:
    embedder = FakeEmbedder(dimension=384)  # the HNSW index's dimension
    agent_id = _agent_with_posts(database, embedder)
    memory = KnowledgeRetriever(database, embedder, agent_id, backend="memory")
    postgres = KnowledgeRetriever(database, embedder, agent_id)
    assert postgres.in_database and not memory.in_database
    for query in ["gluten free bread", "when do mugs ship?", "kiln porcelain", "gift cards"]:
        in_memory = [s.passage.text for s in memory.search_scored(query, 2)]
        in_database = postgres.search_scored(query, 2)
        assert [s.passage.text for s in in_database][:1] == in_memory[:1], query
        best = in_database[0]
        assert best.lexical > 0 and best.dense > 0


def test_lexical_matches_any_word_and_quotes_are_not_syntax(database: Database) -> None:
    embedder = FakeEmbedder()
    agent_id = _agent_with_posts(database, embedder)
    with database.session() as session:
        found = pgindex.search(session, agent_id, '"gluten" -bread OR kiln', None, "fake", 10)
        assert len(found.lexical) == 2  # both posts: any word matches, "-" and quotes are dropped
        assert found.dense == [] and set(found.chunks) == {i for i, _ in found.lexical}
        assert pgindex.search(session, agent_id, "?!", None, "fake", 10).chunks == {}
        assert pgindex.search(session, agent_id, "zeppelin", None, "fake", 10).lexical == []


def test_dense_reads_only_this_model_and_agent(database: Database) -> None:
    embedder = FakeEmbedder()
    agent_id = _agent_with_posts(database, embedder)
    other = _agent_with_posts(database, FakeEmbedder(name="other"))
    query = embedder.embed(["sourdough loaves friday"], "query")[0]
    with database.session() as session:
        found = pgindex.search(session, agent_id, "loaves", query, "fake", 3)
        ranked = found.dense
        assert len(ranked) == 3 and ranked[0][1] == pytest.approx(max(s for _, s in ranked))
        assert pgindex.search(session, other, "?", query, "fake", 3).dense == []
        cosine, _ = found.scores[ranked[0][0]]
        assert cosine == pytest.approx(ranked[0][1], abs=1e-5)
        loaves = found.lexical[0][0]
        assert found.scores[loaves][1] == found.lexical[0][1] > 0
        assert found.chunks[loaves].text == POSTS[0]
        handle = session.scalar(
            select(Account.handle)
            .join(Agent, Agent.account_id == Account.id)
            .where(Agent.id == agent_id)
        )
        assert found.chunks[loaves].handle == handle and found.chunks[loaves].post_id
        assert set(found.chunks) == {i for i, _ in found.lexical + found.dense}


def test_one_search_is_one_statement(database: Database) -> None:
    embedder = FakeEmbedder(dimension=384)
    agent_id = _agent_with_posts(database, embedder)
    retriever = KnowledgeRetriever(database, embedder, agent_id)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        found = retriever.search("when do mugs ship?", 3)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert found[0].text == POSTS[1]
    # The agent's knowledge version (before embedding the question), then the search.
    assert len(statements) == 2, statements


def test_search_settings_are_set_once_per_connection(database: Database) -> None:
    with database.engine.connect() as connection:
        assert connection.scalar(text("SHOW hnsw.iterative_scan")) == "relaxed_order"
        assert connection.scalar(text("SHOW hnsw.ef_search")) == str(EF_SEARCH)
    assert EF_SEARCH >= CANDIDATES


def test_text_query_joins_words_with_or() -> None:
    assert pgindex.text_query('Do you "ship" -abroad?') == "do or you or ship or abroad"
    assert pgindex.text_query("¿Envían?") == "envían"
