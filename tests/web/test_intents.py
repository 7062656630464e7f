"""The intents pages and the intents part of the inbox: give a goal, pause, resume and cancel
it, read its planning tree, answer its questions and approvals (the worker is not running here:
the pages only write what it picks up)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.utils.factories import signup
from tests.web.conftest import signin_as
from townsquare.db import Database
from townsquare.db.models import InboxItem, Intent, IntentNode
from townsquare.tasks import inbox


def _start(client: TestClient, csrf: str, goal: str, **fields: str) -> int:
    response = client.post(
        "/goals", data={"goal": goal, "csrf": csrf, **fields}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/goals/(\d+)", response.headers["location"])
    assert match is not None
    return int(match.group(1))


def test_give_a_goal_and_follow_it(client: TestClient) -> None:
    member = signup(client)
    csrf = signin_as(client, member.handle)
    page = client.get("/goals")
    assert "No intents yet" in page.text and '<a href="/goals" aria-current="page">' in page.text

    intent_id = _start(
        client,
        csrf,
        "Find a venue for our meetup under 500 euros",
        options="Loft 9, 450 euros\n\nCafe Nord, 480 euros\n",
        autonomous="true",
    )
    detail = client.get(f"/goals/{intent_id}").text
    assert "Find a venue for our meetup under 500 euros" in detail
    assert "Choosing among: Loft 9, 450 euros; Cafe Nord, 480 euros" in detail
    assert "without asking first" in detail and "status-pending" in detail
    assert "No plan yet." in detail
    # The status, the tree and the (still empty) inbox items follow the worker.
    assert detail.count('hx-trigger="every 3s"') == 3
    assert f'href="/goals/{intent_id}"' in client.get("/goals").text


def test_a_refused_goal_keeps_what_was_typed(client: TestClient) -> None:
    member = signup(client)
    csrf = signin_as(client, member.handle)
    empty = client.post("/goals", data={"goal": "  ", "options": "Loft 9", "csrf": csrf})
    assert empty.status_code == 422 and "An intent needs a goal." in empty.text
    assert ">Loft 9</textarea>" in empty.text
    long_goal = "Plan a party. " * 150
    too_long = client.post("/goals", data={"goal": long_goal, "autonomous": "true", "csrf": csrf})
    assert too_long.status_code == 422 and "A goal is at most 2000 characters." in too_long.text
    assert long_goal in too_long.text and "checked" in too_long.text


def test_pause_resume_and_cancel(client: TestClient, database: Database) -> None:
    member = signup(client)
    csrf = signin_as(client, member.handle)
    intent_id = _start(client, csrf, "Post my weekly summary")
    paused = client.post(f"/goals/{intent_id}/pause", data={"csrf": csrf})
    assert "pause requested" in paused.text and ">Resume</button>" in paused.text
    resumed = client.post(f"/goals/{intent_id}/resume", data={"csrf": csrf})
    assert "requested" not in resumed.text and ">Pause</button>" in resumed.text
    cancelled = client.post(f"/goals/{intent_id}/cancel", data={"csrf": csrf})
    assert "cancel requested" in cancelled.text

    with database.session() as session:
        row = session.get(Intent, intent_id)
        assert row is not None and row.requested == "cancel"
        row.status, row.requested = "cancelled", None
    refused = client.post(f"/goals/{intent_id}/pause", data={"csrf": csrf})
    assert refused.status_code == 409
    assert f"Intent {intent_id} is already cancelled." in refused.text
    assert ">Pause</button>" not in refused.text and "hx-trigger" not in refused.text

    other = signup(client)
    other_csrf = signin_as(client, other.handle)
    assert client.get(f"/goals/{intent_id}").status_code == 404
    assert client.post(f"/goals/{intent_id}/cancel", data={"csrf": other_csrf}).status_code == 404


def test_the_planning_tree_shows_each_node_with_its_score_and_reason(
    client: TestClient, database: Database
) -> None:
    member = signup(client)
    csrf = signin_as(client, member.handle)
    intent_id = _start(client, csrf, "Find a venue under 500 euros", options="Loft 9\nGrand Hall")
    nodes = [
        ("0", None, {"name": "choose", "args": {"option": "Loft 9"}}, 0.8, "chosen", "fits"),
        ("1", None, {"name": "choose", "args": {"option": "Grand Hall"}}, 0.2, "pruned",
         "900 euros is over the budget"),
        ("0.0", "0", {"name": "finish", "args": {"summary": "Booked Loft 9."}}, 0.9, "chosen", ""),
    ]  # fmt: skip
    with database.session() as session:
        for key, parent, action, score, status, reason in nodes:
            session.add(
                IntentNode(
                    intent_id=intent_id,
                    key=key,
                    parent_key=parent,
                    depth=key.count(".") + 1,
                    action=action,
                    score=score,
                    status=status,
                    reason=reason,
                )
            )
    page = client.get(f"/goals/{intent_id}").text
    assert '<code>choose</code> <span class="muted">option=Grand Hall</span>' in page
    assert "0.20" in page and "status-pruned" in page and "900 euros is over the budget" in page
    assert "<code>finish</code>" in page and "0.90" in page


def test_answer_questions_and_approvals_from_the_inbox(
    client: TestClient, database: Database
) -> None:
    member = signup(client)
    csrf = signin_as(client, member.handle)
    intent_id = _start(client, csrf, "Organise the Saturday run")
    with database.session() as session:
        row = session.get(Intent, intent_id)
        assert row is not None
        asked = inbox.post_item(session, row, "question", "Which Saturday?", key="k-q")
        approval = inbox.post_item(
            session, row, "approval", "Publish: 'Run at 9!'", key="k-a",
            choices=inbox.APPROVAL_CHOICES,
        )  # fmt: skip
        inbox.post_item(session, row, "result", "Found three routes.", key="k-r")
        question_id, approval_id = asked.id, approval.id

    page = client.get("/inbox").text
    assert "2 waiting for your answer." in page and "Found three routes." in page
    assert ">Approve</button>" in page and ">Reject</button>" in page
    assert "Nothing waits for you." not in page

    wrong = client.post(f"/inbox/answers/{approval_id}", data={"answer": "perhaps", "csrf": csrf})
    assert wrong.status_code == 422 and "Answer with one of: approve, reject." in wrong.text
    approved = client.post(
        f"/inbox/answers/{approval_id}", data={"answer": "approve", "csrf": csrf}
    )
    assert approved.status_code == 200 and "You answered: <strong>approve</strong>" in approved.text

    blank = client.post(
        f"/inbox/answers/{question_id}", data={"answer": " ", "back": "intent", "csrf": csrf}
    )
    assert blank.status_code == 422 and "An answer needs text." in blank.text
    assert f"Intent #{intent_id}" in blank.text  # shown again on the intent's page
    assert 'id="intent-items">' in blank.text  # not refreshed while a question waits
    answered = client.post(
        f"/inbox/answers/{question_id}",
        data={"answer": "The 14th", "back": "intent", "csrf": csrf},
    )
    assert answered.url.path == f"/goals/{intent_id}"
    assert "You answered: <strong>The 14th</strong>" in answered.text
    again = client.post(f"/inbox/answers/{question_id}", data={"answer": "No", "csrf": csrf})
    assert again.status_code == 409 and "was already answered" in again.text
    assert "waiting for your answer" not in client.get("/inbox").text

    with database.session() as session:
        answers = dict(session.execute(select(InboxItem.id, InboxItem.answer)).all())
    assert answers[question_id] == "The 14th" and answers[approval_id] == "approve"

    other = signup(client)
    other_csrf = signin_as(client, other.handle)
    refused = client.post(f"/inbox/answers/{question_id}", data={"answer": "x", "csrf": other_csrf})
    assert refused.status_code == 404
    assert "From your intents" not in client.get("/inbox").text
