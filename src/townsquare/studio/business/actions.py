"""What the business agent's model may do in a turn, and how it is asked: one JSON action (a
tool of the runner, the documents, or a plain reply), constrained by ``ACTION_SCHEMA`` or
called natively where the server supports tools, chosen from a prompt that shows one example
per action (a small model copies a pattern far better than it follows a description).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from townsquare.ai.chat import ChatMessage, ChatModel, ChatRequest
from townsquare.ai.errors import StructuredOutputError
from townsquare.ai.openai_compat import OpenAIChatModel
from townsquare.studio.business import documents
from townsquare.studio.business.chat import Call
from townsquare.studio.business.tools import TOOLSET
from townsquare.studio.conversation.memory import Turn
from townsquare.studio.conversation.persona import Persona
from townsquare.tools import available

HISTORY_TURNS = 6
ACTION_MAX_TOKENS = 160
SEED = 7

REPLY_TEXT = {"type": "string", "minLength": 1, "maxLength": 400}
REPLY_DESCRIPTION = "Answer in words when no tool is needed."
# What the model may call: the runner's tools and the documents, which the turn answers itself
# (the grounded pipeline generates, and no transaction may stay open meanwhile).
CALLABLE: dict[str, tuple[str, dict[str, Any]]] = {
    **{t.name: (t.description, dict(t.parameters)) for t in available(TOOLSET)},
    documents.NAME: (documents.DESCRIPTION, documents.PARAMETERS),
}


def action_schema() -> dict[str, Any]:
    """One object whose ``action`` is one tool call, or a plain reply."""
    branches: list[dict[str, Any]] = [
        {
            "type": "object",
            "properties": {"tool": {"enum": [name]}, "arguments": parameters},
            "required": ["tool", "arguments"],
            "additionalProperties": False,
        }
        for name, (_, parameters) in CALLABLE.items()
    ]
    branches.append(
        {
            "type": "object",
            "properties": {
                "tool": {"enum": ["reply"]},
                "text": REPLY_TEXT,
            },
            "required": ["tool", "text"],
            "additionalProperties": False,
        }
    )
    return {
        "type": "object",
        "properties": {"action": {"anyOf": branches}},
        "required": ["action"],
        "additionalProperties": False,
    }


ACTION_SCHEMA = action_schema()
NATIVE_TOOLS: tuple[dict[str, Any], ...] = (
    *(
        {"name": name, "description": description, "parameters": parameters}
        for name, (description, parameters) in CALLABLE.items()
    ),
    {
        "name": "reply",
        "description": REPLY_DESCRIPTION,
        "parameters": {
            "type": "object",
            "properties": {"text": REPLY_TEXT},
            "required": ["text"],
            "additionalProperties": False,
        },
    },
)

# One example per action, shown to the model: a small model copies a pattern far better than it
# follows a description.
EXAMPLES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("Do you sell green tea?", "search_catalog", {"arguments": {"query": "green tea"}}),
    ("Tell me about TEA-01", "product_details", {"arguments": {"sku": "TEA-01"}}),
    ("my email is sam@mail.com", "verify_customer", {"arguments": {"email": "sam@mail.com"}}),
    ("What have I ordered?", "find_my_orders", {"arguments": {}}),
    ("Where is order A-7?", "order_details", {"arguments": {"order_number": "A-7"}}),
    ("Cancel my order A-7", "cancel_order", {"arguments": {"order_number": "A-7"}}),
    (
        "I want a refund for A-7",
        "request_return",
        {"arguments": {"order_number": "A-7", "kind": "return", "reason": "refund wanted"}},
    ),
    ("Any free appointments?", "list_free_slots", {"arguments": {}}),
    ("When is my appointment?", "my_appointments", {"arguments": {}}),
    ("Book slot 4 please", "book_appointment", {"arguments": {"slot_id": 4}}),
    (
        "Move appointment 2 to slot 5",
        "move_appointment",
        {"arguments": {"booking_id": 2, "slot_id": 5}},
    ),
    ("Cancel appointment 2", "cancel_appointment", {"arguments": {"booking_id": 2}}),
    (
        "Please open a ticket about my invoice",
        "open_ticket",
        {"arguments": {"subject": "invoice", "details": "customer asks about the invoice"}},
    ),
    (
        "This is awful, I want to complain to a person",
        "transfer_to_human",
        {"arguments": {"summary": "The customer wants to complain to a person."}},
    ),
    ("How long does delivery take?", documents.NAME, {"arguments": {}}),
    ("Hello!", "reply", {"text": "Hello! How can I help you today?"}),
)


def choose(model: ChatModel, messages: list[ChatMessage]) -> dict[str, Any] | None:
    """The model's next action: native tool calling where the server supports it, otherwise
    JSON constrained to ``ACTION_SCHEMA``. None when the model gave nothing usable."""
    request = ChatRequest(
        messages, max_tokens=ACTION_MAX_TOKENS, temperature=0, seed=SEED, json_schema=ACTION_SCHEMA
    )
    try:
        if isinstance(model, OpenAIChatModel):
            native = model.call_tool(request, NATIVE_TOOLS)
            if native is not None:
                return _native_action(*native)
        value = model.complete_json(request)
    except StructuredOutputError:
        return None
    action: dict[str, Any] = value["action"]
    return action


def _native_action(name: str, arguments: dict[str, Any]) -> dict[str, Any] | None:
    """A native tool call as an action; arguments are checked by the runner, like JSON ones."""
    if name in ("", "reply"):
        text = arguments.get("text")
        return {"tool": "reply", "text": text} if isinstance(text, str) and text else None
    return {"tool": name, "arguments": arguments}


def prompt(
    call: Call, persona: Persona, history: Sequence[Turn], message: str, notes: list[str]
) -> list[ChatMessage]:
    customer = call.customer
    who = (
        f"The customer is {customer.name}, {'verified' if call.verified else 'NOT verified yet'}."
        if customer is not None
        else "The customer has no record with the shop."
    )
    tools = "\n".join(
        f"- {name}: {CALLABLE[name][0] if name in CALLABLE else REPLY_DESCRIPTION}"
        f" Example: {example!r} -> {json.dumps({'action': {'tool': name, **fields}})}"
        for example, name, fields in EXAMPLES
    )
    forbidden = "".join(f"\n- {rule}" for rule in call.policy.forbidden)
    system = (
        f"You are {persona.name}, the automated customer-service assistant of {persona.owner_name}."
        f" {persona.instructions}\nPolicy of the shop:\n{call.policy.text or '(none)'}{forbidden}\n"
        f"{who}\nAnswer the customer's last message with one JSON action. Actions:\n{tools}\n"
        "Use the exact order number, email or slot the customer wrote. Never invent facts."
    )
    messages = [ChatMessage("system", system)]
    for past in history[-HISTORY_TURNS:]:
        messages.append(ChatMessage("user" if past.speaker == "member" else "assistant", past.text))
    note = "".join(f"\n(Note: {n})" for n in notes)
    messages.append(ChatMessage("user", message + note))
    return messages
