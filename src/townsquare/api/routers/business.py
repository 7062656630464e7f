"""A business's own data, for the business account: catalog (with CSV import), policy,
customers, orders, appointment slots, tickets, and the audit log of its agents' tool calls.
Anyone may read a business's catalog."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile, status
from pydantic import Field

from townsquare.api.deps import CurrentAccount
from townsquare.http import IdPath, Limit, SessionDep
from townsquare.presenters import RequestModel
from townsquare.presenters.business import (
    CustomerPublic,
    PolicyPublic,
    ProductIn,
    ProductPublic,
    SlotIn,
    SlotPublic,
    TicketPublic,
    ToolCallPublic,
    customer_public,
    policy_public,
    product_public,
    slot_public,
    ticket_public,
    tool_call_public,
)
from townsquare.studio.business import accounts, audit, catalog, policy, tickets
from townsquare.studio.business.accounts import MAX_CSV_BYTES, business_account
from townsquare.studio.business.catalog import ImportReport, ProductFields
from townsquare.studio.business.policy import MAX_POLICY_TEXT

router = APIRouter(prefix="/business", tags=["business"])


class PolicyIn(RequestModel):
    text: str = Field(max_length=MAX_POLICY_TEXT, description="Plain text the agent follows.")


class CustomerIn(RequestModel):
    name: str = Field(min_length=1, max_length=120)
    email: str = Field(min_length=3, max_length=254)
    handle: str | None = Field(
        None, max_length=64, description="Their Townsquare account, to talk to the agent."
    )


@router.get("/{handle}/catalog", response_model=list[ProductPublic])
def public_catalog(handle: str, session: SessionDep) -> list[ProductPublic]:
    """A business's products and services on sale."""
    business = accounts.business_by_handle(session, handle)
    return [product_public(p) for p in catalog.list_products(session, business.id)]


@router.put("/catalog", response_model=ProductPublic)
def put_product(body: ProductIn, me: CurrentAccount, session: SessionDep) -> ProductPublic:
    """Adds a product, or replaces the one with the same sku."""
    fields = ProductFields(**body.model_dump())
    product, _ = catalog.upsert_product(session, business_account(me).id, fields)
    session.commit()
    return product_public(product)


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
    report = accounts.import_catalog(session, owner=me, data=data)
    session.commit()
    return report


@router.get("/policy", response_model=PolicyPublic)
def get_policy(request: Request, me: CurrentAccount, session: SessionDep) -> PolicyPublic:
    """Your policy, with the hard limits read from it."""
    embedder = request.app.state.models.multilingual
    return policy_public(policy.business_policy(session, business_account(me).id, embedder))


@router.put("/policy", response_model=PolicyPublic)
def put_policy(
    request: Request, body: PolicyIn, me: CurrentAccount, session: SessionDep
) -> PolicyPublic:
    """Replaces your policy; check the limits in the answer are what you meant."""
    embedder = request.app.state.models.multilingual
    parsed = policy.set_policy(session, business_account(me).id, body.text, embedder)
    session.commit()
    return policy_public(parsed)


@router.post("/customers", status_code=status.HTTP_201_CREATED, response_model=CustomerPublic)
def add_customer(body: CustomerIn, me: CurrentAccount, session: SessionDep) -> CustomerPublic:
    """Adds a customer; with their handle, your agent can serve them in DMs once they repeat
    this email."""
    customer = accounts.add_customer(
        session, owner=me, name=body.name, email=body.email, handle=body.handle
    )
    session.commit()
    return customer_public(customer)


@router.post("/slots", status_code=status.HTTP_201_CREATED, response_model=SlotPublic)
def add_slot(body: SlotIn, me: CurrentAccount, session: SessionDep) -> SlotPublic:
    """Opens an appointment slot that your agent can book for a customer."""
    slot = accounts.open_slot(
        session, owner=me, starts_at=body.starts_at, minutes=body.minutes, service=body.service
    )
    session.commit()
    return slot_public(slot)


@router.get("/tickets", response_model=list[TicketPublic])
def list_tickets(
    me: CurrentAccount,
    session: SessionDep,
    status_: Annotated[Literal["open", "closed"] | None, Query(alias="status")] = None,
) -> list[TicketPublic]:
    """Support tickets and hand-offs, newest first."""
    found = tickets.business_tickets(session, business_account(me).id, status=status_)
    return [ticket_public(t) for t in found]


@router.post("/tickets/{ticket_id:int}/close", response_model=TicketPublic)
def close_ticket(ticket_id: IdPath, me: CurrentAccount, session: SessionDep) -> TicketPublic:
    """Marks a ticket as dealt with."""
    ticket = tickets.close_ticket(session, business_account(me).id, ticket_id)
    session.commit()
    return ticket_public(ticket)


@router.get("/tool-calls", response_model=list[ToolCallPublic])
def list_tool_calls(
    me: CurrentAccount, session: SessionDep, limit: Limit = 50
) -> list[ToolCallPublic]:
    """The audit log: every tool your agents called, newest first."""
    calls = audit.business_tool_calls(session, business_account(me).id, limit=limit).items
    return [tool_call_public(c) for c in calls]
