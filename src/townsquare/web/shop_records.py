"""The shop's records, for a business account: support tickets (open, read, close) and the audit
log of its agents' tool calls (each shown with the customer message that triggered it) and of
the owner's own changes. Orders are in ``shop_orders``, bookings in ``shop_bookings``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response

from townsquare.db.models import Agent, Customer, Message, Order, Ticket, ToolCall
from townsquare.errors import InvalidInput
from townsquare.http import IdPath
from townsquare.studio import agents
from townsquare.studio.business import accounts, audit, tickets
from townsquare.studio.business.accounts import business_account
from townsquare.web.session import Csrf, Member, WebSession, render, web_router

router = web_router()

AUDIT_PAGE = 25
TICKET_STATUSES = ("open", "closed")


def _thread_href(session: WebSession, agent: Agent | None, thread_id: int | None) -> str | None:
    """Where the owner reads a conversation of their agent (the agent inbox's thread page)."""
    if agent is None or thread_id is None:
        return None
    return f"/inbox/{agents.agent_account(session, agent).handle}/threads/{thread_id}"


@router.get("/shop/tickets")
def tickets_page(
    request: Request,
    me: Member,
    session: WebSession,
    status: Annotated[str, Query(max_length=24)] = "",
) -> Response:
    if status and status not in TICKET_STATUSES:
        raise InvalidInput(f"a ticket is {' or '.join(TICKET_STATUSES)}, not {status!r}")
    shown: list[Ticket] = tickets.business_tickets(
        session, business_account(me).id, status=status or None
    )
    return render(
        request, "shop_tickets.html", me, tickets=shown, status=status, statuses=TICKET_STATUSES
    )


@router.get("/shop/tickets/{ticket_id}")
def ticket_page(request: Request, ticket_id: IdPath, me: Member, session: WebSession) -> Response:
    shop = business_account(me)
    ticket = tickets.business_ticket(session, shop.id, ticket_id)
    agent = None
    if ticket.thread_id is not None:
        agent = accounts.shop_agent_in_thread(session, owner=shop, thread_id=ticket.thread_id)
    return render(
        request,
        "shop_ticket.html",
        me,
        ticket=ticket,
        customer=session.get(Customer, ticket.customer_id) if ticket.customer_id else None,
        order=session.get(Order, ticket.order_id) if ticket.order_id else None,
        thread_href=_thread_href(session, agent, ticket.thread_id),
    )


@router.post("/shop/tickets/{ticket_id}/close", dependencies=[Csrf])
def close_ticket(ticket_id: IdPath, me: Member, session: WebSession) -> Response:
    tickets.close_ticket(session, business_account(me).id, ticket_id)
    session.commit()
    return RedirectResponse(f"/shop/tickets/{ticket_id}", status_code=303)


@dataclass(frozen=True)
class AuditLine:
    """One tool call as the audit page shows it."""

    call: ToolCall
    agent_handle: str
    message: Message | None  # the customer message that triggered it
    thread_href: str | None  # None for a change the owner made in person


@router.get("/shop/audit")
def audit_page(
    request: Request,
    me: Member,
    session: WebSession,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    shop = business_account(me)
    try:
        page = audit.business_tool_calls(session, shop.id, cursor=cursor, limit=AUDIT_PAGE)
    except InvalidInput as error:
        raise InvalidInput(
            "that is not a page of the audit log; open it again from Shop"
        ) from error
    lines = []
    for call in page.items:
        agent = session.get(Agent, call.agent_id) if call.agent_id is not None else None
        lines.append(
            AuditLine(
                call=call,
                agent_handle=agents.agent_account(session, agent).handle if agent else "",
                message=session.get(Message, call.message_id) if call.message_id else None,
                thread_href=_thread_href(session, agent, call.thread_id),
            )
        )
    return render(
        request, "shop_audit.html", me, lines=lines, next_cursor=page.next_cursor, first=not cursor
    )
