"""Customers and their orders. Every function that reads or changes an order takes the
``Customer`` it acts for and only ever finds that customer's orders: an order number of someone
else's reads exactly like one that does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.db.models import Customer, Order, OrderEvent, OrderItem, Product
from townsquare.db.types import utcnow
from townsquare.errors import Conflict, InvalidInput, NotFound
from townsquare.studio.business.policy import Policy
from townsquare.studio.business.wording import Missing, Refusal

CANCELLABLE = frozenset({"pending"})
RETURNABLE = frozenset({"delivered"})
ORDER_STATUSES = frozenset(
    {
        "pending",
        "paid",
        "shipped",
        "delivered",
        "returned",
        "refunded",
        "cancelled",
        "return_requested",
        "exchange_requested",
    }
)


@dataclass(frozen=True)
class LineItem:
    sku: str
    quantity: int
    options: dict[str, str] | None = None


def customer_for_account(session: Session, business_id: int, account_id: int) -> Customer | None:
    return session.scalar(
        select(Customer).where(
            Customer.business_id == business_id, Customer.account_id == account_id
        )
    )


def business_customers(session: Session, business_id: int) -> dict[int, Customer]:
    """The business's customers by id."""
    found = session.scalars(select(Customer).where(Customer.business_id == business_id))
    return {customer.id: customer for customer in found}


def add_customer(
    session: Session, business_id: int, *, name: str, email: str, account_id: int | None = None
) -> Customer:
    if not name.strip() or "@" not in email:
        raise InvalidInput("a customer needs a name and an email address")
    customer = Customer(
        business_id=business_id, account_id=account_id, name=name.strip(), email=email.strip()
    )
    session.add(customer)
    session.flush()
    return customer


def place_order(
    session: Session,
    customer: Customer,
    number: str,
    items: list[LineItem],
    *,
    status: str = "pending",
    placed_at: datetime | None = None,
    delivered_at: datetime | None = None,
    actor: str = "customer",
) -> Order:
    """An order of catalog products (stock is taken as it is placed)."""
    if status not in ORDER_STATUSES:
        raise InvalidInput(f"unknown order status {status!r}")
    if not items:
        raise InvalidInput("an order needs at least one item")
    order = Order(
        business_id=customer.business_id,
        customer_id=customer.id,
        number=number,
        status=status,
        total_cents=0,
        placed_at=placed_at or utcnow(),
        delivered_at=delivered_at,
    )
    session.add(order)
    session.flush()
    for item in items:
        # Locked until the transaction ends: two orders at once cannot both take the last one.
        product = session.scalar(
            select(Product)
            .where(
                Product.business_id == customer.business_id,
                Product.sku == item.sku.strip(),
                Product.active,
            )
            .with_for_update()
        )
        if product is None:
            raise InvalidInput(f"there is no product {item.sku!r} on sale")
        if item.quantity < 1:
            raise InvalidInput(f"the quantity of {item.sku!r} must be at least 1")
        _check_options(product, item.options or {})
        if product.stock is not None:
            if product.stock < item.quantity:
                raise Conflict(f"only {product.stock} of {item.sku!r} left")
            product.stock -= item.quantity
        order.currency = product.currency
        order.total_cents += product.price_cents * item.quantity
        session.add(
            OrderItem(
                order_id=order.id,
                product_id=product.id,
                name=product.name,
                quantity=item.quantity,
                unit_price_cents=product.price_cents,
                options=item.options or {},
            )
        )
    record(session, order, "placed", "", actor)
    return order


def _check_options(product: Product, chosen: dict[str, str]) -> None:
    for name, value in chosen.items():
        allowed = product.options.get(name)
        if allowed is None:
            raise InvalidInput(f"{product.sku!r} has no option {name!r}")
        if value not in allowed:
            raise InvalidInput(f"{name} of {product.sku!r} is one of {', '.join(allowed)}")


def create_order(
    session: Session, business_id: int, customer_id: int, number: str | None, items: list[LineItem]
) -> Order:
    """The business places an order for one of its customers: stock is checked and taken in
    the caller's transaction, so a failed item leaves nothing changed once it rolls back.
    Without a number, the next free ``O-<n>`` is used."""
    customer = session.get(Customer, customer_id)
    if customer is None or customer.business_id != business_id:
        raise NotFound(f"you have no customer {customer_id}")
    if number is None:
        count = session.scalar(
            select(func.count()).select_from(Order).where(Order.business_id == business_id)
        )
        number = f"O-{1001 + (count or 0)}"
    taken = session.scalar(
        select(Order.id).where(Order.business_id == business_id, Order.number == number)
    )
    if taken is not None:
        raise Conflict(f"there is already an order {number}")
    return place_order(session, customer, number, items, actor="owner")


def record(session: Session, order: Order, kind: str, detail: str, actor: str) -> None:
    """A line of the order's history."""
    session.add(OrderEvent(order_id=order.id, kind=kind, detail=detail, actor=actor))
    session.flush()


def customer_orders(session: Session, customer: Customer) -> list[Order]:
    return list(
        session.scalars(
            select(Order).where(Order.customer_id == customer.id).order_by(Order.placed_at.desc())
        )
    )


def customer_order(
    session: Session, customer: Customer, number: str, *, for_update: bool = False
) -> Order:
    """The customer's order; ``for_update``: locked until the transaction ends and read afresh,
    so a change that depends on its status sees the status another request just committed."""
    query = select(Order).where(Order.customer_id == customer.id, Order.number == number.strip())
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    order = session.scalar(query)
    if order is None:
        raise Missing("no_order", order=number)
    return order


