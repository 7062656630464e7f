from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.studio.dm.test_agent_threads import agent_with_member
from townsquare.db import Database
from townsquare.db.models import Account, Agent
from townsquare.errors import Forbidden, InvalidInput, NotFound
from townsquare.social import messages
from townsquare.studio import owner_inbox
from townsquare.studio.dm import agent_threads

pytestmark = pytest.mark.postgres


def test_approving_unchanged_drafts_is_not_signed_by_the_owner(database: Database) -> None:
    with database.session() as session:
        owner, member, agent, handle = agent_with_member(session, reply_mode="drafts")
        thread = agent_threads.open_agent_thread(session, member, handle).thread
        sent, _ = messages.send_message(session, member, thread.id, "hi")
        draft = agent_threads.store_reply(session, agent, sent, "Hello!", [])
        assert owner_inbox.approve_draft(session, owner, handle, draft.id).written_by_id is None


def test_only_the_owner_handles_drafts(database: Database) -> None:
    with database.session() as session:
        _, member, agent, handle = agent_with_member(session, reply_mode="drafts")
        thread = agent_threads.open_agent_thread(session, member, handle).thread
        sent, _ = messages.send_message(session, member, thread.id, "hi")
        draft = agent_threads.store_reply(session, agent, sent, "Hello!", [])
        with pytest.raises(Forbidden):
            owner_inbox.approve_draft(session, member, handle, draft.id)
        with pytest.raises(NotFound):
            owner_inbox.discard_draft(session, agent_owner(session, agent), handle, draft.id + 99)
        with pytest.raises(InvalidInput, match="needs text"):
            owner_inbox.approve_draft(
                session, agent_owner(session, agent), handle, draft.id, text="  "
            )


def agent_owner(session: Session, agent: Agent) -> Account:
    owner = session.get(Account, agent.owner_id)
    assert owner is not None
    return owner


def test_take_over_silences_the_agent_until_handed_back(database: Database) -> None:
    with database.session() as session:
        owner, member, agent, handle = agent_with_member(session)
        thread = agent_threads.open_agent_thread(session, member, handle).thread
        sent, _ = messages.send_message(session, member, thread.id, "are you real?")
        owner_inbox.take_over(session, owner, handle, thread.id)
        assert agent_threads.who_answers(session, sent) is None
        assert agent_threads.unanswered_messages(session) == []
        human = owner_inbox.owner_send(session, owner, handle, thread.id, "It's me, the real one.")
        assert (human.sender_id, human.ai_generated, human.written_by_id) == (
            agent.account_id,
            False,
            owner.id,
        )
        notice = owner_inbox.hand_back(session, owner, handle, thread.id)
        assert notice is not None and notice.ai_generated and "I'm back" in notice.text
        assert owner_inbox.hand_back(session, owner, handle, thread.id) is None  # already back
        later, _ = messages.send_message(session, member, thread.id, "ok, and now?")
        assert agent_threads.who_answers(session, later) is agent


def test_taking_over_discards_pending_drafts(database: Database) -> None:
    with database.session() as session:
        owner, member, agent, handle = agent_with_member(session, reply_mode="drafts")
        thread = agent_threads.open_agent_thread(session, member, handle).thread
        sent, _ = messages.send_message(session, member, thread.id, "hi")
        draft = agent_threads.store_reply(session, agent, sent, "Hello!", [])
        owner_inbox.take_over(session, owner, handle, thread.id)
        assert draft.status == "discarded"


def test_owner_controls_need_the_agents_thread(database: Database) -> None:
    with database.session() as session:
        owner, member, _, handle = agent_with_member(session)
        other_thread = messages.open_thread(session, member, [owner])
        with pytest.raises(NotFound, match="has no thread"):
            owner_inbox.take_over(session, owner, handle, other_thread.id)
        with pytest.raises(InvalidInput, match="needs text"):
            owner_inbox.owner_send(session, owner, handle, other_thread.id, " ")
