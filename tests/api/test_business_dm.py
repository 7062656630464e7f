"""The demo shop's agent in a DM, end to end through the API on the fake chat model (which
picks the tools the way the embedded model is asked to): it finds a product, checks an order
after verifying the customer, cancels it only after a yes, refuses a refund outside the return
window, and hands a complaint to the owner, who sees it in the inbox."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.api.conftest import pick_action
from tests.api.test_agent_dm import STREAM, sse_events
from tests.utils.factories import ApiUser
from townsquare.ai.fake import FakeChatModel
from townsquare.db import Database
from townsquare.db.models import Order, ToolCall
from townsquare.studio.business.chat import VERIFY_FIRST

pytestmark = pytest.mark.postgres


def _ask(client: TestClient, user: ApiUser, thread_id: int, text: str) -> dict[str, object]:
    response = client.post(
        f"/threads/{thread_id}/messages", json={"text": text}, headers=user.headers | STREAM
    )
    assert response.status_code == 201, response.text
    events = sse_events(response.text)
    return events[-2][1] | {"event": events[-2][0]}


def _status(database: Database, number: str) -> str | None:
    with database.session() as session:
        return session.scalar(select(Order.status).where(Order.number == number))


def test_the_shop_agent_serves_a_customer_and_hands_a_complaint_to_the_owner(
    client: TestClient,
    database: Database,
    fake_chat: FakeChatModel,
    shop: tuple[ApiUser, ApiUser, str],
) -> None:
    owner, alice, handle = shop
    fake_chat.replies = pick_action
    thread_id = int(
        client.post(f"/agents/{handle}/threads", headers=alice.headers).json()["thread_id"]
    )

    found = _ask(client, alice, thread_id, "do you sell ethiopian beans?")
    assert "automated assistant" in str(found["text"]) and "Ethiopia Guji" in str(found["text"])
    assert found["label"] == "AI"

    assert _ask(client, alice, thread_id, "where is my order E-1001?")["text"] == VERIFY_FIRST
    assert "verified" in str(
        _ask(client, alice, thread_id, "my email is alice@example.com")["text"]
    )
    assert "pending" in str(_ask(client, alice, thread_id, "where is my order E-1001?")["text"])

    proposed = _ask(client, alice, thread_id, "please cancel it")
    assert "answer yes" in str(proposed["text"]) and _status(database, "E-1001") == "pending"
    asked = len(fake_chat.requests)
    done = _ask(client, alice, thread_id, "yes")
    assert "cancelled" in str(done["text"]) and _status(database, "E-1001") == "cancelled"
    assert len(fake_chat.requests) == asked  # a yes is settled without the model

    refused = _ask(client, alice, thread_id, "I want a refund for E-1003")
    assert "returns are accepted within 30 days of delivery" in str(refused["text"])
    assert _status(database, "E-1003") == "delivered"

    handed = _ask(client, alice, thread_id, "the mug arrived broken, I want to complain")
    assert "a person from our team" in str(handed["text"])
    [inbox] = client.get(f"/agents/{handle}/threads", headers=owner.headers).json()["items"]
    assert inbox["taken_over"] and "arrived broken" in inbox["handoff_summary"]
    assert _ask(client, alice, thread_id, "thanks!")["event"] == "silent"

    human = client.post(
        f"/agents/{handle}/threads/{thread_id}/messages",
        json={"text": "So sorry! A new mug is on its way."},
        headers=owner.headers,
    )
    assert human.status_code == 201 and human.json()["label"] is None
    back = client.post(f"/agents/{handle}/threads/{thread_id}/handback", headers=owner.headers)
    assert "automated assistant" in back.json()["notice"]["text"]
    assert _ask(client, alice, thread_id, "thanks!")["text"] == "You're welcome!"

    with database.session() as session:
        calls = list(session.scalars(select(ToolCall).order_by(ToolCall.id)))
    assert [c.tool for c in calls][:3] == ["search_catalog", "order_details", "verify_customer"]
    assert all(c.message_id is not None for c in calls)
    assert {c.status for c in calls} <= {"ok", "refused", "proposed", "confirmed"}


def test_a_plain_reply_that_claims_an_action_is_replaced(
    client: TestClient, fake_chat: FakeChatModel, shop: tuple[ApiUser, ApiUser, str]
) -> None:
    _, alice, handle = shop
    fake_chat.replies = [
        json.dumps({"action": {"tool": "reply", "text": "I cancelled all your orders."}})
    ]
    thread_id = int(
        client.post(f"/agents/{handle}/threads", headers=alice.headers).json()["thread_id"]
    )
    text = str(_ask(client, alice, thread_id, "cancel everything")["text"])
    assert "cancelled" not in text and "automated assistant" in text


def test_a_model_that_cannot_produce_an_action_gets_the_fallback(
    client: TestClient, fake_chat: FakeChatModel, shop: tuple[ApiUser, ApiUser, str]
) -> None:
    _, alice, handle = shop
    fake_chat.replies = ["not json at all"]
    thread_id = int(
        client.post(f"/agents/{handle}/threads", headers=alice.headers).json()["thread_id"]
    )
    assert "I can search our catalog" in str(_ask(client, alice, thread_id, "hm")["text"])
