"""The business tools as intent tools: ``business_<tool>`` with the business agent's handle added
to the tool's own arguments, e.g. ``business_cancel_order`` with
``{"business": "@bakery-help", "order_number": "B-1001"}``.

They run through the business runner exactly as in a chat with that agent, in the member's own
thread with it: the tool acts for the member's customer record at that business only (none: the
runner refuses), orders need the member verified in that thread as the business's policy asks,
and every call lands in the business's audit log. A change (cancel, return, book, move, open a
ticket) is a side effect: the member approves it in the inbox first unless the intent is
autonomous, and that approval stands for the "yes" the runner waits for; the idempotency key
makes a replayed step return the stored result instead of changing anything twice. A refusal
(not a customer, not verified, past the return window) is the action's result, for the member
to read, not a failure of the intent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import tools
from townsquare.db.models import Account, Agent, Customer
from townsquare.errors import InvalidInput
from townsquare.studio.business import runner
from townsquare.studio.business.chat import Call, call_for
from townsquare.studio.business.tools import TOOLSET as BUSINESS
from townsquare.studio.dm import agent_threads
from townsquare.tasks.intent_tools import TOOLSET, IntentContext
from townsquare.tools import Result, Tool

PREFIX = "business_"
# Tools that only make sense inside a live chat: the intent's member is already signed in, and
# the intent reports to its member, not to a person of the business.
CHAT_ONLY = frozenset({"verify_customer", "transfer_to_human"})
BUSINESS_ARG = {"type": "string", "minLength": 1, "maxLength": 64,
                "description": "the business agent's @handle"}  # fmt: skip


def _call(session: Session, member: Account, handle: str) -> Call:
    """The call a tool would run under if ``member`` wrote to the agent @handle."""
    opened = agent_threads.open_agent_thread(session, member, handle.lstrip("@").lower())
    agent = session.get(Agent, opened.state.agent_id)
    assert agent is not None
    if agent.kind != "business":
        raise InvalidInput(f"@{handle.lstrip('@')} is not a business agent")
    return call_for(
        session, agent, thread_id=opened.thread.id, message_id=None, member_id=member.id
    )


def _runner_for(tool: Tool[Call]) -> Callable[[IntentContext, dict[str, Any]], Result]:
    def run(ctx: IntentContext, args: dict[str, Any]) -> Result:
        arguments = {k: v for k, v in args.items() if k != "business"}
        call = _call(ctx.session, ctx.member, str(args["business"]))
        result = runner.execute(call, tool.name, arguments)
        if result.status == "proposed":  # the member approved it (or the intent may act alone)
            settled = runner.answer_proposal(call, "yes")
            assert settled is not None, "the proposal just made is the thread's latest call"
            result = settled
        return result

    return run


def business_tool(tool: Tool[Call]) -> Tool[IntentContext]:
    """The intents' tool for a business tool: ``business_<tool>``, the business's handle first
    among its arguments; a change asks the member first."""
    schema = dict(tool.parameters)
    schema["properties"] = {"business": BUSINESS_ARG, **schema["properties"]}
    schema["required"] = ["business", *schema["required"]]
    return Tool(
        PREFIX + tool.name,
        f"At a business (its agent's @handle): {tool.description[0].lower()}{tool.description[1:]}",
        schema,
        _runner_for(tool),
        toolset=TOOLSET,
        side_effect=tool.side_effect,
        needs_approval=tool.side_effect,
    )


def businesses_of(session: Session, member: Account) -> list[str]:
    """The business agents the member owns or is a customer of, as "@handle (why)": what an
    intent of theirs may use the business tools with."""
    owned = select(Agent.account_id, Agent.owner_id).where(Agent.kind == "business")
    rows = session.execute(
        owned.where(
            (Agent.owner_id == member.id)
            | Agent.owner_id.in_(
                select(Customer.business_id).where(Customer.account_id == member.id)
            )
        ).order_by(Agent.id)
    )
    found: list[str] = []
    for account_id, owner_id in rows:
        account = session.get(Account, account_id)
        if account is not None:
            why = "yours" if owner_id == member.id else "you are a customer"
            found.append(f"@{account.handle} ({why})")
    return found


BUSINESS_TOOLS = tuple(
    business_tool(tool) for tool in tools.available(BUSINESS) if tool.name not in CHAT_ONLY
)

for _tool in BUSINESS_TOOLS:
    tools.register(_tool)
