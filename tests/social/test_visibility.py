"""A private agent is missing to everyone but its owner (finding 9)."""

import pytest

from tests.utils.factories import make_account, make_agent
from townsquare.db import Database
from townsquare.errors import NotFound
from townsquare.social import accounts, graph, messages
from townsquare.studio.agents import agent_account

pytestmark = pytest.mark.postgres


def test_services_answer_a_private_agent_as_missing(database: Database) -> None:
    with database.session() as session:
        owner, other = make_account(session), make_account(session)
        hidden = agent_account(session, make_agent(session, owner, visibility="private"))
        missing = f"no account @{hidden.handle}"
        with pytest.raises(NotFound, match=missing):
            accounts.visible_account(session, hidden.handle, other)
        with pytest.raises(NotFound, match=missing):
            accounts.visible_account(session, hidden.handle, None)
        with pytest.raises(NotFound, match=missing):
            messages.open_thread(session, other, [hidden])
        with pytest.raises(NotFound, match=missing):
            graph.follow(session, other, hidden)
        assert accounts.visible_account(session, hidden.handle, owner).id == hidden.id
        graph.follow(session, owner, hidden)
        assert graph.following(session, owner, viewer=other).items == []
        assert [a.id for a in graph.following(session, owner, viewer=owner).items] == [hidden.id]
