"""Orders: a business places them for its customers (items from its catalog, stock checked and
taken in the same transaction) and reads each one's items and history; a customer reads their
own orders with a business."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, Field

from townsquare.api.deps import CurrentAccount
from townsquare.api.routers.business import business_account, business_by_handle
from townsquare.db.models import Order
from townsquare.errors import NotFound
from townsquare.http import SessionDep
from townsquare.presenters import RequestModel
from townsquare.studio.business import orders
from townsquare.studio.business.orders import LineItem

router = APIRouter(prefix="/business", tags=["business"])

MAX_ITEMS = 100
OrderNumber = Annotated[str, Path(min_length=1, max_length=32, description="e.g. E-1001")]


class OrderLineIn(RequestModel):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(1, ge=1, le=10_000)
    options: dict[str, str] = Field(default_factory=dict, description='{"grind": "espresso"}')


class OrderCreate(RequestModel):
    customer_id: int = Field(ge=1, description="From POST /business/customers.")
    number: str | None = Field(
        None, min_length=1, max_length=32, description="Yours; the next O-<n> when left out."
    )
    items: list[OrderLineIn] = Field(min_length=1, max_length=MAX_ITEMS)


class OrderPublic(BaseModel):
    id: int
    number: str
    customer_id: int
    status: str
    total_cents: int
    currency: str
    placed_at: datetime
    delivered_at: datetime | None


class OrderItemPublic(BaseModel):
    name: str = Field(description="As sold, whatever the catalog says now.")
    quantity: int
    unit_price_cents: int
    options: dict[str, str]


class OrderEventPublic(BaseModel):
    kind: str = Field(description="placed | cancelled | return_requested | ...")
    detail: str
    actor: str = Field(description="agent | owner | customer")
    created_at: datetime


class OrderDetail(OrderPublic):
    items: list[OrderItemPublic]
    history: list[OrderEventPublic]


def _detail(session: SessionDep, order: Order) -> OrderDetail:
    public = OrderPublic.model_validate(order, from_attributes=True)
    return OrderDetail(
        **public.model_dump(),
        items=[
            OrderItemPublic.model_validate(i, from_attributes=True)
            for i in orders.order_items(session, order)
        ],
        history=[
            OrderEventPublic.model_validate(e, from_attributes=True)
            for e in orders.order_history(session, order)
        ],
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
    return _detail(session, order)


@router.get("/orders", response_model=list[OrderPublic])
def list_orders(
    me: CurrentAccount,
    session: SessionDep,
    status_: Annotated[str | None, Query(alias="status", max_length=24)] = None,
) -> list[OrderPublic]:
    """Your orders, newest first."""
    found = orders.business_orders(session, business_account(me).id, status=status_)
    return [OrderPublic.model_validate(o, from_attributes=True) for o in found]


@router.get("/orders/{number}", response_model=OrderDetail)
def get_order(number: OrderNumber, me: CurrentAccount, session: SessionDep) -> OrderDetail:
    """One of your orders, with its items and its history."""
    return _detail(session, orders.business_order(session, business_account(me).id, number))


@router.get("/{handle}/my-orders", response_model=list[OrderPublic])
def my_orders(handle: str, me: CurrentAccount, session: SessionDep) -> list[OrderPublic]:
    """Your orders with a business, newest first (none when you are not its customer)."""
    business = business_by_handle(session, handle)
    customer = orders.customer_for_account(session, business.id, me.id)
    found = orders.customer_orders(session, customer) if customer is not None else []
    return [OrderPublic.model_validate(o, from_attributes=True) for o in found]


@router.get("/{handle}/my-orders/{number}", response_model=OrderDetail)
def my_order(
    handle: str, number: OrderNumber, me: CurrentAccount, session: SessionDep
) -> OrderDetail:
    """One of your orders with a business, with its items and history."""
    business = business_by_handle(session, handle)
    customer = orders.customer_for_account(session, business.id, me.id)
    if customer is None:
        raise NotFound(f"there is no order {number!r} on your account")
    return _detail(session, orders.customer_order(session, customer, number))
