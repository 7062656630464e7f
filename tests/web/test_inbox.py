from __future__ import annotations

import time

from fastapi.testclient import TestClient

from tests.api.test_agent_dm import make_agent, open_thread
from tests.utils.factories import signup, unique_handle
from tests.web.conftest import signin_as
from townsquare.ai.fake import FakeChatModel
from townsquare.db import Database
from townsquare.db.models import Account
from townsquare.db.types import utcnow
from townsquare.demo.shop import seed_shop


def test_approve_a_draft_and_take_over_and_hand_back(
    client: TestClient, fake_chat: FakeChatModel
) -> None:
    fake_chat.replies = ["Tomatoes love sun."]
    owner, member = signup(client), signup(client)
    handle = make_agent(client, owner, reply_mode="drafts")
    thread_id = open_thread(client, member, handle)
    sent = client.post(
        f"/threads/{thread_id}/messages", json={"text": "what grows?"}, headers=member.headers
    )
    assert sent.status_code == 201
    csrf = signin_as(client, owner.handle)
    deadline = time.monotonic() + 20
    while "1 draft waiting" not in (page := client.get("/inbox")).text:
        assert time.monotonic() < deadline, page.text
        time.sleep(0.1)
    assert "1 draft waiting for your approval." in page.text
    assert "Tomatoes love sun." in client.get(f"/inbox/{handle}").text

    agent_page = client.get(f"/inbox/{handle}")
    draft_id = agent_page.text.split(f"/inbox/{handle}/drafts/")[1].split("/")[0]
    response = client.post(
        f"/inbox/{handle}/drafts/{draft_id}/approve",
        data={"text": "Tomatoes love full sun.", "csrf": csrf},
    )
    assert response.status_code == 200
    assert "No drafts waiting." in response.text

    thread = client.get(f"/inbox/{handle}/threads/{thread_id}")
    assert "Tomatoes love full sun." in thread.text
    assert "The agent is answering." in thread.text
    response = client.post(f"/inbox/{handle}/threads/{thread_id}/takeover", data={"csrf": csrf})
    assert "You are answering in person." in response.text
    response = client.post(
        f"/inbox/{handle}/threads/{thread_id}/send", data={"text": "  ", "csrf": csrf}
    )
    assert response.status_code == 422 and "Write a message first." in response.text
    response = client.post(
        f"/inbox/{handle}/threads/{thread_id}/send", data={"text": "Owner here!", "csrf": csrf}
    )
    assert "Owner here!" in response.text
    response = client.post(f"/inbox/{handle}/threads/{thread_id}/handback", data={"csrf": csrf})
    assert "The agent is answering." in response.text


def test_an_empty_inbox_says_so(client: TestClient) -> None:
    user = signup(client)
    signin_as(client, user.handle)
    page = client.get("/inbox")
    assert page.status_code == 200
    assert "Nothing waits for you." in page.text
    assert client.get("/inbox/nobody_agent").status_code == 404


def test_a_conversation_the_shop_agent_handed_over_shows_its_summary(
    client: TestClient, database: Database
) -> None:
    owner = signup(client, unique_handle("shop"), kind="business")
    alice, bruno = signup(client), signup(client)
    handle = unique_handle("help")
    with database.session() as session:
        accounts = [session.get(Account, user.id) for user in (owner, alice, bruno)]
        business, *customers = [account for account in accounts if account is not None]
        seed_shop(session, business, customers, now=utcnow(), agent_handle=handle)
    thread_id = client.post(f"/agents/{handle}/threads", headers=alice.headers).json()["thread_id"]
    sent = client.post(
        f"/threads/{thread_id}/messages",
        json={"text": "The mug arrived broken and I want to complain."},
        headers=alice.headers | {"Accept": "text/event-stream"},
    )
    assert sent.status_code == 201
    signin_as(client, owner.handle)
    for page in (client.get("/inbox"), client.get(f"/inbox/{handle}")):
        assert "Handed to you by the agent:" in page.text and "arrived broken" in page.text
    thread = client.get(f"/inbox/{handle}/threads/{thread_id}")
    assert "You are answering in person." in thread.text
    assert "The agent handed this conversation to you" in thread.text
