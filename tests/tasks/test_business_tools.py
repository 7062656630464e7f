"""The business tools as intent actions: they act only for the member's own customer record,
keep the business's verification rule, ask before a change, change once per idempotency key, and
land in the business's audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.studio.business.conftest import Shop, make_shop, say
from tests.utils.factories import make_account
from townsquare.db import Database
from townsquare.db.models import Account, Order, OrderEvent, ToolCall
from townsquare.errors import InvalidInput, NotFound
from townsquare.studio.business.chat import NO_CUSTOMER, VERIFY_FIRST
from townsquare.studio.business.runner import execute
from townsquare.tasks import intent_tools
from townsquare.tasks.business_tools import businesses_of
from townsquare.tasks.intent_tools import IntentContext
from townsquare.tasks.intents import create_intent


@pytest.fixture
def shop(database: Database) -> Shop:
    return make_shop(database)


def _run(session: Session, member_id: int, name: str, args: dict[str, object], key: str) -> dict:
    member = session.get(Account, member_id)
    assert member is not None
    intent = create_intent(session, member, "sort out my order")
    return intent_tools.execute(
        IntentContext(session, member, intent), {"name": name, "args": args}, key
    )


def _order(session: Session, number: str) -> Order:
    order = session.scalar(select(Order).where(Order.number == number))
    assert order is not None
    return order


def test_changes_ask_first_and_reads_do_not() -> None:
    assert intent_tools.get("business_cancel_order").needs_approval
    assert intent_tools.get("business_cancel_order").side_effect
    assert not intent_tools.get("business_order_details").needs_approval
    assert not intent_tools.get("business_search_catalog").side_effect
    with pytest.raises(InvalidInput, match="no action named 'business_verify_customer'"):
        intent_tools.get("business_verify_customer")


def test_a_customer_cancels_an_order_once_after_verifying(database: Database, shop: Shop) -> None:
    args = {"business": f"@{shop.agent_handle}", "order_number": "E-1001"}
    with database.session() as session:
        refused = _run(session, shop.alice_id, "business_cancel_order", args, "k-early")
        assert refused == {"status": "refused", "say": VERIFY_FIRST}
        assert _order(session, "E-1001").status == "pending"
    with database.session() as session:  # as the business's policy asks, in her thread with it
        assert (
            execute(
                say(session, shop, shop.alice_id, "alice@example.com"),
                "verify_customer",
                {"email": "alice@example.com"},
            ).status
            == "ok"
        )
    with database.session() as session:
        done = _run(session, shop.alice_id, "business_cancel_order", args, "k-cancel")
        assert done["status"] == "ok" and "E-1001 is cancelled" in done["say"]
    with database.session() as session:  # the step replayed after a crash: nothing again
        again = _run(session, shop.alice_id, "business_cancel_order", args, "k-cancel")
        assert again == done
        assert _order(session, "E-1001").status == "cancelled"
        order_id = _order(session, "E-1001").id
        events = select(func.count()).where(
            OrderEvent.order_id == order_id, OrderEvent.kind == "cancelled"
        )
        assert session.scalar(events) == 1
        audited = session.scalars(
            select(ToolCall.status).where(ToolCall.tool == "cancel_order").order_by(ToolCall.id)
        )
        assert list(audited) == ["refused", "confirmed", "ok"]  # the approval stood for the yes


def test_a_member_reaches_only_their_own_orders(database: Database, shop: Shop) -> None:
    with database.session() as session:
        result = _run(
            session,
            shop.stranger_id,
            "business_cancel_order",
            {"business": shop.agent_handle, "order_number": "E-1001"},
            "k-stranger",
        )
        assert result == {"status": "refused", "say": NO_CUSTOMER}
        assert _order(session, "E-1001").status == "pending"
        catalog = _run(
            session,
            shop.stranger_id,
            "business_search_catalog",
            {"business": shop.agent_handle, "query": "bean"},
            "k-read",
        )
        assert catalog["status"] == "ok" and catalog["skus"]


def test_only_a_business_agent_by_a_known_handle(database: Database, shop: Shop) -> None:
    with database.session() as session, pytest.raises(NotFound):
        _run(session, shop.alice_id, "business_list_free_slots", {"business": "@nobody"}, "k")
    bad = pytest.raises(InvalidInput, match="bad arguments for business_order_details")
    with database.session() as session, bad:
        _run(session, shop.alice_id, "business_order_details", {"business": "@x"}, "k")


def test_planning_offers_the_businesses_a_member_owns_or_buys_from(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        alice, owner, stranger = (
            session.get(Account, i) for i in (shop.alice_id, shop.business_id, shop.stranger_id)
        )
        assert alice is not None and owner is not None and stranger is not None
        assert businesses_of(session, alice) == [f"@{shop.agent_handle} (you are a customer)"]
        assert businesses_of(session, owner) == [f"@{shop.agent_handle} (yours)"]
        assert businesses_of(session, stranger) == []
        assert businesses_of(session, make_account(session)) == []
