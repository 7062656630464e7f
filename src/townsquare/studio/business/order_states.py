"""An order's life, as its shop's owner moves it on: a small state machine.

    pending -> paid -> shipped (carrier, tracking number) -> delivered -> returned -> refunded
    pending | paid -> cancelled (items back in stock) -> refunded (when it had been paid)
    return_requested | exchange_requested (the customer asked, through the agent) -> returned

Each step is dated (now, or the moment the owner gives: not in the future, not before the day
of the step before it), never skipped and never undone; it is written to the order's history
and to the audit log the agents' tool calls are in, and the customer sees it (their order, the
agent's order status tool). The return window counts from the delivered date set here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from townsquare.db.models import Account, Order
from townsquare.db.types import utcnow
from townsquare.errors import Conflict, InvalidInput
from townsquare.studio.business import audit, orders
from townsquare.studio.business.accounts import business_account

# The status an order moves to -> the statuses it may move from.
TRANSITIONS: dict[str, frozenset[str]] = {
    "paid": frozenset({"pending"}),
    "shipped": frozenset({"paid"}),
    "delivered": frozenset({"shipped"}),
    "returned": frozenset({"delivered", "return_requested", "exchange_requested"}),
    "refunded": frozenset({"returned", "cancelled"}),
    "cancelled": frozenset({"pending", "paid"}),
}
# The column each step dates, in the order they happen.
DATED = {
    "placed": "placed_at",
    "paid": "paid_at",
    "shipped": "shipped_at",
    "delivered": "delivered_at",
    "returned": "returned_at",
    "cancelled": "cancelled_at",
    "refunded": "refunded_at",
}
CLOCK_SKEW = timedelta(minutes=5)  # a moment this far ahead of the server's clock is "now"


def next_statuses(order: Order) -> list[str]:
    """What the owner can mark the order as now (in the order of the flow)."""
    found = [to for to, sources in TRANSITIONS.items() if order.status in sources]
    return [to for to in found if to != "refunded" or _refundable(order)]


def _refundable(order: Order) -> bool:
    return order.status != "cancelled" or order.paid_at is not None


def change_status(
    session: Session,
    *,
    owner: Account,
    number: str,
    status: str,
    at: datetime | None = None,
    carrier: str | None = None,
    tracking_number: str | None = None,
) -> Order:
    """Moves the owner's order ``number`` to ``status``: 422 for a status or date that is not
    one, 409 for a step its current status does not allow."""
    business = business_account(owner)
    if status not in TRANSITIONS:
        raise InvalidInput(
            f"an order can be marked {', '.join(TRANSITIONS)}; {status!r} is none of them"
        )
    order = orders.business_order(session, business.id, number)
    # Locked until the transaction ends: two steps at once cannot both pass the check below
    # (nor a cancellation restock twice).
    session.refresh(order, with_for_update=True)
    _check_step(order, status)
    shipping = _shipping(status, carrier, tracking_number)
    when = _moment(order, status, at)
    if status == "cancelled":
        orders.restock(session, order)
    if shipping is not None:
        order.carrier, order.tracking_number = shipping
    order.status = status
    setattr(order, DATED[status], when)
    detail = " ".join(filter(None, [*(shipping or ()), f"on {when:%Y-%m-%d}"]))
    orders.record(session, order, status, detail, "owner")
    audit.record_owner(
        session,
        owner_id=business.id,
        tool=f"mark_{status}",
        arguments={"order_number": order.number, "at": when.isoformat()}
        | ({"carrier": shipping[0], "tracking_number": shipping[1]} if shipping else {}),
        say=f"Order {order.number} is {status}: {detail}.",
    )
    return order


def _check_step(order: Order, status: str) -> None:
    if order.status == status:
        raise Conflict(f"order {order.number} is already {status}")
    if order.status not in TRANSITIONS[status] or (status == "refunded" and not _refundable(order)):
        allowed = next_statuses(order)
        then = (
            f"from {order.status} it can be marked {' or '.join(allowed)}"
            if allowed
            else f"nothing follows {order.status}"
        )
        raise Conflict(f"order {order.number} is {order.status}, so it cannot be {status}; {then}")


def _shipping(
    status: str, carrier: str | None, tracking_number: str | None
) -> tuple[str, str] | None:
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if status != "shipped":
        if carrier or tracking_number:
            raise InvalidInput("a carrier and a tracking number go with shipped only")
        return None
    if not carrier or not tracking_number:
        raise InvalidInput("a shipped order needs its carrier and its tracking number")
    return carrier, tracking_number


def _moment(order: Order, status: str, at: datetime | None) -> datetime:
    """When the step happened: ``at`` (with a time zone), or now."""
    now = utcnow()
    if at is None:
        return now
    if at.tzinfo is None:
        raise InvalidInput("the date needs a time zone, e.g. 2026-05-01T10:00:00Z")
    try:
        at = at.astimezone(UTC)
    except OverflowError as exc:  # year 1 at +01:00 is before the first UTC moment
        raise InvalidInput(f"order {order.number} cannot be {status} that long ago") from exc
    if at > now + CLOCK_SKEW:
        raise InvalidInput(f"order {order.number} cannot be {status} in the future")
    dated = [(getattr(order, column), step) for step, column in DATED.items()]
    latest, step = max((d for d in dated if d[0] is not None), key=lambda d: d[0])
    if at.date() < latest.date():
        raise InvalidInput(
            f"order {order.number} was {step} on {latest:%Y-%m-%d};"
            f" it cannot be {status} before that day"
        )
    return at


def dated_steps(order: Order) -> list[tuple[str, datetime]]:
    """The order's steps since it was placed, each with its date, in order."""
    steps = []
    for step, column in DATED.items():
        when: datetime | None = getattr(order, column)
        if step != "placed" and when is not None:
            steps.append((step, when))
    return steps


def progress(order: Order) -> str:
    """The order's dated steps in one plain line, as its owner reads them:
    "paid on 2026-05-01; shipped on 2026-05-02 by DHL, tracking 1Z99; delivered on 2026-05-04"."""
    lines = []
    for step, when in dated_steps(order):
        line = f"{step} on {when:%Y-%m-%d}"
        if step == "shipped" and order.carrier:
            line += f" by {order.carrier}, tracking {order.tracking_number}"
        lines.append(line)
    return "; ".join(lines)
