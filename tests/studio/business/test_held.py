"""An agent whose replies are drafts changes nothing before its owner approves the draft:
read-only tools run, a change (a ticket, a booking) waits as ``held``; approving the draft does
it and sends what came of it, discarding or taking over drops it."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.studio.business.conftest import Shop
from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Account, Agent, AgentDraft, Booking, Ticket, ToolCall
from townsquare.settings import Settings
from townsquare.social import messages
from townsquare.studio import owner_inbox
from townsquare.studio.business import appointments
from townsquare.studio.conversation.types import Outcome
from townsquare.studio.dm import agent_threads
from townsquare.studio.dm.answering import answer


def _action(tool: str, **arguments: object) -> str:
    return json.dumps({"action": {"tool": tool, "arguments": arguments}})


def _drafts_mode(database: Database, shop: Shop) -> int:
    """Switches the shop's agent to drafts; returns the id of the first free slot."""
    with database.session() as session:
        agent = session.get(Agent, shop.agent_id)
        assert agent is not None
        agent.reply_mode = "drafts"
        return appointments.free_slots(session, shop.business_id)[0].id


def _write(database: Database, models: Models, shop: Shop, text: str) -> Outcome:
    with database.session() as session:
        alice = session.get(Account, shop.alice_id)
        assert alice is not None
        thread = agent_threads.open_agent_thread(session, alice, shop.agent_handle).thread
        message, _ = messages.send_message(session, alice, thread.id, text)
    return answer(database, models, message.id, lambda _event: None)


def _decide(database: Database, shop: Shop, outcome: Outcome, *, approve: bool) -> str:
    """The owner approves or discards the draft; the text the customer got (or "")."""
    assert outcome.kind == "draft" and outcome.draft_id is not None
    with database.session() as session:
        owner = session.get(Account, shop.business_id)
        assert owner is not None
        if not approve:
            owner_inbox.discard_draft(session, owner, shop.agent_handle, outcome.draft_id)
            return ""
        return owner_inbox.approve_draft(session, owner, shop.agent_handle, outcome.draft_id).text


def _statuses(database: Database, tool: str) -> list[str]:
    with database.session() as session:
        return list(
            session.scalars(select(ToolCall.status).where(ToolCall.tool == tool).order_by("id"))
        )


def _models(settings: Settings, *replies: str) -> Models:
    return Models(settings, chat=FakeChatModel(list(replies)), embedder=FakeEmbedder())


def test_a_ticket_is_opened_only_when_the_owner_approves(
    database: Database, settings: Settings, shop: Shop
) -> None:
    _drafts_mode(database, shop)
    models = _models(settings, _action("open_ticket", subject="wrapping", details="gift wrap"))
    outcome = _write(database, models, shop, "Please note I want gift wrapping")
    with database.session() as session:
        draft = session.get(AgentDraft, outcome.draft_id)
        assert draft is not None and "Waits for your approval: open_ticket" in draft.text
        assert session.scalars(select(Ticket)).all() == []
    assert _statuses(database, "open_ticket") == ["held"]
    sent = _decide(database, shop, outcome, approve=True)
    with database.session() as session:
        [ticket] = session.scalars(select(Ticket)).all()
    assert sent.endswith(f"I've opened ticket {ticket.id} for you; the team will follow up.")
    assert "Waits for your approval" not in sent
    assert _statuses(database, "open_ticket") == ["approved", "ok"]


def test_a_confirmed_booking_waits_for_the_owner_and_a_discard_drops_it(
    database: Database, settings: Settings, shop: Shop
) -> None:
    slot_id = _drafts_mode(database, shop)
    models = _models(settings, _action("book_appointment", slot_id=slot_id))
    question = _write(database, models, shop, f"Please book slot {slot_id}")
    assert "Please answer yes" in _decide(database, shop, question, approve=True)
    held = _write(database, models, shop, "yes")
    with database.session() as session:
        assert session.scalars(select(Booking)).all() == []
    assert _statuses(database, "book_appointment") == ["confirmed", "held"]
    _decide(database, shop, held, approve=False)
    assert _statuses(database, "book_appointment") == ["confirmed", "discarded"]
    with database.session() as session:
        assert session.scalars(select(Booking)).all() == []
        draft = session.get(AgentDraft, held.draft_id)
        assert draft is not None and draft.status == "discarded"


def test_an_approved_booking_is_made_and_the_customer_reads_the_result(
    database: Database, settings: Settings, shop: Shop
) -> None:
    slot_id = _drafts_mode(database, shop)
    models = _models(settings, _action("book_appointment", slot_id=slot_id))
    _decide(database, shop, _write(database, models, shop, f"Book slot {slot_id}"), approve=True)
    sent = _decide(database, shop, _write(database, models, shop, "yes please"), approve=True)
    with database.session() as session:
        [booking] = session.scalars(select(Booking)).all()
    assert booking.slot_id == slot_id and booking.status == "booked"
    assert "Booked: Home brewing class on " in sent


def test_taking_over_drops_a_held_change_and_an_unseen_question(
    database: Database, settings: Settings, shop: Shop
) -> None:
    slot_id = _drafts_mode(database, shop)
    models = _models(settings, _action("book_appointment", slot_id=slot_id))
    question = _write(database, models, shop, f"Book slot {slot_id}")
    with database.session() as session:
        owner = session.get(Account, shop.business_id)
        draft = session.get(AgentDraft, question.draft_id)
        assert owner is not None and draft is not None
        owner_inbox.take_over(session, owner, shop.agent_handle, draft.thread_id)
    assert _statuses(database, "book_appointment") == ["declined"]


def test_read_only_tools_run_before_the_owner_approves(
    database: Database, settings: Settings, shop: Shop
) -> None:
    _drafts_mode(database, shop)
    outcome = _write(database, _models(settings, _action("list_free_slots")), shop, "Free slots?")
    with database.session() as session:
        draft = session.get(AgentDraft, outcome.draft_id)
        assert draft is not None and "Free slots: " in draft.text
    assert _statuses(database, "list_free_slots") == ["ok"]
