"""The issue's demo with the embedded chat model: an intent with a wait and a watch, the server
restarted in the middle, a question in the inbox, the answer, the result. The venue over budget
is ruled out in code by the intent's constraints, whatever the small model makes of it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import signup
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.settings import Settings


def _wait(check: Callable[[], Any], timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


@pytest.mark.slow
def test_demo_with_the_embedded_model(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", chat_threads=2)
    models = Models(settings)  # one embedded model, shared across the restarts

    def server() -> TestClient:
        return TestClient(create_app(settings, models=models))

    with server() as client:
        member, customer = signup(client), signup(client)
        post = client.post(
            "/posts", json={"kind": "text", "text": "Meetup"}, headers=member.headers
        )
        intent_id = client.post(
            "/intents",
            json={
                "goal": "Find a venue for our meetup under 500 euros",
                "options": [
                    {"name": "Loft 9", "price_eur": 450},
                    {"name": "Grand Hall", "price_eur": 900},
                ],
                "constraints": {"price_eur": {"max": 500}},
                "wait_until": (datetime.now(UTC) + timedelta(seconds=1)).isoformat(),
                "watch": {"kind": "comment", "contains": "delivery"},
                "budget": {"model_calls": 4},
            },
            headers=member.headers,
        ).json()["id"]
        _wait(lambda: client.get(f"/intents/{intent_id}", headers=member.headers).json()["status"]
              in ("waiting", "watching"), 30)  # fmt: skip
    with server() as client:  # restarted in the middle
        status = lambda: client.get(f"/intents/{intent_id}", headers=member.headers).json()  # noqa: E731
        _wait(lambda: status()["status"] == "watching", 30)
        client.post(
            f"/posts/{post.json()['id']}/comments",
            json={"text": "Where is my delivery?"},
            headers=customer.headers,
        )
        unanswered = "/intents/inbox?unanswered=true"
        question = _wait(
            lambda: client.get(unanswered, headers=member.headers).json()["items"], 400
        )
    with server() as client:  # and again while the question waits
        item = question[0]
        assert item["kind"] == "question" and item["choices"] == ["Loft 9"]
        answer = {"answer": item["choices"][0]}
        assert client.post(
            f"/intents/inbox/{item['id']}/answer", json=answer, headers=member.headers
        ).is_success
        done = _wait(lambda: (d := status())["status"] in ("done", "failed") and d, 400)
    assert done["status"] == "done", done
    assert f"You chose {item['choices'][0]}." in done["result"]
    assert done["tree"], "the planning tree is stored"
    pruned = [n for n in done["tree"] if n["action"].get("args", {}).get("option") == "Grand Hall"]
    assert all(n["status"] == "pruned" for n in pruned)
    assert [i["kind"] for i in done["inbox"]] == ["question", "result"]
    assert done["used"]["model_calls"] <= 4
