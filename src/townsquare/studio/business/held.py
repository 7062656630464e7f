"""Changes that wait for the owner: a business agent whose replies are drafts (reply mode
``drafts``) does no change before its owner approves the draft that announces it (the runner
logs it as ``held``). Approving the draft does the change, and the customer reads what came of
it; discarding the draft, or taking the conversation over, drops it, together with any question
the customer never saw."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import Agent, AgentDraft, AgentThread, ToolCall
from townsquare.studio.business.chat import call_for
from townsquare.studio.business.runner import run_held


def _waiting(session: Session, draft: AgentDraft, statuses: tuple[str, ...]) -> list[ToolCall]:
    return list(
        session.scalars(
            select(ToolCall)
            .where(
                ToolCall.thread_id == draft.thread_id,
                ToolCall.message_id == draft.reply_to_message_id,
                ToolCall.status.in_(statuses),
            )
            .order_by(ToolCall.id)
        )
    )


def approve_held(session: Session, draft: AgentDraft) -> str:
    """Does the changes the draft announced; returns its text with each announcement replaced
    by what came of the change (the draft's text when nothing waited)."""
    text = draft.text
    held = _waiting(session, draft, ("held",))
    if not held:
        return text
    agent = session.get(Agent, draft.agent_id)
    state = session.get(AgentThread, draft.thread_id)
    assert agent is not None and state is not None
    call = call_for(
        session,
        agent,
        thread_id=draft.thread_id,
        message_id=draft.reply_to_message_id,
        member_id=state.member_id,
    )
    for row in held:
        announced = str(row.result.get("say", ""))
        done = run_held(call, row)
        text = text.replace(announced, done.say) if announced in text else done.say
    return text


def drop_held(session: Session, draft: AgentDraft) -> None:
    """The draft will not be sent: what it announced is not done, what it asked is unasked."""
    for row in _waiting(session, draft, ("held", "proposed")):
        row.status = "discarded" if row.status == "held" else "declined"
    session.flush()
