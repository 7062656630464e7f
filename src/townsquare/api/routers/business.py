"""A business's own data, for the business account: catalog (with CSV import), policy,
customers, orders, appointment slots, tickets, and the audit log of its agents' tool calls.
Anyone may read a business's catalog."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, UploadFile, status
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.api.deps import CurrentAccount
from townsquare.db.models import Account, AppointmentSlot, Customer, Product, Ticket
from townsquare.errors import Forbidden, InvalidInput, NotFound
from townsquare.http import IdPath, Limit, SessionDep
from townsquare.presenters import RequestModel
from townsquare.social.accounts import normalise_handle
from townsquare.studio.business import appointments, audit, catalog, orders, policy, tickets
from townsquare.studio.business.catalog import ImportReport, ProductFields
from townsquare.studio.business.policy import MAX_POLICY_TEXT

router = APIRouter(prefix="/business", tags=["business"])

MAX_CSV_BYTES = 2 * 1024 * 1024


class ProductIn(RequestModel):
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=4_000)
    price_cents: int = Field(ge=0, le=100_000_000)
    currency: str = Field("EUR", pattern=r"^[A-Z]{3}$")
    stock: int | None = Field(None, ge=0, le=10_000_000, description="null for a service")
    options: dict[str, list[str]] = Field(default_factory=dict, description='{"size": ["S", "L"]}')


class ProductPublic(ProductIn):
    id: int


class PolicyIn(RequestModel):
    text: str = Field(max_length=MAX_POLICY_TEXT, description="Plain text the agent follows.")


class PolicyPublic(BaseModel):
    text: str
    return_window_days: int
    refund_max_cents: int | None = Field(description="Refunds above this are never granted.")
    exchanges: bool
    forbidden: list[str]


class CustomerIn(RequestModel):
    name: str = Field(min_length=1, max_length=120)
    email: str = Field(min_length=3, max_length=254)
    handle: str | None = Field(None, description="Their Townsquare account, to talk to the agent.")


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


class ToolCallPublic(BaseModel):
    id: int
    agent_id: int
    thread_id: int
    message_id: int | None = Field(description="The customer message that triggered the call.")
    tool: str
    arguments: dict[str, Any]
    result: dict[str, Any]
    status: str
    created_at: datetime


def business_account(me: Account) -> Account:
    """The signed-in account, if it is a business (403 otherwise)."""
    if me.kind != "business":
        raise Forbidden("only a business account has a catalog, orders and tickets")
    return me


def _product(p: Product) -> ProductPublic:
    return ProductPublic(
        id=p.id, sku=p.sku, name=p.name, description=p.description, price_cents=p.price_cents,
        currency=p.currency, stock=p.stock, options=p.options,
    )  # fmt: skip


def _policy(p: policy.Policy) -> PolicyPublic:
    return PolicyPublic(
        text=p.text, return_window_days=p.return_window_days, refund_max_cents=p.refund_max_cents,
        exchanges=p.exchanges, forbidden=list(p.forbidden),
    )  # fmt: skip


def business_by_handle(session: Session, handle: str) -> Account:
    business = session.scalar(select(Account).where(Account.handle == normalise_handle(handle)))
    if business is None or business.kind != "business":
        raise NotFound(f"there is no business @{handle.lstrip('@')}")
    return business


@router.get("/{handle}/catalog", response_model=list[ProductPublic])
def public_catalog(handle: str, session: SessionDep) -> list[ProductPublic]:
    """A business's products and services on sale."""
    business = business_by_handle(session, handle)
    return [_product(p) for p in catalog.list_products(session, business.id)]


@router.put("/catalog", response_model=ProductPublic)
def put_product(body: ProductIn, me: CurrentAccount, session: SessionDep) -> ProductPublic:
    """Adds a product, or replaces the one with the same sku."""
    fields = ProductFields(**body.model_dump())
    product, _ = catalog.upsert_product(session, business_account(me).id, fields)
    session.commit()
    return _product(product)


@router.delete("/catalog/{sku}", status_code=status.HTTP_204_NO_CONTENT)
def delete_product(sku: str, me: CurrentAccount, session: SessionDep) -> None:
    """Takes a product off sale (orders keep what was sold)."""
    catalog.delete_product(session, business_account(me).id, sku)
    session.commit()


