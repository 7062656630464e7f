"""Orders under concurrent clients (issue 16): a cancellation restocks once, and stock is never
lost between a cancellation and a new order; on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.studio.business.test_policy_meaning import MeaningByWords
from tests.utils.concurrency import repeat_together
from tests.utils.factories import make_account, unique_handle
from townsquare.db import Database
from townsquare.db.models import Customer, Order, OrderEvent, Product
from townsquare.db.types import utcnow
from townsquare.demo.shop import seed_shop
from townsquare.errors import Conflict, Forbidden
from townsquare.studio.business import orders
from townsquare.studio.business.policy import catalog_texts, parse_policy
from townsquare.studio.business.policy_meaning import Reader

pytestmark = pytest.mark.postgres

SKU = "BEAN-HOUSE"  # Alice's pending order E-1001 has two of it


def _alice(session: Session) -> tuple[int, int]:
    """A fresh shop: (Alice's customer id, the id of the product her pending order holds)."""
    business = make_account(session, unique_handle("shop"), kind="business")
    _, customers = seed_shop(
        session,
        business,
        [make_account(session), make_account(session)],
        now=utcnow(),
        agent_handle=unique_handle("help"),
    )
    product = session.scalars(
        select(Product).where(Product.business_id == business.id, Product.sku == SKU)
    ).one()
    return customers[0].id, product.id


def _stock(session: Session, product_id: int) -> int:
    stock = session.get_one(Product, product_id).stock
    assert stock is not None
    return stock


def test_two_clients_cancelling_one_order_restock_it_once(database: Database) -> None:
    before: dict[int, int] = {}

    def prepare(session: Session) -> tuple[int, int]:
        ids = _alice(session)
        before[ids[1]] = _stock(session, ids[1])
        return ids

    def cancel(session: Session, ids: tuple[int, int]) -> str:
        customer = session.get_one(Customer, ids[0])
        return orders.cancel_order(session, customer, "E-1001", actor="customer").status

    def check(session: Session, ids: tuple[int, int], results: list[object]) -> None:
        refused = [result for result in results if isinstance(result, Forbidden)]
        assert "cancelled" in results and len(refused) == 1, results
        assert str(refused[0]) == (
            "order E-1001 is cancelled; only pending orders can be cancelled"
        )
        assert _stock(session, ids[1]) == before[ids[1]] + 2
        order = session.scalars(select(Order).where(Order.customer_id == ids[0])).first()
        assert order is not None
        kinds = session.scalars(
            select(OrderEvent.kind)
            .join(Order)
            .where(Order.customer_id == ids[0], Order.number == "E-1001")
        ).all()
        assert kinds.count("cancelled") == 1

    repeat_together(database, prepare, cancel, check)


def test_a_cancellation_and_a_new_order_at_once_lose_no_stock(database: Database) -> None:
    before: dict[int, int] = {}

    def prepare(session: Session) -> tuple[int, int]:
        ids = _alice(session)
        before[ids[1]] = _stock(session, ids[1])
        return ids

    roles = itertools.count()

    def cancel_or_order(session: Session, ids: tuple[int, int]) -> str:
        customer = session.get_one(Customer, ids[0])
        if next(roles) % 2 == 0:
            return orders.cancel_order(session, customer, "E-1001", actor="customer").status
        items = [orders.LineItem(SKU, 1)]
        return orders.place_order(session, customer, unique_handle("N-"), items).status

    def check(session: Session, ids: tuple[int, int], results: list[object]) -> None:
        assert sorted(results, key=str) == ["cancelled", "pending"], results
        assert _stock(session, ids[1]) == before[ids[1]] + 2 - 1

    repeat_together(database, prepare, cancel_or_order, check)


def test_two_orders_for_the_last_one_at_once_sell_it_once(database: Database) -> None:
    def prepare(session: Session) -> tuple[int, int]:
        ids = _alice(session)
        session.get_one(Product, ids[1]).stock = 1
        return ids

    def order(session: Session, ids: tuple[int, int]) -> str:
        customer = session.get_one(Customer, ids[0])
        items = [orders.LineItem(SKU, 1)]
        return orders.place_order(session, customer, unique_handle("N-"), items).status

    def check(session: Session, ids: tuple[int, int], results: list[object]) -> None:
        refused = [r for r in results if isinstance(r, Conflict)]
        assert "pending" in results and len(refused) == 1, results
        assert str(refused[0]) == f"only 0 of {SKU!r} left"
        assert _stock(session, ids[1]) == 0

    repeat_together(database, prepare, order, check)


def test_sale_items_and_per_category_windows_limit_returns(database: Database) -> None:
    with database.session() as session:
        customer_id, _ = _alice(session)
        customer = session.get(Customer, customer_id)
        assert customer is not None
        order = orders.customer_order(session, customer, "E-1002")  # a mug, delivered 5 days ago
        mugs = parse_policy("Mugs can be returned within 3 days.")
        with pytest.raises(Forbidden, match="returns are accepted within 3 days of delivery"):
            orders.check_return(session, order, "return", mugs)
        unset = parse_policy("Clearance items are final.")
        with pytest.raises(orders.NeedsAPerson, match="sets no return window, so a person"):
            orders.check_return(session, order, "return", unset)  # no window is invented
        final = parse_policy("Returns within thirty days. Clearance items are final.")
        orders.check_return(session, order, "return", final)  # the mug is not on sale
        [item] = orders.order_items(session, order)
        mug = session.get(Product, item.product_id)
        assert mug is not None and mug.sku == "MUG-OAK"
        mug.description = "Clearance: last of the ash glaze."
        with pytest.raises(Forbidden, match=r"items on sale are not returned .*Oak stoneware mug"):
            orders.check_return(session, order, "return", final)


@pytest.mark.parametrize(
    "description",
    ["Reduced to clear old stock.", "Discounted: last season's glaze.", "End of line."],
)
def test_an_item_sold_off_in_other_words_is_on_sale(database: Database, description: str) -> None:
    with database.session() as session:
        customer_id, _ = _alice(session)
        customer = session.get_one(Customer, customer_id)
        order = orders.customer_order(session, customer, "E-1002")
        [item] = orders.order_items(session, order)
        session.get_one(Product, item.product_id).description = description
        final = parse_policy(
            "Clearance and reduced items are sold as they are: no returns."
            " Others: two weeks to return."
        )
        assert final.final_words == ("clearance", "reduced")
        with pytest.raises(Forbidden, match=r"items on sale are not returned"):
            orders.check_return(session, order, "return", final)


def test_a_rule_read_by_meaning_or_left_unread_keeps_an_item_from_the_agent(
    database: Database,
) -> None:
    with database.session() as session:
        customer_id, _ = _alice(session)
        customer = session.get_one(Customer, customer_id)
        order = orders.customer_order(session, customer, "E-1002")  # an oak mug, delivered
        [item] = orders.order_items(session, order)
        item.options = {"colour": "ember"}
        shop = catalog_texts(session, customer.business_id)
        window = "Returns within thirty days. "
        orders.check_return(session, order, "return", parse_policy(window, shop))
        final = parse_policy(f"{window}Ember mugs: once bought, it stays yours.", shop,
                             Reader(MeaningByWords()))  # fmt: skip
        with pytest.raises(
            Forbidden,
            match=r"Oak stoneware mug cannot be returned or exchanged: our policy says"
            r' "Ember mugs: once bought, it stays yours."',
        ):
            orders.check_return(session, order, "exchange", final)
        unread = parse_policy(f"{window}Ember mugs {customer_id}: mind the glaze.", shop)
        with pytest.raises(
            orders.NeedsAPerson,
            match=r"says something about Oak stoneware mug that a person from the team applies,"
            r" so they decide on returning order E-1002",
        ):
            orders.check_return(session, order, "return", unread)
        other = parse_policy(f"{window}Hand grinders {customer_id}: mind the burrs.", shop)
        orders.check_return(session, order, "return", other)  # names another product
