"""The business turn: when the agent introduces itself as automated, and what a model's reply
or a hand-over becomes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.studio.business.conftest import Shop, say
from tests.studio.business.test_policy_meaning import MeaningByWords
from townsquare.ai.fake import FakeChatModel
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Agent, AppointmentSlot, Message, Order, Ticket
from townsquare.db.types import utcnow
from townsquare.settings import Settings
from townsquare.studio.business import appointments, policy, wording
from townsquare.studio.business.turn import BusinessTurn, needs_introduction, run_business_turn
from townsquare.studio.business.wording import Language, moment, slot_line, slot_lines
from townsquare.studio.conversation.memory import Turn
from townsquare.studio.conversation.persona import persona_from_agent
from townsquare.studio.conversation.types import Reply


def _message(sender: int, minutes_ago: float, *, reply: bool) -> Message:
    return Message(
        thread_id=1,
        sender_id=sender,
        text="x",
        reply_to_id=1 if reply else None,
        created_at=utcnow() - timedelta(minutes=minutes_ago),
    )


def test_the_agent_introduces_itself_first_and_after_a_long_gap() -> None:
    agent, member = 10, 20
    now = utcnow()
    assert needs_introduction([], agent, now)
    assert needs_introduction([_message(agent, 5, reply=False)], agent, now)  # only a greeting
    recent = [_message(member, 10, reply=False), _message(agent, 9, reply=True)]
    assert not needs_introduction(recent, agent, now)
    stale = [_message(member, 26 * 60, reply=False), _message(agent, 25 * 60, reply=True)]
    assert needs_introduction(stale, agent, now)


@pytest.mark.parametrize(
    "message",
    [
        "I want to complain about my last order.",
        "Can I talk to a real person?",
        "let me speak with the manager",
        "human please",
    ],
)
def test_a_request_for_a_person_is_handed_over_whatever_the_model_says(
    database: Database, settings: Settings, shop: Shop, message: str
) -> None:
    chatty = FakeChatModel([json.dumps({"action": {"tool": "reply", "text": "I can help!"}})])
    with database.session() as session:
        call = say(session, shop, shop.alice_id, message)
        agent = session.get(Agent, shop.agent_id)
        assert agent is not None
        turn = BusinessTurn(
            agent_id=shop.agent_id,
            thread_id=call.thread_id,
            message_id=call.message_id,
            member_id=shop.alice_id,
            persona=persona_from_agent(session, agent),
            message=message,
            history=[Turn("member", "Where is my mug?"), Turn("agent", "Which order?")],
            introduce=False,
        )
    *_, reply = run_business_turn(database, Models(settings, chat=chatty), turn)
    assert isinstance(reply, Reply) and "passing this conversation to a person" in reply.text
    assert chatty.requests == []  # settled without the model
    with database.session() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.thread_id == call.thread_id)).one()
    assert ticket.kind == "handoff"
    assert ticket.body.startswith("The customer asked for a person")
    assert "Where is my mug?" in ticket.body and message in ticket.body


def test_a_looping_plain_reply_is_cut_before_the_customer_sees_it(
    database: Database, settings: Settings, shop: Shop
) -> None:
    looping = "Happy to help! We love what we do. We love what we do. We love what we do."
    chatty = FakeChatModel([json.dumps({"action": {"tool": "reply", "text": looping}})])
    with database.session() as session:
        call = say(session, shop, shop.alice_id, "How is your day going?")
        agent = session.get(Agent, shop.agent_id)
        assert agent is not None
        turn = BusinessTurn(
            agent_id=shop.agent_id,
            thread_id=call.thread_id,
            message_id=call.message_id,
            member_id=shop.alice_id,
            persona=persona_from_agent(session, agent),
            message="How is your day going?",
            history=[],
            introduce=False,
        )
    *_, reply = run_business_turn(database, Models(settings, chat=chatty), turn)
    assert isinstance(reply, Reply)
    assert reply.text == "Happy to help! We love what we do."


def test_a_malformed_call_never_shows_the_customer_its_technical_error(
    database: Database, settings: Settings, shop: Shop
) -> None:
    # A server's native call to a tool that does not exist, or off its schema, every time.
    wrong = [
        json.dumps({"action": {"tool": "order_details", "arguments": {"order": 7}}}),
        json.dumps({"action": {"tool": "track_parcel", "arguments": {}}}),
    ]
    message = "Dov'è il mio pacco"
    with database.session() as session:
        call = say(session, shop, shop.alice_id, message)
        agent = session.get(Agent, shop.agent_id)
        assert agent is not None
        turn = BusinessTurn(
            agent_id=shop.agent_id,
            thread_id=call.thread_id,
            message_id=call.message_id,
            member_id=shop.alice_id,
            persona=persona_from_agent(session, agent),
            message=message,
            history=[],
            introduce=False,
        )
    *_, reply = run_business_turn(database, Models(settings, chat=FakeChatModel(wrong)), turn)
    assert isinstance(reply, Reply)
    assert reply.text == (
        "Mi scusi, non ho capito. Posso cercare nel nostro catalogo, controllare i suoi ordini,"
        " prenotare appuntamenti o passarla a una persona del team."
    )


def _answer(
    database: Database,
    settings: Settings,
    shop: Shop,
    message: str,
    history: Sequence[Turn] = (),
) -> str:
    silent = FakeChatModel([json.dumps({"action": {"tool": "reply", "text": "Hello!"}})])
    with database.session() as session:
        call = say(session, shop, shop.alice_id, message)
        agent = session.get(Agent, shop.agent_id)
        assert agent is not None
        turn = BusinessTurn(
            agent_id=shop.agent_id,
            thread_id=call.thread_id,
            message_id=call.message_id,
            member_id=shop.alice_id,
            persona=persona_from_agent(session, agent),
            message=message,
            history=list(history),
            introduce=False,
        )
    *_, reply = run_business_turn(database, Models(settings, chat=silent), turn)
    assert isinstance(reply, Reply) and silent.requests == []  # settled without the model
    return reply.text


def test_each_order_a_message_names_is_answered(
    database: Database, settings: Settings, shop: Shop
) -> None:
    text = _answer(
        database, settings, shop, "alice@example.com: is E-1001 on its way, and did E-1002 arrive?"
    )
    assert text.startswith("Thanks Alice Moreau, you're verified. Order E-1001 is pending")
    assert "Order E-1002 is delivered" in text


def test_a_service_asked_for_on_a_day_is_a_booking_and_the_next_one_a_free_slot(
    database: Database, settings: Settings, shop: Shop
) -> None:
    with database.session() as session:
        first, second = appointments.free_slots(session, shop.business_id)[:2]
    day = f"{second.starts_at.day} {second.starts_at:%B}"
    text = _answer(database, settings, shop, f"Could I join a home brewing class on {day}?")
    assert text.startswith(f"Shall I book Home brewing class on {moment('en', second.starts_at)}")
    text = _answer(database, settings, shop, "When's your earliest home brewing class?")
    assert text.startswith(f"Free slots: {slot_line('en', first)}; ")
    assert "slot " not in text.lower()  # no "slot 4": a free time by its day and hour


def _offer(slots: Sequence[AppointmentSlot], language: Language = "en") -> Turn:
    """The agent's reply that offered ``slots``, as ``list_free_slots`` writes it."""
    return Turn("agent", wording.say(language, "free_slots", lines=slot_lines(language, slots)))


