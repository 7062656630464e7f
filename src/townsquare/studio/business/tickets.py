"""Support tickets: what a customer raised, and conversations handed to a person."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import Ticket
from townsquare.errors import InvalidInput, NotFound

TICKET_KINDS = frozenset({"support", "handoff"})


def open_ticket(
    session: Session,
    business_id: int,
    *,
    kind: str,
    subject: str,
    body: str,
    customer_id: int | None = None,
    thread_id: int | None = None,
    order_id: int | None = None,
) -> Ticket:
    if kind not in TICKET_KINDS:
        raise InvalidInput(f"unknown ticket kind {kind!r}")
    if not subject.strip():
        raise InvalidInput("a ticket needs a subject")
    ticket = Ticket(
        business_id=business_id,
        customer_id=customer_id,
        thread_id=thread_id,
        order_id=order_id,
        kind=kind,
        subject=subject.strip()[:200],
        body=body[:4_000],
        status="open",
    )
    session.add(ticket)
    session.flush()
    return ticket


def business_tickets(
    session: Session, business_id: int, *, status: str | None = None
) -> list[Ticket]:
    query = select(Ticket).where(Ticket.business_id == business_id)
    if status is not None:
        query = query.where(Ticket.status == status)
    return list(session.scalars(query.order_by(Ticket.id.desc())))


def handoff_summary(session: Session, thread_id: int) -> str | None:
    """The agent's summary of the latest hand-off in a thread, for the owner's inbox."""
    return session.scalar(
        select(Ticket.body)
        .where(Ticket.thread_id == thread_id, Ticket.kind == "handoff")
        .order_by(Ticket.id.desc())
        .limit(1)
    )


def business_ticket(session: Session, business_id: int, ticket_id: int) -> Ticket:
    """One of the business's tickets; another business's reads like one that does not exist."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.business_id != business_id:
        raise NotFound(f"there is no ticket {ticket_id}")
    return ticket


def close_ticket(session: Session, business_id: int, ticket_id: int) -> Ticket:
    ticket = business_ticket(session, business_id, ticket_id)
    ticket.status = "closed"
    session.flush()
    return ticket
