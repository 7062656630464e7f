"""What the owner's pages read and change through the service layer: a repriced product keeps
everything else, and orders, tickets and tool calls are found only within their own business."""

from __future__ import annotations

import pytest

from tests.studio.business.conftest import Shop, say
from tests.utils.factories import make_account, unique_handle
from townsquare.db import Database
from townsquare.errors import InvalidInput, NotFound
from townsquare.studio.business import audit, catalog, orders, tickets


def test_reprice_changes_price_and_stock_and_keeps_the_rest(database: Database, shop: Shop) -> None:
    with database.session() as session:
        before = catalog.product_by_sku(session, shop.business_id, "MUG-OAK")
        options, description = dict(before.options), before.description
        product = catalog.reprice(
            session, shop.business_id, "MUG-OAK", price_cents=2_050, stock=None
        )
        assert (product.price_cents, product.stock) == (2_050, None)
        assert (product.options, product.description) == (options, description)
        with pytest.raises(InvalidInput, match="stock cannot be negative"):
            catalog.reprice(session, shop.business_id, "MUG-OAK", price_cents=1, stock=-1)
        with pytest.raises(NotFound):
            catalog.reprice(session, shop.business_id, "NOPE", price_cents=1, stock=1)


def test_orders_and_tickets_are_found_only_in_their_business(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        other = make_account(session, unique_handle("shop"), kind="business")
        order = orders.business_order(session, shop.business_id, " E-1001 ")
        assert order.number == "E-1001"
        customers = orders.business_customers(session, shop.business_id)
        assert customers[order.customer_id].email == "alice@example.com"
        assert orders.business_customers(session, other.id) == {}
        with pytest.raises(NotFound):
            orders.business_order(session, other.id, "E-1001")
        ticket = tickets.open_ticket(
            session, shop.business_id, kind="support", subject="Late", body=""
        )
        assert tickets.business_ticket(session, shop.business_id, ticket.id) is ticket
        with pytest.raises(NotFound):
            tickets.business_ticket(session, other.id, ticket.id)
        with pytest.raises(NotFound):
            tickets.close_ticket(session, other.id, ticket.id)


def test_tool_calls_come_a_page_at_a_time_newest_first(database: Database, shop: Shop) -> None:
    with database.session() as session:
        call = say(session, shop, shop.alice_id, "hello")
        for n in range(5):
            audit.record(
                session, agent_id=shop.agent_id, thread_id=call.thread_id, message_id=None,
                tool="search_catalog", arguments={"n": n}, result={}, status="ok",
            )  # fmt: skip
        first = audit.business_tool_calls(session, shop.business_id, limit=3)
        assert [c.arguments["n"] for c in first.items] == [4, 3, 2]
        rest = audit.business_tool_calls(
            session, shop.business_id, cursor=first.next_cursor, limit=3
        )
        assert [c.arguments["n"] for c in rest.items] == [1, 0] and rest.next_cursor is None
        other = make_account(session, unique_handle("shop"), kind="business")
        assert audit.business_tool_calls(session, other.id, limit=3).items == []
