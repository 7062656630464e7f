from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.utils.factories import make_account, make_agent
from townsquare.db import Database
from townsquare.db.models import Account, Agent, AgentDraft, Message
from townsquare.errors import Conflict, Forbidden
from townsquare.social import messages
from townsquare.studio import owner_inbox
from townsquare.studio.agents import agent_account
from townsquare.studio.dm import agent_threads

pytestmark = pytest.mark.postgres


def agent_with_member(
    session: Session, **agent_fields: object
) -> tuple[Account, Account, Agent, str]:
    owner, member = make_account(session), make_account(session)
    agent = make_agent(session, owner, **agent_fields)
    return owner, member, agent, agent_account(session, agent).handle


def test_a_new_thread_starts_with_the_greeting_labelled_ai(database: Database) -> None:
    with database.session() as session:
        _, member, agent, handle = agent_with_member(session, greeting="Hello! I'm Pip.")
        opened = agent_threads.open_agent_thread(session, member, handle)
        assert opened.created
        [greeting] = messages.list_messages(session, member, opened.thread.id, cursor=None).items
        assert (greeting.text, greeting.ai_generated, greeting.sender_id) == (
            "Hello! I'm Pip.",
            True,
            agent.account_id,
        )
        again = agent_threads.open_agent_thread(session, member, handle)
        assert (again.thread.id, again.created) == (opened.thread.id, False)


def test_a_cards_greeting_names_the_agent_and_the_member(database: Database) -> None:
    """An imported card greets with ``{{char}}``/``{{user}}`` (or ``<BOT>``/``<USER>``): the
    member reads the two names, never the macros."""
    with database.session() as session:
        _, member, agent, handle = agent_with_member(
            session, name="Amara", greeting="Hi {{user}}, {{ char }} here. <USER>, ask <BOT>!"
        )
        member.display_name = "Sam"
        opened = agent_threads.open_agent_thread(session, member, handle)
        [greeting] = messages.list_messages(session, member, opened.thread.id, cursor=None).items
        assert greeting.text == "Hi Sam, Amara here. Sam, ask Amara!"
        assert agent.greeting.startswith("Hi {{user}}")  # the card keeps its macros


def test_an_agent_that_is_off_takes_no_new_threads(database: Database) -> None:
    with database.session() as session:
        owner, member, _, handle = agent_with_member(session, reply_mode="off")
        with pytest.raises(Forbidden, match="not taking messages"):
            agent_threads.open_agent_thread(session, member, handle)
        assert agent_threads.open_agent_thread(
            session, owner, handle
        ).created  # its owner can still test it


def test_a_member_message_needs_an_answer_once(database: Database) -> None:
    with database.session() as session:
        _, member, agent, handle = agent_with_member(session)
        thread = agent_threads.open_agent_thread(session, member, handle).thread
        sent, _ = messages.send_message(session, member, thread.id, "what do you grow?")
        assert agent_threads.who_answers(session, sent) is agent
        assert agent_threads.unanswered_messages(session) == [sent.id]
        reply = agent_threads.store_reply(session, agent, sent, "Tomatoes.", [])
        assert isinstance(reply, Message) and reply.ai_generated and reply.reply_to_id == sent.id
        assert agent_threads.who_answers(session, sent) is None
        assert (
            agent_threads.who_answers(session, reply) is None
        )  # the agent's own message needs no answer
        assert agent_threads.unanswered_messages(session) == []


def test_draft_mode_files_replies_for_the_owner(database: Database) -> None:
    with database.session() as session:
        owner, member, agent, handle = agent_with_member(session, reply_mode="drafts")
        thread = agent_threads.open_agent_thread(session, member, handle).thread
        sent, _ = messages.send_message(session, member, thread.id, "can we collab?")
        draft = agent_threads.store_reply(session, agent, sent, "Sure!", [{"chunk_id": 1}])
        assert isinstance(draft, AgentDraft) and draft.status == "pending"
        assert agent_threads.who_answers(session, sent) is None
        message = owner_inbox.approve_draft(
            session, owner, handle, draft.id, text="Sure, email me!"
        )
        assert (message.text, message.ai_generated, message.written_by_id) == (
            "Sure, email me!",
            True,
            owner.id,
        )
        assert draft.status == "sent" and draft.sent_message_id == message.id
        with pytest.raises(Conflict, match="already sent"):
            owner_inbox.discard_draft(session, owner, handle, draft.id)


def test_only_the_latest_member_message_of_a_thread_waits(database: Database) -> None:
    with database.session() as session:
        _, member, _, handle = agent_with_member(session)
        thread = agent_threads.open_agent_thread(session, member, handle).thread
        messages.send_message(session, member, thread.id, "one")
        last, _ = messages.send_message(session, member, thread.id, "two")
        assert agent_threads.unanswered_messages(session) == [last.id]


def test_an_answer_stored_while_its_outcome_is_read_is_never_read_as_silent(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process stores the reply between the reads of ``stored_outcome`` (the CI race:
    PostgreSQL showed the reply to the later read only, and the outcome came back ``silent``)."""
    with database.session() as session:
        _, member, agent, handle = agent_with_member(session)
        thread = agent_threads.open_agent_thread(session, member, handle).thread
        message_id = messages.send_message(session, member, thread.id, "what do you grow?")[0].id
        agent_id = agent.id
    read_who_answers = agent_threads.who_answers

    def answered_meanwhile(session: Session, message: Message) -> Agent | None:
        with database.session() as other:
            replier = other.get_one(Agent, agent_id)
            agent_threads.store_reply(
                other, replier, other.get_one(Message, message_id), "Tomatoes.", []
            )
        return read_who_answers(session, message)

    monkeypatch.setattr(agent_threads, "who_answers", answered_meanwhile)
    with database.session(writes=False) as session:
        outcome = agent_threads.stored_outcome(session, message_id)
    # SQLite reads one snapshot (still due: None); PostgreSQL sees the reply now stored.
    assert outcome is None or outcome.kind == "reply"
    with database.session() as session:
        stored = agent_threads.stored_outcome(session, message_id)
    assert stored is not None and stored.kind == "reply"
