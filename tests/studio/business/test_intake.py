"""What a business turn settles before the model: a verification with the request in the same
message, the request a verification held up, a yes in the customer's language, discounts,
requests for a person and refunds the policy leaves to one."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from sqlalchemy import select

from tests.studio.business.conftest import Shop, say
from townsquare.ai.fake import FakeChatModel
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Agent, Order, Ticket
from townsquare.settings import Settings
from townsquare.studio.business.chat import VERIFY_FIRST
from townsquare.studio.business.intake import WANTS_A_DISCOUNT, WANTS_A_PERSON, without_email
from townsquare.studio.business.turn import BusinessTurn, run_business_turn
from townsquare.studio.business.wording import say as told
from townsquare.studio.conversation.memory import Turn
from townsquare.studio.conversation.persona import persona_from_agent
from townsquare.studio.conversation.types import Reply

pytestmark = pytest.mark.postgres


def _action(tool: str, **arguments: object) -> str:
    return json.dumps({"action": {"tool": tool, "arguments": arguments}})


def _turn(database: Database, settings: Settings, shop: Shop, model: FakeChatModel, text: str,
          member_id: int | None = None, history: Sequence[Turn] = ()) -> str:  # fmt: skip
    return _reply(database, settings, shop, model, text, member_id, history).text


def _reply(database: Database, settings: Settings, shop: Shop, model: FakeChatModel, text: str,
           member_id: int | None = None, history: Sequence[Turn] = ()) -> Reply:  # fmt: skip
    with database.session() as session:
        call = say(session, shop, member_id or shop.alice_id, text)
        agent = session.get(Agent, shop.agent_id)
        assert agent is not None and call.message_id is not None
        turn = BusinessTurn(
            agent_id=shop.agent_id,
            thread_id=call.thread_id,
            message_id=call.message_id,
            member_id=member_id or shop.alice_id,
            persona=persona_from_agent(session, agent),
            message=text,
            history=history,
            introduce=False,
        )
    *_, reply = run_business_turn(database, Models(settings, chat=model), turn)
    assert isinstance(reply, Reply)
    return reply


def _status(database: Database, number: str) -> str:
    with database.session() as session:
        status = session.scalar(select(Order.status).where(Order.number == number))
        assert status is not None
        return status


def test_the_request_in_the_verifying_message_is_answered_after_it(
    database: Database, settings: Settings, shop: Shop
) -> None:
    # A cancellation needs no model; the order is the one the customer wrote.
    model = FakeChatModel([_action("cancel_order", order_number="A-7")])
    text = _turn(
        database, settings, shop, model, "Please cancel order E-1001, my email is alice@example.com"
    )
    assert text.startswith("Thanks Alice Moreau, you're verified. Do you want me to cancel order")
    assert "E-1001" in text and "answer yes" in text
    assert model.requests == []
    # A yes in Portuguese is answered in Portuguese.
    assert _turn(database, settings, shop, model, "Sim, por favor").startswith(
        "Feito: a encomenda E-1001 está cancelada"
    )
    assert _status(database, "E-1001") == "cancelled"


def test_the_request_a_verification_held_up_is_carried_over(
    database: Database, settings: Settings, shop: Shop
) -> None:
    model = FakeChatModel([_action("cancel_order", order_number="E-1001")])
    assert _turn(database, settings, shop, model, "Cancel my order E-1001") == VERIFY_FIRST
    asked = len(model.requests)
    text = _turn(database, settings, shop, model, "alice@example.com")
    assert "you're verified. Do you want me to cancel order E-1001" in text
    assert len(model.requests) == asked  # carried over without the model
    assert _turn(database, settings, shop, model, "oui").startswith("Done: order E-1001")
    assert _status(database, "E-1001") == "cancelled"


def test_a_wrong_email_leaves_the_request_undone(
    database: Database, settings: Settings, shop: Shop
) -> None:
    model = FakeChatModel([_action("cancel_order", order_number="E-2001")])
    text = _turn(database, settings, shop, model, "I'm Bruno, cancel E-2001. bruno@example.com")
    assert text == "That email does not match our records, so I can't verify you yet."
    assert model.requests == [] and _status(database, "E-2001") == "pending"


@pytest.mark.parametrize(
    ("message", "rest"),
    [
        ("my email is sam@mail.com", ""),
        ("Hi, it's sam@mail.com, thanks", ""),
        ("mon email est sam@mail.com", ""),
        ("Please cancel E-1001, my email is sam@mail.com", "Please cancel E-1001"),
        ("Onde está o pedido E-1001? O meu email é sam@mail.com", "Onde está o pedido E-1001?"),
    ],
)
def test_what_is_left_of_a_message_besides_the_email(message: str, rest: str) -> None:
    assert without_email(message, "sam@mail.com") == rest


def test_a_discount_is_refused_with_the_policys_reason(
    database: Database, settings: Settings, shop: Shop
) -> None:
    model = FakeChatModel([_action("transfer_to_human", summary="wants a discount")])
    text = _turn(database, settings, shop, model, "Can I get 20% off my next order?")
    assert text == (
        "I'm sorry, I can't give discounts or change prices: our policy says"
        ' "Never give discounts or free items."'
    )
    assert model.requests == []


def test_a_refund_above_the_limit_is_handed_to_a_person_with_a_ticket(
    database: Database, settings: Settings, shop: Shop
) -> None:
    model = FakeChatModel(
        [_action("request_return", order_number="E-2002", kind="return", reason="refund")]
    )
    _turn(database, settings, shop, model, "bruno@example.com", shop.bruno_id)
    reply = _reply(database, settings, shop, model, "Please refund order E-2002", shop.bruno_id)
    text = reply.text
    assert reply.transferred  # the DM layer hands the thread to the owner
    assert text.startswith(
        "I'm sorry, I can't do that myself: refunds above 50.00 EUR are decided by a person"
    )
    assert text.endswith("a person from our team, who will answer you here.")
    with database.session() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.kind == "handoff")).one()
        assert "order E-2002 comes to 65.00 EUR" in ticket.body
        assert "Please refund order E-2002" in ticket.body
    assert _status(database, "E-2002") == "delivered"


@pytest.mark.parametrize(
    "message",
    [
        "I want to complain about my last order.",
        "Can I talk to a real person?",
        "Quero fazer uma reclamação",
        "Ich habe eine Beschwerde",
        "Quiero hablar con una persona, por favor.",
        "Ich möchte mit einem Menschen sprechen",
        "Could a mechanic call me back? My gears slip.",
        "Could someone from the salon ring me? My dog is nervous.",
        "Please call me about the booking",
        "Can I speak to a person?",
        "I'd like to talk to someone about my order",
    ],
)
def test_a_request_for_a_person_is_recognised(message: str) -> None:
    assert WANTS_A_PERSON.search(message) is not None


@pytest.mark.parametrize(
    "message", ["Is the oak board a good present for a person who cooks?", "Hi team!"]
)
def test_an_ordinary_message_is_not_a_request_for_a_person(message: str) -> None:
    assert WANTS_A_PERSON.search(message) is None


def test_a_discount_asked_with_the_email_is_refused_after_the_verification(
    database: Database, settings: Settings, shop: Shop
) -> None:
    model = FakeChatModel([json.dumps({"action": {"tool": "reply", "text": "Sure, 50% off!"}})])
    text = _turn(
        database, settings, shop, model, "My email is alice@example.com, I want 50% off E-1001"
    )
    assert text.startswith(
        "Thanks Alice Moreau, you're verified. I'm sorry, I can't give discounts"
    )
    assert model.requests == []


@pytest.mark.parametrize(
    "message",
    ["Bike Planet sells it for 45 euros, can you match that?", "Do you price-match?", "20% off?"],
)
def test_a_price_match_is_a_discount_request(message: str) -> None:
    assert WANTS_A_DISCOUNT.search(message) is not None


@pytest.mark.parametrize(
    "message",
    [
        "Would you do the pair of mugs for 50?",
        "Can you knock a few euros off the grinder?",
        "Any chance of a better price if I take three bags?",
        "¿Me lo dejas en 30 euros?",
        "Lassen Sie mir beide für 80 Euro?",
        "Me faites-vous les deux pour 60 euros ?",
        "Czy dostanę rabat na młynek?",
        "C'è uno sconto per gli studenti?",
    ],
)
def test_bargaining_in_any_wording_is_a_discount_request(message: str) -> None:
    assert WANTS_A_DISCOUNT.search(message) is not None


@pytest.mark.parametrize(
    "message",
    [
        "Do you have a cheaper grinder?",  # the catalog's to answer
        "Can I take the oak mug for a picnic?",
        "I paid 30 euros for the beans last week",
        "Do you do delivery for 5 euros?",
    ],
)
def test_a_budget_or_a_price_paid_is_no_bargain(message: str) -> None:
    assert WANTS_A_DISCOUNT.search(message) is None


def test_a_bare_yes_with_nothing_waiting_is_told_what_is_still_needed(
    database: Database, settings: Settings, shop: Shop
) -> None:
    model = FakeChatModel([_action("transfer_to_human", summary="yes")])
    asked = _turn(database, settings, shop, model, "I'd like to cancel order E-1001")
    assert asked == VERIFY_FIRST
    history = [Turn("member", "I'd like to cancel order E-1001"), Turn("agent", asked)]
    text = _turn(database, settings, shop, model, "Yes!", history=history)
    assert text == f"{told('en', 'nothing_to_confirm')} {VERIFY_FIRST}"
    # A bare no changes nothing either; neither reaches the model.
    assert _turn(database, settings, shop, model, "no thanks", history=history) == told(
        "en", "declined"
    )
    assert model.requests == [] and _status(database, "E-1001") == "pending"


def test_a_yes_after_a_refusal_confirms_nothing_and_hands_nothing_over(
    database: Database, settings: Settings, shop: Shop
) -> None:
    model = FakeChatModel([_action("transfer_to_human", summary="yes")])
    _turn(database, settings, shop, model, "alice@example.com")
    refused = _turn(database, settings, shop, model, "I want to return order E-1003")
    assert refused.startswith("I'm sorry, I can't do that: returns are accepted within")
    history = [Turn("member", "I want to return order E-1003"), Turn("agent", refused)]
    reply = _reply(database, settings, shop, model, "sí, por favor", history=history)
    assert reply.text == told("es", "nothing_to_confirm") and not reply.transferred
    assert model.requests == [] and _status(database, "E-1003") == "delivered"
