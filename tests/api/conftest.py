"""Shared API fixtures: the demo shop behind a business account, and the actions its agent's
model would pick for the scripted customer messages."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import ApiUser, signup, unique_handle
from townsquare.ai.chat import ChatRequest
from townsquare.db import Database
from townsquare.db.models import Account
from townsquare.db.types import utcnow
from townsquare.demo.shop import seed_shop

ACTIONS = {
    "do you sell ethiopian beans?": ("search_catalog", {"query": "ethiopian beans"}),
    "where is my order E-1001?": ("order_details", {"order_number": "E-1001"}),
    "my email is alice@example.com": ("verify_customer", {"email": "alice@example.com"}),
    "please cancel it": ("cancel_order", {"order_number": "E-1001"}),
    "I want a refund for E-1003": (
        "request_return",
        {"order_number": "E-1003", "kind": "return", "reason": "did not like it"},
    ),
    "the mug arrived broken, I want to complain": (
        "transfer_to_human",
        {"summary": "Alice says the mug of order E-1002 arrived broken and wants to complain."},
    ),
    "thanks!": ("reply", "You're welcome!"),
}


def pick_action(request: ChatRequest) -> str:
    """The action for the customer's message, as the model would write it."""
    tool, arguments = ACTIONS[request.messages[-1].content]
    if tool == "reply":
        return json.dumps({"action": {"tool": "reply", "text": arguments}})
    return json.dumps({"action": {"tool": tool, "arguments": arguments}})


@pytest.fixture
def shop(client: TestClient, database: Database) -> tuple[ApiUser, ApiUser, str]:
    owner = signup(client, unique_handle("shop"), kind="business")
    alice, bruno = signup(client), signup(client)
    handle = unique_handle("help")
    with database.session() as session:
        accounts = [session.get(Account, user.id) for user in (owner, alice, bruno)]
        assert all(accounts)
        seed_shop(session, accounts[0], accounts[1:], now=utcnow(), agent_handle=handle)  # type: ignore[arg-type]
    return owner, alice, handle
