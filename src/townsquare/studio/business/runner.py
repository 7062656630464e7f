"""Runs a tool for the agent: arguments checked against its schema, the customer's right to it
checked, a change proposed and done only after the customer's explicit yes, every call written
to the audit log in the same transaction as what it changed.

When the owner reviews the agent's replies first (reply mode ``drafts``), a change is not done
on the customer's yes either: it is logged as ``held``, the draft says what waits, and
``run_held`` does it when the owner approves the draft (``held.py``). Read-only tools run.
"""

from __future__ import annotations

import json
from typing import Any

from townsquare import tools
from townsquare.db.models import ToolCall
from townsquare.errors import Forbidden, InvalidInput, TownsquareError
from townsquare.studio.business import audit
from townsquare.studio.business.chat import Call
from townsquare.studio.business.confirmations import is_no, is_yes
from townsquare.studio.business.orders import NeedsAPerson
from townsquare.studio.business.tools import TOOLSET
from townsquare.studio.business.wording import Told, say
from townsquare.tools import InvalidArguments, Result, Tool

DECLINED = say("en", "declined")
# A call the model got wrong (no such tool, arguments off the schema): its sentence is for the
# model to try again, in English, never for the customer.
MALFORMED = "malformed"
HELD = (
    "[Waits for your approval: {action}. Approving this draft does it; the customer then reads"
    " what came of it.]"
)


def execute(call: Call, name: str, arguments: dict[str, Any]) -> Result:
    """Runs (or, for a change, proposes) one tool call and writes it to the audit log."""
    try:
        tool = tools.get(name, TOOLSET)
    except InvalidInput:
        said = f"there is no tool {name!r}"
        return _log(call, name, arguments, Result("error", said, {MALFORMED: True}))
    try:
        tools.validate(tool, arguments)
    except InvalidArguments as bad:
        said = f"bad arguments: {bad.reason}"
        return _log(call, name, arguments, Result("error", said, {MALFORMED: True}))
    refusal = _permission(call, tool)
    if refusal is not None:
        return _log(call, name, arguments, refusal)
    if tool.question is None:
        return _log(call, name, arguments, _run_or_hold(call, tool, arguments))
    try:
        question = tool.question(call, arguments)
    except TownsquareError as exc:
        return _log(call, name, arguments, _failure(call, exc))
    return _log(call, name, arguments, Result("proposed", question))


def answer_proposal(call: Call, text: str) -> Result | None:
    """Settles the change waiting for the customer's answer: an explicit yes runs it, a no drops
    it, anything else drops it too and lets the agent answer the message (None)."""
    proposal = audit.pending_proposal(call.session, call.thread_id)
    if proposal is None:
        return None
    if not is_yes(text):
        proposal.status = "declined"
        call.session.flush()
        return Result("ok", say(call.language, "declined")) if is_no(text) else None
    proposal.status = "confirmed"
    return _carry_out(call, proposal, hold=True)


def run_held(call: Call, held: ToolCall) -> Result:
    """Does a change that waited for the owner, who approved the draft that announced it."""
    held.status = "approved"
    return _carry_out(call, held, hold=False)


def _carry_out(call: Call, settled: ToolCall, *, hold: bool) -> Result:
    """The settled call, with the customer's rights checked again (they may have changed)."""
    tool = tools.get(settled.tool, TOOLSET)
    arguments = dict(settled.arguments)
    refusal = _permission(call, tool)
    if refusal is not None:
        result = refusal
    else:
        result = _run_or_hold(call, tool, arguments) if hold else _run(call, tool, arguments)
    return _log(call, tool.name, arguments, result)


def _run_or_hold(call: Call, tool: Tool[Call], arguments: dict[str, Any]) -> Result:
    if tool.side_effect and call.agent.reply_mode == "drafts":
        action = f"{tool.name} {json.dumps(arguments, ensure_ascii=False)}"
        return Result("held", HELD.format(action=action))
    return _run(call, tool, arguments)


def _permission(call: Call, tool: Tool[Call]) -> Result | None:
    refusal = tool.permitted(call) if tool.permitted is not None else None
    return Result("refused", refusal) if refusal is not None else None


def _run(call: Call, tool: Tool[Call], arguments: dict[str, Any]) -> Result:
    """The tool in a savepoint: a refusal or error half-way leaves nothing changed."""
    try:
        with call.session.begin_nested():
            return tool.run(call, arguments)
    except TownsquareError as exc:
        return _failure(call, exc)


def _failure(call: Call, exc: TownsquareError) -> Result:
    """The error as the customer reads it: a rule of the policy, or what is missing or in the
    way, in their language."""
    reason = exc.told(call.language) if isinstance(exc, Told) else str(exc)
    if isinstance(exc, NeedsAPerson):
        said = say(call.language, "cannot_myself", reason=reason)
        return Result("refused", said, {"needs_person": True})
    if isinstance(exc, Forbidden):
        return Result("refused", say(call.language, "cannot", reason=reason))
    return Result("error", say(call.language, "sorry", reason=reason))


def _log(call: Call, name: str, arguments: dict[str, Any], result: Result) -> Result:
    audit.record(
        call.session,
        agent_id=call.agent.id,
        thread_id=call.thread_id,
        message_id=call.message_id,
        tool=name,
        arguments=arguments,
        result={"say": result.say, **result.data},
        status=result.status,
    )
    return result
