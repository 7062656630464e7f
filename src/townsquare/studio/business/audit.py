"""The audit log of tool calls (the agents', and the changes the shop's owner makes in person),
and what it tells the agent about a thread: whether the customer is verified, and which change
(if any) waits for their yes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from townsquare.db.models import Agent, ThreadMember, ToolCall
from townsquare.social.pagination import Page, paginate

MAX_FAILED_VERIFICATIONS = 3


def record(
    session: Session,
    *,
    agent_id: int,
    thread_id: int,
    message_id: int | None,
    tool: str,
    arguments: dict[str, Any],
    result: dict[str, Any],
    status: str,
) -> ToolCall:
    row = ToolCall(
        agent_id=agent_id,
        thread_id=thread_id,
        message_id=message_id,
        tool=tool,
        arguments=arguments,
        result=result,
        status=status,
    )
    session.add(row)
    session.flush()
    return row


def record_owner(
    session: Session, *, owner_id: int, tool: str, arguments: dict[str, Any], say: str
) -> ToolCall:
    """A change the owner made in person (no agent, no thread), in the same log."""
    row = ToolCall(
        owner_id=owner_id, tool=tool, arguments=arguments, result={"say": say}, status="ok"
    )
    session.add(row)
    session.flush()
    return row


def is_verified(session: Session, thread_id: int) -> bool:
    return (
        session.scalar(
            select(ToolCall.id).where(
                ToolCall.thread_id == thread_id,
                ToolCall.tool == "verify_customer",
                ToolCall.status == "ok",
            )
        )
        is not None
    )


def verified_with(session: Session, *, business_id: int, member_id: int) -> bool:
    """Whether the member verified themselves to an agent of ``business_id`` in any of their
    threads with it (``is_verified`` in one of them)."""
    theirs = select(ThreadMember.thread_id).where(ThreadMember.account_id == member_id)
    found = session.scalar(
        select(ToolCall.id)
        .join(Agent, Agent.id == ToolCall.agent_id)
        .where(
            Agent.owner_id == business_id,
            ToolCall.thread_id.in_(theirs),
            ToolCall.tool == "verify_customer",
            ToolCall.status == "ok",
        )
        .limit(1)
    )
    return found is not None


def failed_verifications(session: Session, thread_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                ToolCall.thread_id == thread_id,
                ToolCall.tool == "verify_customer",
                ToolCall.status == "refused",
            )
        )
        or 0
    )


def pending_proposal(session: Session, thread_id: int) -> ToolCall | None:
    """The change the agent proposed last, if it is the thread's latest tool call and still
    waits for an answer (any later call or answer settles it)."""
    latest = session.scalar(
        select(ToolCall)
        .where(ToolCall.thread_id == thread_id)
        .order_by(ToolCall.id.desc())
        .limit(1)
    )
    return latest if latest is not None and latest.status == "proposed" else None


def business_tool_calls(
    session: Session, business_id: int, *, cursor: str | None = None, limit: int
) -> Page[ToolCall]:
    """The calls of all the business's agents and its owner's own changes, newest first, a page
    at a time."""
    query = (
        select(ToolCall)
        .outerjoin(Agent, Agent.id == ToolCall.agent_id)
        .where(or_(Agent.owner_id == business_id, ToolCall.owner_id == business_id))
    )
    return paginate(session, query, ToolCall.id, cursor=cursor, limit=limit)
