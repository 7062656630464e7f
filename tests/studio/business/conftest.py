"""The demo shop in a fresh database: a business, its agent, Alice and Bruno as customers (and,
with ``faq_shop``, the shop's FAQ indexed in the agent's knowledge)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from tests.utils.factories import make_account, unique_handle
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.db.models import Account, Agent
from townsquare.db.types import utcnow
from townsquare.demo.shop import add_shop_documents, seed_shop
from townsquare.settings import Settings
from townsquare.social import messages
from townsquare.studio.business.chat import Call, call_for
from townsquare.studio.dm import agent_threads
from townsquare.studio.knowledge.ingest import ingest_source_now


@dataclass(frozen=True)
class Shop:
    business_id: int
    agent_id: int
    agent_handle: str
    alice_id: int
    bruno_id: int
    stranger_id: int


@pytest.fixture
def shop(database: Database) -> Shop:
    return make_shop(database)


def make_shop(database: Database) -> Shop:
    with database.session() as session:
        business = make_account(session, unique_handle("shop"), kind="business")
        alice, bruno, stranger = (make_account(session) for _ in range(3))
        agent, _ = seed_shop(
            session, business, [alice, bruno], now=utcnow(), agent_handle=unique_handle("help")
        )
        handle = session.get(Account, agent.account_id).handle  # type: ignore[union-attr]
        return Shop(business.id, agent.id, handle, alice.id, bruno.id, stranger.id)


def say(session: Session, shop: Shop, member_id: int, text: str) -> Call:
    """``member_id`` writes ``text`` to the shop's agent; the Call its tools would act under."""
    member = session.get(Account, member_id)
    agent = session.get(Agent, shop.agent_id)
    assert member is not None and agent is not None
    thread = agent_threads.open_agent_thread(session, member, shop.agent_handle).thread
    message, _ = messages.send_message(session, member, thread.id, text)
    return call_for(session, agent, thread_id=thread.id, message_id=message.id, member_id=member_id)


@pytest.fixture
def faq_shop(
    database: Database, settings: Settings, shop: Shop, fake_embedder: FakeEmbedder
) -> Shop:
    with database.session() as session:
        agent = session.get(Agent, shop.agent_id)
        assert agent is not None
        source_id = add_shop_documents(session, settings, agent)
    ingest_source_now(database, fake_embedder, source_id, settings=settings)
    return shop
