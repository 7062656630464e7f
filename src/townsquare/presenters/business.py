"""Public shapes of a business's data: products (and the body that adds one), policy, customers,
appointment slots and bookings, tickets, the audit log's tool calls and orders, built from rows
by the ``*_public`` functions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from townsquare.db.models import (
    AppointmentSlot,
    Booking,
    Customer,
    Order,
    Product,
    Ticket,
    ToolCall,
)
from townsquare.presenters import RequestModel
from townsquare.studio.business import orders
from townsquare.studio.business.policy import Policy

OptionName = Annotated[str, Field(max_length=64)]
Choices = Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=50)]


class ProductIn(RequestModel):
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=4_000)
    price_cents: int = Field(ge=0, le=100_000_000)
    currency: str = Field("EUR", max_length=3, pattern=r"^[A-Z]{3}$")
    stock: int | None = Field(None, ge=0, le=10_000_000, description="null for a service")
    options: dict[OptionName, Choices] = Field(
        default_factory=dict, max_length=16, description='{"size": ["S", "L"]}'
    )


class ProductPublic(ProductIn):
    id: int


class PolicySentencePublic(BaseModel):
    text: str
    limit: str | None = Field(
        description="The limit the code enforces for this sentence, in words; null: not"
        " enforced automatically (only the agent's model keeps it)."
    )
    note: str | None = Field(
        None,
        description="How the sentence was read, when the owner should know: a final-sale rule"
        " read by meaning, words that name no item of the catalog.",
    )
    holds_returns: bool = Field(
        False,
        description="Not enforced, yet perhaps a rule about the items it names: the agent hands"
        " a return of one of them to a person.",
    )


class PolicyPublic(BaseModel):
    text: str
    return_window_days: int | None = Field(
        description="Returns accepted up to this many days after delivery; null when the policy"
        " sets no window (a person decides on every return)."
    )
    refund_max_cents: int | None = Field(description="Refunds above this are never granted.")
    exchanges: bool
    forbidden: list[str]
    notice_hours: int | None = Field(
        description="Customers move or cancel an appointment at least this long before it."
    )
    final_sale_words: list[str] = Field(
        description="A product whose name or description has one of these words is never"
        " returned or exchanged ('sale' stands for its synonyms: 'clearance', 'outlet'...)."
    )
    category_windows: dict[str, int] = Field(
        description="Return windows in days for order items whose name has the word."
    )
    sentences: list[PolicySentencePublic] = Field(description="Every sentence, accounted for.")
    not_enforced: list[str] = Field(description="The sentences no code enforces.")


class CustomerPublic(BaseModel):
    id: int
    name: str
    email: str
    account_id: int | None


class SlotIn(RequestModel):
    starts_at: datetime
    minutes: int = Field(30, ge=5, le=24 * 60)
    service: str = Field("", max_length=200)


class SlotPublic(SlotIn):
    id: int


class TicketPublic(BaseModel):
    id: int
    kind: str
    subject: str
    body: str
    status: str
    customer_id: int | None
    thread_id: int | None
    created_at: datetime


class BookingPublic(BaseModel):
    id: int
    status: str = Field(description="booked | cancelled")
    customer: CustomerPublic
    slot: SlotPublic
    created_at: datetime


class ToolCallPublic(BaseModel):
    id: int
    agent_id: int | None = Field(description="null for a change the owner made in person.")
    thread_id: int | None
    owner_id: int | None = Field(description="The business, for a change made in person.")
    message_id: int | None = Field(description="The customer message that triggered the call.")
    tool: str
    arguments: dict[str, Any]
    result: dict[str, Any]
    status: str
    created_at: datetime


class OrderPublic(BaseModel):
    id: int
    number: str
    customer_id: int
    status: str
    total_cents: int
    currency: str
    placed_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    carrier: str | None
    tracking_number: str | None
    delivered_at: datetime | None = Field(description="The return window counts from here.")
    returned_at: datetime | None
    refunded_at: datetime | None
    cancelled_at: datetime | None


class OrderItemPublic(BaseModel):
    name: str = Field(description="As sold, whatever the catalog says now.")
    quantity: int
    unit_price_cents: int
    options: dict[str, str]


class OrderEventPublic(BaseModel):
    kind: str = Field(description="placed | paid | shipped | delivered | cancelled | ...")
    detail: str
    actor: str = Field(description="agent | owner | customer")
    created_at: datetime


class OrderDetail(OrderPublic):
    items: list[OrderItemPublic]
    history: list[OrderEventPublic]


def product_public(p: Product) -> ProductPublic:
    return ProductPublic(
        id=p.id, sku=p.sku, name=p.name, description=p.description, price_cents=p.price_cents,
        currency=p.currency, stock=p.stock, options=p.options,
    )  # fmt: skip


def policy_public(p: Policy) -> PolicyPublic:
    return PolicyPublic(
        text=p.text, return_window_days=p.return_window_days, refund_max_cents=p.refund_max_cents,
        exchanges=p.exchanges, forbidden=list(p.forbidden), notice_hours=p.notice_hours,
        final_sale_words=list(p.final_words), category_windows=dict(p.category_windows),
        sentences=[
            PolicySentencePublic(
                text=s.text, limit=s.limit, note=s.note, holds_returns=s.holds_returns
            )
            for s in p.sentences
        ],
        not_enforced=list(p.not_enforced),
    )  # fmt: skip


def customer_public(customer: Customer) -> CustomerPublic:
    return CustomerPublic(
        id=customer.id, name=customer.name, email=customer.email, account_id=customer.account_id
    )


def slot_public(slot: AppointmentSlot) -> SlotPublic:
    return SlotPublic(
        id=slot.id, starts_at=slot.starts_at, minutes=slot.minutes, service=slot.service
    )


def booking_public(session: Session, booking: Booking) -> BookingPublic:
    customer = session.get(Customer, booking.customer_id)
    slot = session.get(AppointmentSlot, booking.slot_id)
    assert customer is not None and slot is not None, "both cascade-delete the booking"
    return BookingPublic(
        id=booking.id,
        status=booking.status,
        customer=customer_public(customer),
        slot=slot_public(slot),
        created_at=booking.created_at,
    )


def ticket_public(ticket: Ticket) -> TicketPublic:
    return TicketPublic.model_validate(ticket, from_attributes=True)


def tool_call_public(call: ToolCall) -> ToolCallPublic:
    return ToolCallPublic.model_validate(call, from_attributes=True)


def order_public(order: Order) -> OrderPublic:
    return OrderPublic.model_validate(order, from_attributes=True)


def order_detail(session: Session, order: Order) -> OrderDetail:
    """The order with its items and its history."""
    return OrderDetail(
        **order_public(order).model_dump(),
        items=[
            OrderItemPublic.model_validate(i, from_attributes=True)
            for i in orders.order_items(session, order)
        ],
        history=[
            OrderEventPublic.model_validate(e, from_attributes=True)
            for e in orders.order_history(session, order)
        ],
    )
