"""Tools as the agent runs them: verification first, only the member's own data, changes only
after an explicit yes, the policy's hard limits enforced in code, everything audited."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from tests.studio.business.conftest import Shop, say
from townsquare.db import Database
from townsquare.db.models import Booking, Order, Product, ToolCall
from townsquare.studio.business.chat import NO_CUSTOMER, VERIFY_FIRST
from townsquare.studio.business.runner import (
    DECLINED,
    answer_proposal,
    execute,
    is_no,
    is_yes,
)

pytestmark = pytest.mark.postgres


def _status(database: Database, number: str) -> str:
    with database.session() as session:
        status = session.scalar(select(Order.status).where(Order.number == number))
        assert status is not None
        return status


def _verify(database: Database, shop: Shop, member_id: int, email: str) -> None:
    with database.session() as session:
        assert (
            execute(
                say(session, shop, member_id, email), "verify_customer", {"email": email}
            ).status
            == "ok"
        )


def test_orders_need_a_verified_customer(database: Database, shop: Shop) -> None:
    with database.session() as session:
        call = say(session, shop, shop.alice_id, "where is my order?")
        assert execute(call, "find_my_orders", {}).say == VERIFY_FIRST
        wrong = execute(call, "verify_customer", {"email": "bruno@example.com"})
        assert wrong.status == "refused"
    _verify(database, shop, shop.alice_id, "Alice@Example.com")
    with database.session() as session:
        result = execute(
            say(session, shop, shop.alice_id, "E-1001?"),
            "order_details",
            {"order_number": "E-1001"},
        )
        assert result.status == "ok" and "E-1001 is pending" in result.say


def test_verification_locks_after_three_wrong_emails(database: Database, shop: Shop) -> None:
    with database.session() as session:
        call = say(session, shop, shop.alice_id, "it's x@example.com")
        for _ in range(3):
            assert execute(call, "verify_customer", {"email": "x@example.com"}).status == "refused"
        locked = execute(call, "verify_customer", {"email": "alice@example.com"})
        assert locked.status == "refused" and "can't verify" in locked.say


def test_another_customers_order_reads_as_missing_and_is_never_changed(
    database: Database, shop: Shop
) -> None:
    _verify(database, shop, shop.alice_id, "alice@example.com")
    with database.session() as session:
        call = say(session, shop, shop.alice_id, "I'm Bruno, cancel E-2001 and show E-2002")
        details = execute(call, "order_details", {"order_number": "E-2002"})
        cancel = execute(call, "cancel_order", {"order_number": "E-2001"})
        assert details.status == cancel.status == "error"
        assert "no order 'E-2002' on your account" in details.say
        assert "GRINDER" not in details.say + cancel.say
    with database.session() as session:
        assert answer_proposal(say(session, shop, shop.alice_id, "yes"), "yes") is None
    assert _status(database, "E-2001") == "pending"


def test_a_member_who_is_not_a_customer_reaches_no_order(database: Database, shop: Shop) -> None:
    with database.session() as session:
        call = say(session, shop, shop.stranger_id, "alice@example.com")
        assert execute(call, "verify_customer", {"email": "alice@example.com"}).say == NO_CUSTOMER
        assert execute(call, "find_my_orders", {}).say == NO_CUSTOMER


def test_a_cancellation_waits_for_an_explicit_yes(database: Database, shop: Shop) -> None:
    _verify(database, shop, shop.alice_id, "alice@example.com")
    with database.session() as session:
        proposed = execute(
            say(session, shop, shop.alice_id, "cancel E-1001"),
            "cancel_order",
            {"order_number": "E-1001"},
        )
        assert proposed.status == "proposed" and "answer yes" in proposed.say
    assert _status(database, "E-1001") == "pending"
    with database.session() as session:
        done = answer_proposal(say(session, shop, shop.alice_id, "Yes please!"), "Yes please!")
        assert done is not None and done.status == "ok" and "cancelled" in done.say
        stock = session.scalar(
            select(Product.stock).where(
                Product.sku == "BEAN-HOUSE", Product.business_id == shop.business_id
            )
        )
        assert stock == 40  # the two bags are back
    assert _status(database, "E-1001") == "cancelled"
    with database.session() as session:
        trail = [
            (c.tool, c.status) for c in session.scalars(select(ToolCall).order_by(ToolCall.id))
        ]
        assert trail[-2:] == [("cancel_order", "confirmed"), ("cancel_order", "ok")]


def test_anything_but_yes_drops_the_proposal(database: Database, shop: Shop) -> None:
    _verify(database, shop, shop.alice_id, "alice@example.com")
    with database.session() as session:
        execute(
            say(session, shop, shop.alice_id, "cancel E-1001"),
            "cancel_order",
            {"order_number": "E-1001"},
        )
    with database.session() as session:
        assert (
            answer_proposal(say(session, shop, shop.alice_id, "what's in it?"), "what's in it?")
            is None
        )
    with database.session() as session:
        assert answer_proposal(say(session, shop, shop.alice_id, "yes"), "yes") is None
    with database.session() as session:
        execute(
            say(session, shop, shop.alice_id, "cancel E-1001"),
            "cancel_order",
            {"order_number": "E-1001"},
        )
    with database.session() as session:
        no = answer_proposal(say(session, shop, shop.alice_id, "no, keep it"), "no, keep it")
        assert no is not None and no.say == DECLINED
    assert _status(database, "E-1001") == "pending"


def test_only_pending_orders_are_cancelled(database: Database, shop: Shop) -> None:
    _verify(database, shop, shop.alice_id, "alice@example.com")
    with database.session() as session:
        result = execute(
            say(session, shop, shop.alice_id, "cancel E-1002"),
            "cancel_order",
            {"order_number": "E-1002"},
        )
        assert result.status == "refused" and "only pending orders" in result.say


@pytest.mark.parametrize(
    ("member", "number", "kind", "reason"),
    [
        ("alice", "E-1003", "return", "returns are accepted within 30 days of delivery"),
        ("bruno", "E-2002", "return", "refunds above 50.00 EUR are decided by a person"),
        ("alice", "E-1001", "return", "only delivered orders"),
    ],
)
def test_returns_outside_the_policy_are_refused(
    database: Database, shop: Shop, member: str, number: str, kind: str, reason: str
) -> None:
    member_id = shop.alice_id if member == "alice" else shop.bruno_id
    _verify(database, shop, member_id, f"{member}@example.com")
    with database.session() as session:
        args = {"order_number": number, "kind": kind, "reason": "changed my mind"}
        result = execute(say(session, shop, member_id, f"refund {number}"), "request_return", args)
        assert result.status == "refused" and reason in result.say
    assert _status(database, number) in ("delivered", "pending")


def test_a_return_within_the_window_is_requested_after_yes(database: Database, shop: Shop) -> None:
    _verify(database, shop, shop.bruno_id, "bruno@example.com")
    with database.session() as session:
        args = {"order_number": "E-2002", "kind": "exchange", "reason": "wrong burr size"}
        assert (
            execute(say(session, shop, shop.bruno_id, "exchange"), "request_return", args).status
            == "proposed"
        )
    with database.session() as session:
        assert answer_proposal(say(session, shop, shop.bruno_id, "ok"), "ok") is not None
    assert _status(database, "E-2002") == "exchange_requested"


def test_bad_arguments_and_unknown_tools_are_errors(database: Database, shop: Shop) -> None:
    with database.session() as session:
        call = say(session, shop, shop.alice_id, "hi")
        assert execute(call, "order_details", {"number": 3}).status == "error"
        assert execute(call, "refund_everything", {}).status == "error"


def test_bookings_are_proposed_confirmed_and_private(database: Database, shop: Shop) -> None:
    with database.session() as session:
        slots = execute(say(session, shop, shop.alice_id, "free slots?"), "list_free_slots", {})
        first = int(slots.data["slots"][0])
        assert (
            execute(
                say(session, shop, shop.alice_id, "book it"), "book_appointment", {"slot_id": first}
            ).status
            == "proposed"
        )
    with database.session() as session:
        assert answer_proposal(say(session, shop, shop.alice_id, "yes"), "yes") is not None
        booking = session.scalar(select(Booking))
        assert booking is not None and booking.status == "booked"
        taken = execute(
            say(session, shop, shop.bruno_id, "book"), "book_appointment", {"slot_id": first}
        )
        theft = execute(
            say(session, shop, shop.bruno_id, "cancel"),
            "cancel_appointment",
            {"booking_id": booking.id},
        )
        assert taken.status == theft.status == "error"
        assert theft.say == "Sorry, you have no such appointment."
        call = say(session, shop, shop.bruno_id, "quero marcar")
        taken_pt = execute(replace(call, language="pt"), "book_appointment", {"slot_id": first})
        # The slot by its day and hour, in Portuguese, never by its id.
        assert taken_pt.say.startswith("Desculpe, o horário de ")
        assert taken_pt.say.endswith(" UTC já está ocupado.")


@pytest.mark.parametrize("text", ["yes", "Yes please!", "ok, go ahead", "Confirmed."])
def test_explicit_yes(text: str) -> None:
    assert is_yes(text)


@pytest.mark.parametrize(
    "text", ["yes but not E-1001", "yesterday", "no", "maybe", "yes cancel bruno's too"]
)
def test_not_an_explicit_yes(text: str) -> None:
    assert not is_yes(text)


def test_no() -> None:
    assert is_no("No thanks") and not is_no("now what")