def order_items(session: Session, order: Order) -> list[OrderItem]:
    return list(session.scalars(select(OrderItem).where(OrderItem.order_id == order.id)))


def order_history(session: Session, order: Order) -> list[OrderEvent]:
    return list(
        session.scalars(
            select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id)
        )
    )


def check_cancel(order: Order) -> None:
    if order.status not in CANCELLABLE:
        raise Refusal("rule_not_cancellable", order=order.number, status=order.status)


def cancel_order(session: Session, customer: Customer, number: str, *, actor: str) -> Order:
    """Cancels a pending order and puts its items back in stock. The order is locked first, so
    two cancellations at once restock it once (the second sees it cancelled), and each product
    as in ``place_order``, so a concurrent order's stock change is not overwritten."""
    order = customer_order(session, customer, number, for_update=True)
    check_cancel(order)
    restock(session, order)
    order.status, order.cancelled_at = "cancelled", utcnow()
    record(session, order, "cancelled", "", actor)
    return order


def restock(session: Session, order: Order) -> None:
    """Puts the order's items back in stock (those still in the catalog), each product locked and
    read afresh as in ``place_order``, in id order, so a concurrent order's stock change is kept."""
    items = sorted(order_items(session, order), key=lambda item: item.product_id or 0)
    for item in items:
        product = (
            session.get(Product, item.product_id, with_for_update=True, populate_existing=True)
            if item.product_id is not None
            else None
        )
        if product is not None and product.stock is not None:
            product.stock += item.quantity


class NeedsAPerson(Refusal):
    """A change the policy leaves to a person (a refund above the agent's limit): the agent
    hands the conversation over rather than only refusing."""


def return_window(session: Session, order: Order, policy: Policy) -> int | None:
    """Days after delivery the order may be returned: the shortest window among the policy's
    windows for the kinds of item in it, else the policy's general window; None when the
    policy sets none (a person decides)."""
    names = [item.name.lower() for item in order_items(session, order)]
    windows = [days for word, days in policy.category_windows if any(word in n for n in names)]
    return min(windows, default=policy.return_window_days)


def _described(session: Session, item: OrderItem) -> str:
    """An order item as the policy names it: its name, its product's name and description, and
    the options chosen."""
    product = session.get(Product, item.product_id) if item.product_id is not None else None
    about = [product.name, product.description] if product is not None else []
    return " ".join([item.name, *about, *(f"{k} {v}" for k, v in item.options.items())])


def check_return(
    session: Session, order: Order, kind: str, policy: Policy, *, now: datetime | None = None
) -> None:
    """Raises ``Forbidden`` naming the policy's rule when it does not allow this return."""
    if kind == "exchange" and not policy.exchanges:
        raise Refusal("rule_no_exchanges")
    if order.status not in RETURNABLE or order.delivered_at is None:
        raise Refusal("rule_not_returnable", order=order.number, status=order.status)
    items = {i.name: _described(session, i) for i in order_items(session, order)}
    final = [name for name, text in items.items() if policy.final_sale(text)]
    rule = next(filter(None, (policy.final_rule(items[name]) for name in final)), None)
    if rule is not None:  # in the owner's own words, whatever they are
        raise Refusal("rule_final", items=", ".join(final), rule=rule)
    if final:
        raise Refusal("rule_sale", items=", ".join(final))
    days = return_window(session, order, policy)
    if days is None:
        raise NeedsAPerson("rule_owner_returns", order=order.number)
    if (now or utcnow()) > order.delivered_at + timedelta(days=days):
        raise Refusal("rule_window", days=days, order=order.number, date=order.delivered_at.date())
    unread = [name for name, text in items.items() if policy.unread_about(text)]
    if unread:
        raise NeedsAPerson("rule_unread", items=", ".join(unread), order=order.number)
    if (
        kind == "return"
        and policy.refund_max_cents is not None
        and order.total_cents > policy.refund_max_cents
    ):
        limit = f"{policy.refund_max_cents // 100}.{policy.refund_max_cents % 100:02d}"
        total = f"{order.total_cents // 100}.{order.total_cents % 100:02d} {order.currency}"
        raise NeedsAPerson(
            "rule_refund", limit=f"{limit} {order.currency}", order=order.number, total=total
        )


def request_return(
    session: Session,
    customer: Customer,
    number: str,
    kind: str,
    reason: str,
    policy: Policy,
    *,
    actor: str,
) -> Order:
    if kind not in ("return", "exchange"):
        raise InvalidInput("kind is 'return' or 'exchange'")
    order = customer_order(session, customer, number)
    check_return(session, order, kind, policy)
    order.status = f"{kind}_requested"
    record(session, order, order.status, reason[:1_000], actor)
    return order


def business_orders(
    session: Session, business_id: int, *, status: str | None = None
) -> list[Order]:
    query = select(Order).where(Order.business_id == business_id)
    if status is not None:
        query = query.where(Order.status == status)
    return list(session.scalars(query.order_by(Order.placed_at.desc())))


def business_order(session: Session, business_id: int, number: str) -> Order:
    """One of the business's orders, by the number its customer quotes."""
    order = session.scalar(
        select(Order).where(Order.business_id == business_id, Order.number == number.strip())
    )
    if order is None:
        raise NotFound(f"there is no order {number!r}")
    return order
