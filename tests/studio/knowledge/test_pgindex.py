"""Retrieval inside PostgreSQL (full-text search and pgvector) against the in-memory index."""

from __future__ import annotations

import pytest

from tests.conftest import backends
from tests.studio.knowledge.conftest import creator_agent
from tests.utils.factories import make_post
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.studio.knowledge import pgindex
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
        found = pgindex.lexical_ranked(session, agent_id, '"gluten" -bread OR kiln', 10)
        assert len(found) == 2  # both posts: any word matches, "-" and quotes are dropped
        assert pgindex.lexical_ranked(session, agent_id, "?!", 10) == []
        assert pgindex.lexical_ranked(session, agent_id, "zeppelin", 10) == []


def test_dense_reads_only_this_model_and_agent(database: Database) -> None:
    embedder = FakeEmbedder()
    agent_id = _agent_with_posts(database, embedder)
    other = _agent_with_posts(database, FakeEmbedder(name="other"))
    query = embedder.embed(["sourdough loaves friday"], "query")[0]
    with database.session() as session:
        ranked = pgindex.dense_ranked(session, agent_id, query, "fake", 3)
        assert len(ranked) == 3 and ranked[0][1] == pytest.approx(max(s for _, s in ranked))
        assert pgindex.dense_ranked(session, other, query, "fake", 3) == []
        scores = pgindex.raw_scores(session, [ranked[0][0]], "loaves", query, "fake")
        cosine, rank = scores[ranked[0][0]]
        assert cosine == pytest.approx(ranked[0][1], abs=1e-5) and rank > 0


def test_text_query_joins_words_with_or() -> None:
    assert pgindex.text_query('Do you "ship" -abroad?') == "do or you or ship or abroad"
    assert pgindex.text_query("¿Envían?") == "envían"
