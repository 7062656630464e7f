"""The shop's orders, for a business account: the list (by status), and each order with its
items, its dated steps and history, and a button for each step its status allows (paid,
shipped with carrier and tracking number, delivered, returned, refunded, cancelled)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Customer
from townsquare.db.types import utcnow
from townsquare.errors import Conflict, InvalidInput
from townsquare.presenters.business import order_public
from townsquare.studio.business import order_states, orders
from townsquare.studio.business.accounts import business_account
from townsquare.web.session import Csrf, Member, WebSession, render, sentence, web_router

router = web_router()

Short = Annotated[str, Form(max_length=64)]


@router.get("/shop/orders")
def orders_page(
    request: Request,
    me: Member,
    session: WebSession,
    status: Annotated[str, Query(max_length=24)] = "",
) -> Response:
    if status and status not in orders.ORDER_STATUSES:
        raise InvalidInput(f"there is no order status {status!r}")
    shop = business_account(me)
    shown = orders.business_orders(session, shop.id, status=status or None)
    return render(
        request,
        "shop_orders.html",
        me,
        orders=[order_public(o) for o in shown],
        customers=orders.business_customers(session, shop.id),
        status=status,
        statuses=sorted(orders.ORDER_STATUSES),
    )


def _order_page(
    request: Request,
    me: Account,
    session: Session,
    number: str,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    order = orders.business_order(session, business_account(me).id, number)
    return render(
        request,
        "shop_order.html",
        me,
        status_code=status_code,
        order=order,
        customer=session.get(Customer, order.customer_id),
        items=orders.order_items(session, order),
        history=orders.order_history(session, order),
        next_statuses=order_states.next_statuses(order),
        today=utcnow().date().isoformat(),
        error=error,
    )


@router.get("/shop/orders/{number}")
def order_page(request: Request, number: str, me: Member, session: WebSession) -> Response:
    return _order_page(request, me, session, number)


def day_moment(text: str) -> datetime | None:
    """A form's day (YYYY-MM-DD, UTC) as the moment of a step: none or today is now; an earlier
    day is its noon (the step's day is what the customer and the return window read)."""
    text = text.strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"{text!r} is not a day like 2026-05-01") from exc
    return None if day == utcnow().date() else datetime.combine(day, time(12), tzinfo=UTC)


@router.post("/shop/orders/{number}/status", dependencies=[Csrf])
def change_status(
    request: Request,
    number: str,
    me: Member,
    session: WebSession,
    status: Annotated[str, Form(max_length=24)],
    day: Annotated[str, Form(max_length=10)] = "",
    carrier: Short = "",
    tracking_number: Short = "",
) -> Response:
    try:
        order = order_states.change_status(
            session,
            owner=me,
            number=number,
            status=status,
            at=day_moment(day),
            carrier=carrier,
            tracking_number=tracking_number,
        )
    except (InvalidInput, Conflict) as error:
        session.rollback()
        return _order_page(
            request, me, session, number, error=sentence(str(error)), status_code=error.status
        )
    session.commit()
    return RedirectResponse(f"/shop/orders/{order.number}", status_code=303)
