"""Orders: a business places them for its customers (items from its catalog, stock checked and
taken in the same transaction), moves each one along (paid, shipped, delivered, returned,
refunded, cancelled) and reads its items and history; a customer reads their own orders with a
business."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import Field

from townsquare.api.deps import CurrentAccount
from townsquare.http import SessionDep
from townsquare.presenters import RequestModel, RowId
from townsquare.presenters.business import OrderDetail, OrderPublic, order_detail, order_public
from townsquare.studio.business import accounts, order_states, orders
from townsquare.studio.business.accounts import business_account
from townsquare.studio.business.orders import LineItem

router = APIRouter(prefix="/business", tags=["business"])

MAX_ITEMS = 100
OrderNumber = Annotated[str, Path(min_length=1, max_length=32, description="e.g. E-1001")]


class OrderLineIn(RequestModel):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(1, ge=1, le=10_000)
    options: dict[Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=200)]] = (
        Field(default_factory=dict, max_length=16, description='{"grind": "espresso"}')
    )


class OrderCreate(RequestModel):
    customer_id: RowId = Field(description="From POST /business/customers.")
    number: str | None = Field(
        None, min_length=1, max_length=32, description="Yours; the next O-<n> when left out."
    )
    items: list[OrderLineIn] = Field(min_length=1, max_length=MAX_ITEMS)


class OrderStatusIn(RequestModel):
    status: Literal["paid", "shipped", "delivered", "returned", "refunded", "cancelled"] = Field(
        description="The next step: pending -> paid -> shipped -> delivered -> returned ->"
        " refunded; cancelled from pending or paid."
    )
    at: datetime | None = Field(
        None, description="When it happened, with a time zone; now when left out."
    )
    carrier: str | None = Field(None, min_length=1, max_length=64, description="For shipped.")
    tracking_number: str | None = Field(
        None, min_length=1, max_length=64, description="For shipped."
    )


@router.post("/orders", status_code=status.HTTP_201_CREATED, response_model=OrderDetail)
def create_order(body: OrderCreate, me: CurrentAccount, session: SessionDep) -> OrderDetail:
    """Places an order for one of your customers. Every item must be on sale with the options
    it offers; an item short of stock refuses the whole order (409) and nothing is taken."""
    items = [LineItem(i.sku, i.quantity, i.options) for i in body.items]
    order = orders.create_order(
        session, business_account(me).id, body.customer_id, body.number, items
    )
    session.commit()
    return order_detail(session, order)


@router.get("/orders", response_model=list[OrderPublic])
def list_orders(
    me: CurrentAccount,
    session: SessionDep,
    status_: Annotated[str | None, Query(alias="status", max_length=24)] = None,
) -> list[OrderPublic]:
    """Your orders, newest first."""
    found = orders.business_orders(session, business_account(me).id, status=status_)
    return [order_public(o) for o in found]


@router.get("/orders/{number}", response_model=OrderDetail)
def get_order(number: OrderNumber, me: CurrentAccount, session: SessionDep) -> OrderDetail:
    """One of your orders, with its items and its history."""
    return order_detail(session, orders.business_order(session, business_account(me).id, number))


@router.post("/orders/{number}/status", response_model=OrderDetail)
def change_order_status(
    number: OrderNumber, body: OrderStatusIn, me: CurrentAccount, session: SessionDep
) -> OrderDetail:
    """Moves one of your orders to its next step, dated (your customer sees it, and the return
    window counts from the delivered date). A step its status does not allow is a 409."""
    order = order_states.change_status(
        session,
        owner=me,
        number=number,
        status=body.status,
        at=body.at,
        carrier=body.carrier,
        tracking_number=body.tracking_number,
    )
    session.commit()
    return order_detail(session, order)


@router.get("/{handle}/my-orders", response_model=list[OrderPublic])
def my_orders(handle: str, me: CurrentAccount, session: SessionDep) -> list[OrderPublic]:
    """Your orders with a business, newest first (none when you are not its customer)."""
    found = accounts.member_orders(session, member=me, handle=handle)
    return [order_public(o) for o in found]


@router.get("/{handle}/my-orders/{number}", response_model=OrderDetail)
def my_order(
    handle: str, number: OrderNumber, me: CurrentAccount, session: SessionDep
) -> OrderDetail:
    """One of your orders with a business, with its items and history."""
    order = accounts.member_order(session, member=me, handle=handle, number=number)
    return order_detail(session, order)
