"""A member's own orders with a business (``/u/{handle}/orders``): each with its items, its
dated steps (paid, shipped with carrier and tracking number, delivered, ...) and history, as
the business's owner recorded them. Only the member's own orders; none when they are not its
customer."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from townsquare.studio.business import accounts, order_states, orders
from townsquare.web.session import Member, WebSession, render, web_router

router = web_router()


@router.get("/u/{handle}/orders")
def my_orders_page(request: Request, handle: str, me: Member, session: WebSession) -> Response:
    business = accounts.business_by_handle(session, handle)
    return render(
        request,
        "shop_my_orders.html",
        me,
        business=business,
        orders=accounts.member_orders(session, member=me, handle=handle),
    )


@router.get("/u/{handle}/orders/{number}")
def my_order_page(
    request: Request, handle: str, number: str, me: Member, session: WebSession
) -> Response:
    business = accounts.business_by_handle(session, handle)
    order = accounts.member_order(session, member=me, handle=handle, number=number)
    return render(
        request,
        "shop_my_order.html",
        me,
        business=business,
        order=order,
        items=orders.order_items(session, order),
        history=orders.order_history(session, order),
        steps=order_states.progress(order),
    )
