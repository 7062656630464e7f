"""Hybrid retrieval with the real all-MiniLM-L6-v2: meaning without shared words, and the exact
word that an embedding blurs."""

from __future__ import annotations

import pytest

from tests.studio.knowledge.conftest import creator_agent
from tests.studio.knowledge.documents import faq_bytes
from tests.utils.factories import make_post
from townsquare.ai import build_embedder
from townsquare.ai.embeddings import Embedder
from townsquare.db import Database
from townsquare.settings import Settings
from townsquare.studio.knowledge.cache import IndexCache
from townsquare.studio.knowledge.ingest import enqueue_file, ingest_source_now
from townsquare.studio.knowledge.retrieval import AgentKnowledge, KnowledgeRetriever
from townsquare.studio.knowledge.sync import sync_owner_posts

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

POSTS = [
    "Every parcel leaves the studio within three working days, tracked.",
    "The new speckled glaze is fired to cone 6 in an electric kiln.",
    "Wheel-throwing classes for beginners run on Thursday evenings.",
    "Seconds with small flaws are half price at the Saturday market.",
]
CATALOG = b"sku,name,price\nSKU-4411,Large serving bowl,48\nSKU-2290,Espresso cup,14\n"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return build_embedder(Settings())


def test_paraphrases_and_exact_codes_are_both_found(
    database: Database,
    settings: Settings,
    embedder: Embedder,
    cache: IndexCache[AgentKnowledge],
) -> None:
    with database.session() as session:
        owner, agent = creator_agent(session)
        for text in POSTS:
            make_post(session, owner, text)
        sync_owner_posts(session, embedder, agent)
        catalog = enqueue_file(session, settings, agent, "catalog.csv", CATALOG).id
        faq = enqueue_file(
            session,
            settings,
            agent,
            "faq.json",
            faq_bytes([("Is the glaze safe to eat from?", "Yes, every glaze is lead free.")]),
        ).id
    for source_id in (catalog, faq):
        ingest_source_now(database, embedder, source_id, settings=settings)
    retriever = KnowledgeRetriever(database, embedder, agent.id, cache=cache)

    # No content word in common with the answer: only the dense half can find it.
    [delivery] = retriever.search_scored("how long until my order arrives?", 1)
    assert delivery.passage.text == POSTS[0]
    assert delivery.lexical == 0 and delivery.dense > 0.3

    [lessons] = retriever.search_scored("when can I take a pottery lesson?", 1)
    assert lessons.passage.text == POSTS[2] and lessons.lexical == 0

    # An exact product code: BM25 puts it first.
    [bowl] = retriever.search_scored("price of SKU-4411", 1)
    assert bowl.passage.locator == "Large serving bowl" and bowl.lexical > 0

    [dishes] = retriever.search("are your plates dishwasher and food safe", 1)
    assert dishes.locator == "Is the glaze safe to eat from?"