def test_a_time_the_agent_offered_is_taken_by_its_place_or_its_hour(
    database: Database, settings: Settings, shop: Shop
) -> None:
    with database.session() as session:
        free = appointments.free_slots(session, shop.business_id)[:3]
    asked = [Turn("member", "When could I come to a class?"), _offer(free)]
    text = _answer(database, settings, shop, "I'll take the second one", asked)
    assert text.startswith(f"Shall I book {free[1].service} on {moment('en', free[1].starts_at)}")
    in_french = [Turn("member", "Quand puis-je venir ?"), _offer(free, "fr")]
    text = _answer(database, settings, shop, "la dernière, s'il vous plaît", in_french)
    assert text.startswith(f"Voulez-vous que je réserve un rendez-vous ({free[2].service}) le ")
    assert moment("fr", free[2].starts_at) in text


def test_a_time_taken_after_asking_to_move_moves_the_booking(
    database: Database, settings: Settings, shop: Shop
) -> None:
    with database.session() as session:
        free = appointments.free_slots(session, shop.business_id)[:4]
        customer = say(session, shop, shop.alice_id, "hi").customer
        assert customer is not None
        appointments.book(session, customer, free[0].id)
    asked = [Turn("member", "Can I move my brewing class?"), _offer(free[1:])]
    text = _answer(database, settings, shop, "the last one", asked)
    was, to = moment("en", free[0].starts_at), moment("en", free[3].starts_at)
    assert text.startswith(f"Shall I move your {free[3].service} from {was} to {to}?")


