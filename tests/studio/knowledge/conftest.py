"""Fixtures for knowledge tests: a creator agent and its owner, the fake embedder, a cache of
the test's own (so no index built by another test is ever reused)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.utils.factories import make_account, make_agent
from townsquare.db.models import Account, Agent
from townsquare.studio.knowledge.cache import IndexCache
from townsquare.studio.knowledge.retrieval import AgentKnowledge


@pytest.fixture
def cache() -> IndexCache[AgentKnowledge]:
    return IndexCache()


def creator_agent(session: Session, **fields: object) -> tuple[Account, Agent]:
    """A member and the creator agent that speaks for them."""
    owner = make_account(session)
    return owner, make_agent(session, owner, kind="creator", **fields)
