"""A business's public shapes: an order with its items as sold and its history in order; a
policy with the limits read from it."""

from __future__ import annotations

from tests.studio.business.conftest import make_shop
from townsquare.db import Database
from townsquare.presenters.business import order_detail, policy_public, product_public
from townsquare.studio.business import catalog, orders
from townsquare.studio.business.policy import parse_policy


def test_an_order_shows_its_items_as_sold_and_its_history(database: Database) -> None:
    shop = make_shop(database)
    with database.session() as session:
        order = orders.business_order(session, shop.business_id, "E-1001")
        product = catalog.product_by_sku(session, shop.business_id, "BEAN-HOUSE")
        sold = {i.name: i.unit_price_cents for i in orders.order_items(session, order)}
        product.name, product.price_cents = "Renamed", 1
        detail = order_detail(session, order)
    assert (detail.number, detail.customer_id, detail.total_cents) == (
        "E-1001", order.customer_id, order.total_cents,
    )  # fmt: skip
    assert (
        {i.name: i.unit_price_cents for i in detail.items}
        == sold
        == {"House Blend beans 250g": 950}
    )
    assert [e.kind for e in detail.history] == ["placed"]
    assert product_public(product).model_dump()["name"] == "Renamed"


def test_a_policy_lists_its_forbidden_sentences() -> None:
    public = policy_public(parse_policy("Refunds above 20 need me. Never swear. Do not shout."))
    assert public.refund_max_cents == 2_000 and public.exchanges is True
    assert public.forbidden == ["Never swear", "Do not shout"]


def test_a_policy_shows_what_each_sentence_became() -> None:
    public = policy_public(
        parse_policy("Candles can be returned within 7 days. Sale items are final. Be kind.")
    )
    assert public.category_windows == {"candle": 7} and public.final_sale_words == ["sale"]
    assert public.notice_hours is None
    assert [s.limit for s in public.sentences] == [
        "items named 'candle' are returned within 7 days",
        "items named sale are never returned or exchanged",
        None,
    ]
    assert public.not_enforced == ["Be kind."]
