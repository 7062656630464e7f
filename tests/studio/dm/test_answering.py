from __future__ import annotations

import pytest

from tests.studio.dm.test_agent_threads import agent_with_member
from townsquare.ai.fake import FakeChatModel
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Account, Message
from townsquare.social import messages
from townsquare.studio import owner_inbox
from townsquare.studio.conversation.types import Delta, ReplyEvent
from townsquare.studio.dm import agent_threads
from townsquare.studio.dm.answering import answer

pytestmark = pytest.mark.postgres


def _sent(database: Database) -> tuple[int, int, int, str, int]:
    """A member's message in a thread with a character agent: (message, agent, thread) ids, the
    agent's handle and its owner's id, with the agent decided as the DM send decides it."""
    with database.session() as session:
        owner, member, _, handle = agent_with_member(session)
        thread = agent_threads.open_agent_thread(session, member, handle).thread
        sent, _ = messages.send_message(session, member, thread.id, "What do you paint?")
        agent = agent_threads.who_answers(session, sent)
        assert agent is not None
        return sent.id, agent.id, thread.id, handle, owner.id


def test_a_message_is_answered_once_with_the_reply_streamed_first(
    database: Database, models: Models, fake_chat: FakeChatModel
) -> None:
    fake_chat.replies = ["Mostly harbours at dawn."]
    message_id, agent_id, _, _, _ = _sent(database)
    seen: list[ReplyEvent] = []
    outcome = answer(database, models, message_id, seen.append, agent_id=agent_id)
    assert outcome.kind == "reply" and outcome.message_id is not None
    assert "".join(e.text for e in seen if isinstance(e, Delta)) == "Mostly harbours at dawn."
    assert seen[-1] == outcome
    with database.session() as session:
        reply = session.get(Message, outcome.message_id)
        assert reply is not None and (reply.reply_to_id, reply.ai_generated) == (message_id, True)
    again = answer(database, models, message_id, seen.append, agent_id=agent_id)
    assert again.kind == "silent"  # answered already: no second reply
    assert len(fake_chat.requests) == 1  # the one reply's one draft (TOWNSQUARE_CHAT_DRAFTS)


def test_a_thread_taken_over_while_the_message_waits_runs_no_model(
    database: Database, models: Models, fake_chat: FakeChatModel
) -> None:
    message_id, agent_id, thread_id, handle, owner_id = _sent(database)
    with database.session() as session:
        owner = session.get(Account, owner_id)
        assert owner is not None
        owner_inbox.take_over(session, owner, handle, thread_id)
    seen: list[ReplyEvent] = []
    outcome = answer(database, models, message_id, seen.append, agent_id=agent_id)
    assert outcome.kind == "silent" and seen == [outcome]
    assert fake_chat.requests == []
