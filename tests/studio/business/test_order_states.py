"""An order's steps as the owner moves it on: every transition, every refusal (no skipping, no
going back, 409 with what it can be marked instead), dates checked, each step in the order's
history and in the audit log as the owner's, the customer's view of it through the agent's
order tool, and the return window counted from the delivered date set here."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.studio.business.conftest import Shop, say
from tests.utils.factories import make_account, unique_handle
from townsquare.db import Database
from townsquare.db.models import Account, Customer, Order, Product, ToolCall
from townsquare.db.types import utcnow
from townsquare.errors import Conflict, Forbidden, InvalidInput, NotFound
from townsquare.studio.business import orders
from townsquare.studio.business.order_states import change_status, next_statuses, progress
from townsquare.studio.business.policy import business_policy
from townsquare.studio.business.runner import execute

pytestmark = pytest.mark.postgres


def _owner(session: Session, shop: Shop) -> Account:
    owner = session.get(Account, shop.business_id)
    assert owner is not None
    return owner


def _stock(session: Session, shop: Shop, sku: str) -> int | None:
    return session.scalar(
        select(Product.stock).where(Product.business_id == shop.business_id, Product.sku == sku)
    )


def test_an_order_goes_paid_shipped_delivered_returned_refunded(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        owner = _owner(session, shop)
        assert next_statuses(orders.business_order(session, shop.business_id, "E-1001")) == [
            "paid",
            "cancelled",
        ]
        paid = change_status(session, owner=owner, number="E-1001", status="paid")
        assert paid.status == "paid" and paid.paid_at is not None
        assert next_statuses(paid) == ["shipped", "cancelled"]
        shipped = change_status(
            session,
            owner=owner,
            number="E-1001",
            status="shipped",
            carrier=" La Poste ",
            tracking_number="6A123",
        )
        assert (shipped.status, shipped.carrier, shipped.tracking_number) == (
            "shipped",
            "La Poste",
            "6A123",
        )
        delivered = change_status(session, owner=owner, number="E-1001", status="delivered")
        assert delivered.delivered_at is not None and next_statuses(delivered) == ["returned"]
        change_status(session, owner=owner, number="E-1001", status="returned")
        refunded = change_status(session, owner=owner, number="E-1001", status="refunded")
        assert refunded.status == "refunded" and next_statuses(refunded) == []
        assert refunded.returned_at is not None and refunded.refunded_at is not None
        history = [(e.kind, e.actor) for e in orders.order_history(session, refunded)]
        assert history == [
            ("placed", "customer"),
            ("paid", "owner"),
            ("shipped", "owner"),
            ("delivered", "owner"),
            ("returned", "owner"),
            ("refunded", "owner"),
        ]
        assert orders.order_history(session, refunded)[2].detail.startswith("La Poste 6A123 on ")
        logged = session.scalars(
            select(ToolCall).where(ToolCall.owner_id == shop.business_id).order_by(ToolCall.id)
        ).all()
        assert [c.tool for c in logged] == [
            "mark_paid",
            "mark_shipped",
            "mark_delivered",
            "mark_returned",
            "mark_refunded",
        ]
        assert all(c.agent_id is None and c.thread_id is None for c in logged)
        assert logged[1].arguments["carrier"] == "La Poste"
        assert logged[1].arguments["tracking_number"] == "6A123"


def test_no_step_is_skipped_or_undone(database: Database, shop: Shop) -> None:
    with database.session() as session:
        owner = _owner(session, shop)
        with pytest.raises(Conflict) as skipped:
            change_status(
                session,
                owner=owner,
                number="E-1001",
                status="shipped",
                carrier="DHL",
                tracking_number="1",
            )
        assert str(skipped.value) == (
            "order E-1001 is pending, so it cannot be shipped;"
            " from pending it can be marked paid or cancelled"
        )
        with pytest.raises(Conflict, match=r"^order E-1002 is already delivered$"):
            change_status(session, owner=owner, number="E-1002", status="delivered")
        with pytest.raises(Conflict) as back:
            change_status(session, owner=owner, number="E-1002", status="paid")
        assert str(back.value) == (
            "order E-1002 is delivered, so it cannot be paid; from delivered it can be marked"
            " returned"
        )
        with pytest.raises(Conflict, match="cannot be cancelled; from delivered"):
            change_status(session, owner=owner, number="E-1002", status="cancelled")
        with pytest.raises(Conflict, match="cannot be refunded; from delivered"):
            change_status(session, owner=owner, number="E-1002", status="refunded")
        change_status(session, owner=owner, number="E-1002", status="returned")
        change_status(session, owner=owner, number="E-1002", status="refunded")
        with pytest.raises(Conflict) as done:
            change_status(session, owner=owner, number="E-1002", status="returned")
        assert str(done.value).endswith("; nothing follows refunded")
        with pytest.raises(InvalidInput, match="'lost' is none of them"):
            change_status(session, owner=owner, number="E-1002", status="lost")
        with pytest.raises(InvalidInput, match="'pending' is none of them"):
            change_status(session, owner=owner, number="E-1002", status="pending")


def test_cancelling_puts_stock_back_and_only_a_paid_cancelled_order_is_refunded(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        owner = _owner(session, shop)
        before = _stock(session, shop, "BEAN-HOUSE")
        cancelled = change_status(session, owner=owner, number="E-1001", status="cancelled")
        assert cancelled.cancelled_at is not None and next_statuses(cancelled) == []
        assert _stock(session, shop, "BEAN-HOUSE") == (before or 0) + 2
        with pytest.raises(Conflict, match="cannot be refunded; nothing follows cancelled"):
            change_status(session, owner=owner, number="E-1001", status="refunded")
        change_status(session, owner=owner, number="E-2001", status="paid")
        change_status(session, owner=owner, number="E-2001", status="cancelled")
        assert next_statuses(orders.business_order(session, shop.business_id, "E-2001")) == [
            "refunded"
        ]
        assert change_status(session, owner=owner, number="E-2001", status="refunded").refunded_at


def test_a_requested_return_or_exchange_is_received_as_returned(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        owner, alice = _owner(session, shop), _customer(session, shop)
        policy = business_policy(session, shop.business_id)
        orders.request_return(
            session, alice, "E-1002", "exchange", "too small", policy, actor="agent"
        )
        returned = change_status(session, owner=owner, number="E-1002", status="returned")
        assert returned.status == "returned"


def _customer(session: Session, shop: Shop) -> Customer:
    customer = orders.customer_for_account(session, shop.business_id, shop.alice_id)
    assert customer is not None
    return customer


def test_shipping_needs_carrier_and_tracking_and_nothing_else_takes_them(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        owner = _owner(session, shop)
        change_status(session, owner=owner, number="E-1001", status="paid")
        for carrier, tracking in (("DHL", None), (None, "1Z"), ("  ", "1Z")):
            with pytest.raises(
                InvalidInput, match=r"^a shipped order needs its carrier and its tracking number$"
            ):
                change_status(
                    session,
                    owner=owner,
                    number="E-1001",
                    status="shipped",
                    carrier=carrier,
                    tracking_number=tracking,
                )
        with pytest.raises(InvalidInput, match="go with shipped only"):
            change_status(session, owner=owner, number="E-1002", status="returned", carrier="DHL")


def test_a_step_is_dated_neither_in_the_future_nor_before_the_step_before_it(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        owner = _owner(session, shop)
        order = orders.business_order(session, shop.business_id, "E-1001")
        placed = order.placed_at
        with pytest.raises(InvalidInput, match="needs a time zone"):
            change_status(
                session, owner=owner, number="E-1001", status="paid", at=datetime(2026, 1, 1)
            )
        with pytest.raises(InvalidInput, match=r"^order E-1001 cannot be paid in the future$"):
            change_status(
                session, owner=owner, number="E-1001", status="paid", at=utcnow() + timedelta(1)
            )
        with pytest.raises(InvalidInput) as early:
            change_status(
                session,
                owner=owner,
                number="E-1001",
                status="paid",
                at=placed - timedelta(days=1),
            )
        assert str(early.value) == (
            f"order E-1001 was placed on {placed:%Y-%m-%d}; it cannot be paid before that day"
        )
        # The same day as the step before is fine, in any time zone.
        same_day = placed.astimezone(UTC).replace(hour=0, minute=0)
        paid = change_status(session, owner=owner, number="E-1001", status="paid", at=same_day)
        assert paid.paid_at == same_day


def test_only_the_businesss_own_orders_and_only_a_business(database: Database, shop: Shop) -> None:
    with database.session() as session:
        other = make_account(session, unique_handle("shop"), kind="business")
        member = make_account(session)
        with pytest.raises(NotFound, match=r"^there is no order 'E-1001'$"):
            change_status(session, owner=other, number="E-1001", status="paid")
        with pytest.raises(Forbidden, match="only a business account"):
            change_status(session, owner=member, number="E-1001", status="paid")
        assert orders.business_order(session, shop.business_id, "E-1001").status == "pending"


def test_the_customer_reads_carrier_tracking_and_dates_through_the_agent(
    database: Database, shop: Shop
) -> None:
    day = (utcnow() - timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    with database.session() as session:
        owner = _owner(session, shop)
        change_status(session, owner=owner, number="E-1001", status="paid", at=day)
        change_status(
            session,
            owner=owner,
            number="E-1001",
            status="shipped",
            at=day,
            carrier="DHL",
            tracking_number="JD0140",
        )
        order = orders.business_order(session, shop.business_id, "E-1001")
        assert progress(order) == (
            f"paid on {day:%Y-%m-%d}; shipped on {day:%Y-%m-%d} by DHL, tracking JD0140"
        )
        execute(
            say(session, shop, shop.alice_id, "hi"),
            "verify_customer",
            {"email": "alice@example.com"},
        )
        result = execute(
            say(session, shop, shop.alice_id, "where is E-1001?"),
            "order_details",
            {"order_number": "E-1001"},
        )
        assert result.status == "ok"
        assert result.say.endswith(
            f"It was paid on {day:%Y-%m-%d}; shipped on {day:%Y-%m-%d} by DHL, tracking JD0140."
        )
        assert result.data["tracking_number"] == "JD0140"


def test_the_return_window_counts_from_the_delivered_date_the_owner_gave(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        owner = _owner(session, shop)
        policy = business_policy(session, shop.business_id)  # 30 days
        order = orders.business_order(session, shop.business_id, "E-1001")
        order.placed_at = utcnow() - timedelta(days=60)
        for status in ("paid", "shipped", "delivered"):
            change_status(
                session,
                owner=owner,
                number="E-1001",
                status=status,
                at=utcnow() - timedelta(days=40),
                **({"carrier": "DHL", "tracking_number": "1"} if status == "shipped" else {}),
            )
        with pytest.raises(Forbidden, match="returns are accepted within 30 days of delivery"):
            orders.check_return(session, order, "return", policy)
        fresh: Order = orders.business_order(session, shop.business_id, "E-2001")
        change_status(session, owner=owner, number="E-2001", status="paid")
        change_status(
            session,
            owner=owner,
            number="E-2001",
            status="shipped",
            carrier="UPS",
            tracking_number="2",
        )
        change_status(session, owner=owner, number="E-2001", status="delivered")
        orders.check_return(session, fresh, "return", policy)


def test_two_cancellations_at_once_restock_once(database: Database, shop: Shop) -> None:
    with database.session() as session:
        before = _stock(session, shop, "BEAN-HOUSE") or 0
    barrier, outcomes = threading.Barrier(2), []

    def cancel() -> None:
        barrier.wait()
        try:
            with database.session() as session:
                change_status(
                    session, owner=_owner(session, shop), number="E-1001", status="cancelled"
                )
            outcomes.append("cancelled")
        except Conflict as refused:
            outcomes.append(str(refused))

    workers = [threading.Thread(target=cancel) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(outcomes) == ["cancelled", "order E-1001 is already cancelled"]
    with database.session() as session:
        assert _stock(session, shop, "BEAN-HOUSE") == before + 2