def test_a_move_a_day_later_or_to_a_time_that_is_not_free(
    database: Database, settings: Settings, shop: Shop
) -> None:
    with database.session() as session:
        free = appointments.free_slots(session, shop.business_id)[:3]
        customer = say(session, shop, shop.alice_id, "hi").customer
        assert customer is not None
        appointments.book(session, customer, free[0].id)
    text = _answer(database, settings, shop, "Could my brewing class be a day later?")
    was, to = moment("en", free[0].starts_at), moment("en", free[1].starts_at)
    assert text.startswith(f"Shall I move your Home brewing class from {was} to {to}?")
    text = _answer(database, settings, shop, "Can my class start two hours later?")
    assert text.startswith("That time is not free. Which slot would you like? Free slots: ")
    with database.session() as session:
        assert appointments.customer_bookings(session, customer)[0].slot_id == free[0].id


def test_two_bookings_and_a_move_to_the_day_of_one_asks_which(
    database: Database, settings: Settings, shop: Shop
) -> None:
    with database.session() as session:
        first, second = appointments.free_slots(session, shop.business_id)[:2]
        customer = say(session, shop, shop.alice_id, "hi").customer
        assert customer is not None
        appointments.book(session, customer, first.id)
        appointments.book(session, customer, second.id)
        later = appointments.add_slot(
            session,
            shop.business_id,
            second.starts_at + timedelta(hours=6),
            service="Home brewing class",
        )
    day = f"{later.starts_at.day} {later.starts_at:%B} at {later.starts_at:%H:%M}"
    text = _answer(database, settings, shop, f"Please move my brewing class to {day}.")
    assert text == f"Which appointment do you mean? Yours: {slot_lines('en', [first, second])}."


def test_a_customer_asking_when_their_appointment_is_is_told_once_verified(
    database: Database, settings: Settings, shop: Shop
) -> None:
    with database.session() as session:
        first, second = appointments.free_slots(session, shop.business_id)[:2]
        customer = say(session, shop, shop.alice_id, "hi").customer
        assert customer is not None
        appointments.book(session, customer, second.id)
    text = _answer(database, settings, shop, "Hoe laat was mijn les ook alweer?")
    assert text.startswith("Voordat ik u")  # verification first, as for orders
    text = _answer(database, settings, shop, "alice@example.com - when is my class again?")
    assert text.endswith(f"Your appointments: {slot_line('en', second)}.")
    assert moment("en", first.starts_at) not in text  # theirs, not the catalog's next one


def test_a_final_sale_rule_in_the_owners_own_words_is_kept_from_the_first_turn(
    database: Database, settings: Settings, shop: Shop
) -> None:
    rule = "Oak mugs: once it's yours, it stays yours."
    with database.session() as session:
        policy.set_policy(session, shop.business_id, f"Returns within 30 days. {rule}")
        message = "alice@example.com: please return order E-1002, the mug"
        call = say(session, shop, shop.alice_id, message)
        agent = session.get_one(Agent, shop.agent_id)
        turn = BusinessTurn(
            agent_id=shop.agent_id,
            thread_id=call.thread_id,
            message_id=call.message_id,
            member_id=shop.alice_id,
            persona=persona_from_agent(session, agent),
            message=message,
            history=[],
            introduce=False,
        )
    silent = FakeChatModel([json.dumps({"action": {"tool": "reply", "text": "Hello!"}})])
    models = Models(settings, chat=silent, embedder=MeaningByWords())
    *_, reply = run_business_turn(database, models, turn)
    assert isinstance(reply, Reply)
    assert f'Oak stoneware mug cannot be returned or exchanged: our policy says "{rule}"' in (
        reply.text
    )
    with database.session() as session:
        assert session.scalars(select(Order.status).where(Order.number == "E-1002")).one() == (
            "delivered"
        )