@router.post("/catalog/import", response_model=ImportReport)
def import_catalog(
    me: CurrentAccount,
    session: SessionDep,
    file: UploadFile = File(description="CSV: sku,name,price[,description,currency,stock,options]"),
) -> ImportReport:
    """Imports a catalog CSV: good rows are saved, each bad row is reported and skipped."""
    data = file.file.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise InvalidInput(f"a catalog CSV is at most {MAX_CSV_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("the CSV must be UTF-8 text") from exc
    report = catalog.import_csv(session, business_account(me).id, text)
    session.commit()
    return report


@router.get("/policy", response_model=PolicyPublic)
def get_policy(me: CurrentAccount, session: SessionDep) -> PolicyPublic:
    """Your policy, with the hard limits read from it."""
    return _policy(policy.business_policy(session, business_account(me).id))


@router.put("/policy", response_model=PolicyPublic)
def put_policy(body: PolicyIn, me: CurrentAccount, session: SessionDep) -> PolicyPublic:
    """Replaces your policy; check the limits in the answer are what you meant."""
    parsed = policy.set_policy(session, business_account(me).id, body.text)
    session.commit()
    return _policy(parsed)


@router.post("/customers", status_code=status.HTTP_201_CREATED, response_model=CustomerPublic)
def add_customer(body: CustomerIn, me: CurrentAccount, session: SessionDep) -> CustomerPublic:
    """Adds a customer; with their handle, your agent can serve them in DMs once they repeat
    this email."""
    account_id = None
    if body.handle is not None:
        account = session.scalar(
            select(Account).where(Account.handle == normalise_handle(body.handle))
        )
        if account is None:
            raise NotFound(f"there is no account @{body.handle.lstrip('@')}")
        account_id = account.id
    customer: Customer = orders.add_customer(
        session, business_account(me).id, name=body.name, email=body.email, account_id=account_id
    )
    session.commit()
    return CustomerPublic(
        id=customer.id, name=customer.name, email=customer.email, account_id=customer.account_id
    )


@router.post("/slots", status_code=status.HTTP_201_CREATED, response_model=SlotPublic)
def add_slot(body: SlotIn, me: CurrentAccount, session: SessionDep) -> SlotPublic:
    """Opens an appointment slot that your agent can book for a customer."""
    if body.starts_at.tzinfo is None:
        raise InvalidInput("starts_at needs a time zone, e.g. 2026-05-01T10:00:00Z")
    slot: AppointmentSlot = appointments.add_slot(
        session, business_account(me).id, body.starts_at, minutes=body.minutes, service=body.service
    )
    session.commit()
    return SlotPublic(
        id=slot.id, starts_at=slot.starts_at, minutes=slot.minutes, service=slot.service
    )


@router.get("/tickets", response_model=list[TicketPublic])
def list_tickets(
    me: CurrentAccount,
    session: SessionDep,
    status_: Annotated[Literal["open", "closed"] | None, Query(alias="status")] = None,
) -> list[TicketPublic]:
    """Support tickets and hand-offs, newest first."""
    found: list[Ticket] = tickets.business_tickets(session, business_account(me).id, status=status_)
    return [TicketPublic.model_validate(t, from_attributes=True) for t in found]


@router.post("/tickets/{ticket_id}/close", response_model=TicketPublic)
def close_ticket(ticket_id: IdPath, me: CurrentAccount, session: SessionDep) -> TicketPublic:
    """Marks a ticket as dealt with."""
    ticket = tickets.close_ticket(session, business_account(me).id, ticket_id)
    session.commit()
    return TicketPublic.model_validate(ticket, from_attributes=True)


@router.get("/tool-calls", response_model=list[ToolCallPublic])
def list_tool_calls(
    me: CurrentAccount, session: SessionDep, limit: Limit = 50
) -> list[ToolCallPublic]:
    """The audit log: every tool your agents called, newest first."""
    calls = audit.business_tool_calls(session, business_account(me).id, limit=limit).items
    return [ToolCallPublic.model_validate(c, from_attributes=True) for c in calls]
