"""Intents through the API, with the engine running inside the server: the issue's demo (a wait,
a watch, a question, server restarts in the middle), commands, budgets and error messages."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from time_machine import TimeMachineFixture

from tests.studio.business.conftest import make_shop, say
from tests.utils.factories import PASSWORD, ApiUser, signup
from townsquare.ai.chat import ChatRequest
from townsquare.ai.fake import FakeChatModel
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database
from townsquare.db.models import Account, Order
from townsquare.settings import Settings
from townsquare.studio.business.runner import execute

# The demo's wait, ended by moving the clock. Short all the same: a workflow thread that began
# DBOS's durable recv on the moved clock waits about this much longer in real time after the
# engine stops, and the test process's exit waits for it.
WAIT = timedelta(minutes=2)
# The meetup's days are ahead of whenever the test runs, as a member's would be.
MEETUP = datetime.now(UTC).date() + timedelta(days=11)
VENUES = [
    {"name": "Loft 9", "price_eur": 450, "date": MEETUP.isoformat()},
    {"name": "Grand Hall", "price_eur": 900, "date": MEETUP.isoformat()},
    {"name": "Cafe Nord", "price_eur": 480, "date": (MEETUP + timedelta(days=1)).isoformat()},
]


def planner_script(request: ChatRequest) -> str:
    """A fake planner: proposes choosing each venue, then finishing; judges a plan infeasible
    when it picks the venue over budget."""
    prompt = request.messages[-1].content
    schema = request.json_schema or {}
    plan = prompt.split("Plan so far:", 1)[1]
    if "candidates" in schema.get("properties", {}):
        if "(nothing yet)" in plan:
            calls = [{"name": "choose", "args": {"option": v["name"]}} for v in VENUES]
        else:
            calls = [{"name": "finish", "args": {"summary": "Booked {{choice}}."}}]
        return json.dumps({"candidates": calls})
    over = "Grand Hall" in plan
    return json.dumps(
        {"feasible": not over, "score": 0.2 if over else 0.8, "reason": "price vs 500 EUR"}
    )


@pytest.fixture
def engine_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"intents_in_server": True})


@pytest.fixture
def start_server(
    engine_settings: Settings, database: Database, fake_chat: FakeChatModel
) -> Iterator[Callable[[], TestClient]]:
    """Starts the server (the intent engine inside); call again to restart it."""
    current: list[TestClient] = []

    def start() -> TestClient:
        if current:
            current.pop().__exit__(None, None, None)
        app = create_app(engine_settings, database, Models(engine_settings, chat=fake_chat))
        client = TestClient(app)
        client.__enter__()
        current.append(client)
        return client

    yield start
    if current:
        current.pop().__exit__(None, None, None)


def wait_for(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    """A deadline, not a timing: generous, for a machine busy with other work."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def intent(client: TestClient, user: ApiUser, intent_id: int) -> dict[str, Any]:
    response = client.get(f"/intents/{intent_id}", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_demo_intent_survives_restarts_asks_and_finishes(
    time_machine: TimeMachineFixture,
    start_server: Callable[[], TestClient],
    fake_chat: FakeChatModel,
) -> None:
    fake_chat.replies = planner_script
    client = start_server()
    member, customer = signup(client), signup(client)
    post = client.post(
        "/posts", json={"kind": "text", "text": "Meetup soon"}, headers=member.headers
    )
    created = client.post(
        "/intents",
        json={
            "goal": "Find a venue for our meetup under 500 euros before "
            + f"{MEETUP + timedelta(days=2):%d %B}",
            "options": VENUES,
            "wait_until": (datetime.now(UTC) + WAIT).isoformat(),
            "watch": {"kind": "comment", "contains": "delivery"},
        },
        headers=member.headers,
    )
    assert created.status_code == 201, created.text
    intent_id = created.json()["id"]
    assert wait_for(lambda: intent(client, member, intent_id)["status"] == "waiting")

    # The wait ends while the server restarts: the clock moves past it (a wait of a second was
    # over before a busy machine's engine started it, and "waiting" never showed).
    time_machine.move_to(datetime.now(UTC) + WAIT, tick=True)
    client = start_server()
    assert wait_for(lambda: intent(client, member, intent_id)["status"] == "watching")
    comments = f"/posts/{post.json()['id']}/comments"
    client.post(comments, json={"text": "lovely"}, headers=customer.headers)  # not a match
    time.sleep(0.3)
    assert intent(client, member, intent_id)["status"] == "watching"
    client.post(comments, json={"text": "My delivery is late"}, headers=customer.headers)

    def question() -> dict[str, Any] | None:
        items = client.get("/intents/inbox?unanswered=true", headers=member.headers).json()["items"]
        return items[0] if items else None

    asked = wait_for(question)
    assert asked["kind"] == "question"
    assert asked["choices"] == ["Loft 9", "Cafe Nord"]  # the over-budget venue was pruned
    assert "which do you prefer?" in asked["text"]

    client = start_server()  # restart while the question waits
    wrong = client.post(
        f"/intents/inbox/{asked['id']}/answer",
        json={"answer": "Grand Hall"},
        headers=member.headers,
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"] == "answer with one of: Loft 9, Cafe Nord"
    answered = client.post(
        f"/intents/inbox/{asked['id']}/answer", json={"answer": "Cafe Nord"}, headers=member.headers
    )
    assert answered.status_code == 200, answered.text

    done = wait_for(lambda: (d := intent(client, member, intent_id))["status"] == "done" and d)
    assert "Booked Cafe Nord." in done["result"]
    assert done["used"]["wakes"] == 1
    tree = {n["action"]["args"].get("option"): n for n in done["tree"] if n["depth"] == 1}
    assert tree["Grand Hall"]["status"] == "pruned"
    assert tree["Grand Hall"]["reason"] == "price vs 500 EUR"
    assert tree["Loft 9"]["status"] == "chosen"
    kinds = [i["kind"] for i in done["inbox"]]
    assert kinds == ["question", "result"]


def test_approval_pause_resume_and_cancel(start_server: Callable[[], TestClient]) -> None:
    client = start_server()
    member, friend = signup(client), signup(client)
    plan = [
        {"name": "send_dm", "args": {"handle": friend.handle, "text": "See you Friday"}},
        {"name": "publish_post", "args": {"text": "Meetup on Friday"}},
    ]
    first = client.post("/intents", json={"goal": "tell", "plan": plan}, headers=member.headers)
    intent_id = first.json()["id"]
    approval = wait_for(
        lambda: client.get("/intents/inbox?unanswered=true", headers=member.headers).json()["items"]
    )[0]
    assert approval["kind"] == "approval" and approval["choices"] == ["approve", "reject"]

    paused = client.post(f"/intents/{intent_id}/pause", headers=member.headers)
    assert paused.status_code == 202 and paused.json()["requested"] == "pause"
    assert wait_for(lambda: intent(client, member, intent_id)["status"] == "paused")
    again = client.post(f"/intents/{intent_id}/pause", headers=member.headers)
    assert again.status_code == 409
    assert again.json()["detail"] == f"intent {intent_id} is already paused"
    assert client.post(f"/intents/{intent_id}/resume", headers=member.headers).status_code == 202
    assert wait_for(lambda: intent(client, member, intent_id)["status"] == "asking")

    client.post(
        f"/intents/inbox/{approval['id']}/answer",
        json={"answer": "approve"},
        headers=member.headers,
    )
    second = wait_for(
        lambda: client.get("/intents/inbox?unanswered=true", headers=member.headers).json()["items"]
    )[0]
    client.post(
        f"/intents/inbox/{second['id']}/answer", json={"answer": "reject"}, headers=member.headers
    )
    done = wait_for(lambda: (d := intent(client, member, intent_id))["status"] == "done" and d)
    assert [e["action"] for e in done["effects"]] == ["send_dm"]  # the post was refused
    assert "Skipped publish_post: you said no." in done["result"]
    posts = client.get("/posts", headers=member.headers).json()["items"]
    assert not any(p["text"] == "Meetup on Friday" for p in posts)

    other = client.post(
        "/intents",
        json={"goal": "later", "wait_until": "2099-01-01T00:00:00+00:00"},
        headers=member.headers,
    ).json()["id"]
    assert client.post(f"/intents/{other}/cancel", headers=member.headers).status_code == 202
    assert wait_for(lambda: intent(client, member, other)["status"] == "cancelled")
    late = client.post(f"/intents/{other}/resume", headers=member.headers)
    assert late.status_code == 409
    assert late.json()["detail"] == f"intent {other} is already cancelled"


def test_a_customer_cancels_an_order_through_an_intent_after_approving(
    start_server: Callable[[], TestClient], database: Database
) -> None:
    shop = make_shop(database)
    with database.session() as session:
        call = say(session, shop, shop.alice_id, "alice@example.com")
        assert execute(call, "verify_customer", {"email": "alice@example.com"}).status == "ok"
        alice = session.get(Account, shop.alice_id)
        assert alice is not None
        handle = alice.handle
    client = start_server()
    token = client.post("/auth/token", json={"handle": handle, "password": PASSWORD}).json()
    member = ApiUser(shop.alice_id, handle, token["token"])
    where = {"business": f"@{shop.agent_handle}", "order_number": "E-1001"}
    plan = [{"name": "business_order_details", "args": where},
            {"name": "business_cancel_order", "args": where}]  # fmt: skip
    created = client.post("/intents", json={"goal": "cancel E-1001", "plan": plan},
                          headers=member.headers)  # fmt: skip
    assert created.status_code == 201, created.text
    approval = wait_for(
        lambda: client.get("/intents/inbox?unanswered=true", headers=member.headers).json()["items"]
    )[0]
    assert approval["kind"] == "approval" and "business cancel order" in approval["text"]
    client = start_server()  # restarted while the approval waits
    client.post(
        f"/intents/inbox/{approval['id']}/answer",
        json={"answer": "approve"},
        headers=member.headers,
    )
    intent_id = created.json()["id"]
    done = wait_for(lambda: (d := intent(client, member, intent_id))["status"] == "done" and d)
    assert "Order E-1001 is pending" in done["result"]
    assert "Done: order E-1001 is cancelled." in done["result"]
    assert [e["action"] for e in done["effects"]] == ["business_cancel_order"]
    with database.session() as session:
        assert session.scalar(select(Order.status).where(Order.number == "E-1001")) == "cancelled"


def test_budget_stops_a_runaway_intent(start_server: Callable[[], TestClient]) -> None:
    client = start_server()
    member = signup(client)
    plan = [{"name": "search_posts", "args": {"query": "x"}}] * 3
    created = client.post(
        "/intents",
        json={"goal": "loop", "plan": plan, "budget": {"steps": 2}},
        headers=member.headers,
    ).json()
    done = wait_for(
        lambda: (d := intent(client, member, created["id"]))["status"] == "failed" and d
    )
    assert done["error"] == "the intent used its steps budget (2)"
    assert done["inbox"][-1]["text"] == "I stopped: the intent used its steps budget (2)"


def test_bad_requests_say_what_is_wrong(client: TestClient) -> None:
    member, other = signup(client), signup(client)
    cases = [
        ({"goal": "x", "schedule": {"cron": "every monday"}},
         "schedule.cron is not a valid cron expression: 'every monday'"),
        ({"goal": "x", "schedule": {"cron": "0 9 * * 1", "timezone": "Mars/Base"}},
         "schedule.timezone is not a known time zone: 'Mars/Base'"),
        ({"goal": "x", "plan": [{"name": "book_flight"}]},
         "no action named 'book_flight'; known actions: ask_member, business_book_appointment, "
         "business_cancel_appointment, business_cancel_order, business_find_my_orders, "
         "business_list_free_slots, business_move_appointment, business_my_appointments, "
         "business_open_ticket, business_order_details, business_product_details, "
         "business_request_return, business_search_catalog, choose, create_reminder, "
         "draft_post, finish, publish_post, read_feed, search_people, search_posts, send_dm"),
        ({"goal": "x", "constraints": {"price_eur": {"below": 500}}},
         "constraint 'price_eur' needs 'min', 'max' or both"),
        ({"goal": "x", "plan": [{"name": "send_dm", "args": {"handle": "a"}}]},
         "bad arguments for send_dm at args: 'text' is a required property"),
        ({"goal": "x", "budget": {"model_calls": 10_000}},
         "budget.model_calls is at most 400 per intent; asked 10000"),
    ]  # fmt: skip
    for body, detail in cases:
        response = client.post("/intents", json=body, headers=member.headers)
        assert response.status_code == 422, body
        assert response.json()["detail"] == detail
    options = [{"name": f"venue {i}"} for i in range(51)]
    response = client.post(
        "/intents", json={"goal": "x", "options": options}, headers=member.headers
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("body.options: List should have at most 50 items")
    mine = client.post("/intents", json={"goal": "mine"}, headers=member.headers).json()["id"]
    assert client.get(f"/intents/{mine}", headers=other.headers).json() == {
        "detail": f"no intent {mine}"
    }
    assert client.get("/intents", headers=other.headers).json()["items"] == []
    listed = client.get("/intents?status=pending", headers=member.headers).json()["items"]
    assert [i["id"] for i in listed] == [mine]
    assert client.post(
        "/intents/inbox/99/answer", json={"answer": "a"}, headers=member.headers
    ).json() == {"detail": "no inbox item 99"}
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/intents", "/intents/{intent_id}", "/intents/{intent_id}/pause",
                 "/intents/inbox", "/intents/inbox/{item_id}/answer"):  # fmt: skip
        assert path in paths
