"""AI Studio as a new user tries it, with the real embedded models: a creator builds her AI,
uploads a PDF, members ask it in a DM and through the `openai` client, see citations, hit an
avoided topic; the owner approves a draft and takes a thread over; a member rehearses."""

from __future__ import annotations

import json
from collections.abc import Iterator

import openai
import pytest
from fastapi.testclient import TestClient

from tests.studio.knowledge.documents import pdf_bytes
from tests.utils.factories import ApiUser, signup
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database
from townsquare.settings import Settings

pytestmark = pytest.mark.slow

STREAM = {"Accept": "text/event-stream"}
POSTS = [
    "The Saturday stall on North Street opens at 8am and closes at 1pm.",
    "Feed your starter once a day at room temperature, or once a week if it lives in the fridge.",
    "My beginners' sourdough class runs on the first Sunday of each month and costs 65 pounds.",
]


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Models:
    """One real chat model and embedder for the whole module (loading takes seconds)."""
    return Models(Settings(data_dir=tmp_path_factory.mktemp("models")))


@pytest.fixture
def live(tmp_path_factory: pytest.TempPathFactory, models: Models) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    database = Database(settings.resolved_database_url)
    with TestClient(create_app(settings, database, models)) as client:
        yield client


def sse(body: str) -> list[tuple[str, dict[str, object]]]:
    events = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def ask(client: TestClient, member: ApiUser, thread_id: int, text: str) -> dict[str, object]:
    response = client.post(
        f"/threads/{thread_id}/messages", json={"text": text}, headers=member.headers | STREAM
    )
    assert response.status_code == 201, response.text
    kind, data = sse(response.text)[-2]
    return {"event": kind, **data}


def creator_with_posts(client: TestClient, **fields: object) -> tuple[ApiUser, str]:
    maya = signup(client, "maya")
    for text in POSTS:
        posted = client.post("/posts", json={"kind": "text", "text": text}, headers=maya.headers)
        assert posted.status_code == 201, posted.text
    body = {
        "handle": "maya_ai",
        "name": "Maya's AI",
        "kind": "creator",
        "greeting": "Hi! Ask me about sourdough.",
        "avoid_topics": [{"topic": "my family", "reply": "I keep my family private."}],
        **fields,
    }
    created = client.post("/agents", json=body, headers=maya.headers)
    assert created.status_code == 201, created.text
    return maya, "maya_ai"


def test_a_member_asks_the_creators_ai_and_sees_citations(live: TestClient) -> None:
    maya, handle = creator_with_posts(live)
    pdf = pdf_bytes(["Shipping: starter kits ship within 3 working days, anywhere in the UK."])
    accepted = live.post(
        f"/agents/{handle}/knowledge", files={"file": ("kits.pdf", pdf)}, headers=maya.headers
    )
    assert accepted.status_code == 202, accepted.text
    member = signup(live, "lena")
    thread_id = live.post(f"/agents/{handle}/threads", headers=member.headers).json()["thread_id"]

    reply = ask(live, member, thread_id, "What time does the Saturday stall close?")
    assert reply["event"] == "reply" and reply["label"] == "AI"
    citations = reply["citations"]
    assert isinstance(citations, list) and citations
    assert str(citations[0]["url"]).startswith("/posts/")

    avoided = ask(live, member, thread_id, "Tell me about your family")
    assert avoided["text"] == "I keep my family private."

    unknown = ask(live, member, thread_id, "What is the capital of Peru?")
    assert "@maya" in str(unknown["text"])  # not an invented fact: it offers to ask Maya


def test_the_openai_client_gets_the_same_grounded_answers(live: TestClient) -> None:
    _, handle = creator_with_posts(live)
    member = signup(live, "sam")
    api = openai.OpenAI(base_url="http://testserver/v1", api_key=member.token, http_client=live)
    completion = api.chat.completions.create(
        model=handle, messages=[{"role": "user", "content": "How much is the beginners class?"}]
    )
    extra = completion.model_extra or {}
    text = completion.choices[0].message.content or ""
    assert extra["townsquare"]["label"] == "AI"
    assert "65" in text or "@maya" in text
    streamed = api.chat.completions.create(
        model=handle,
        messages=[{"role": "user", "content": "How often should I feed my starter?"}],
        stream=True,
    )
    assert "".join(c.choices[0].delta.content or "" for c in streamed if c.choices).strip()


def test_the_owner_approves_a_draft_and_takes_a_thread_over(live: TestClient) -> None:
    maya, handle = creator_with_posts(live, reply_mode="drafts")
    member = signup(live, "ben")
    thread_id = live.post(f"/agents/{handle}/threads", headers=member.headers).json()["thread_id"]
    assert ask(live, member, thread_id, "When does the stall open?")["event"] == "draft"
    [draft] = live.get(f"/agents/{handle}/drafts", headers=maya.headers).json()["items"]
    sent = live.post(
        f"/agents/{handle}/drafts/{draft['id']}/approve", json={}, headers=maya.headers
    )
    assert sent.status_code == 200 and sent.json()["label"] == "AI"
    live.post(f"/agents/{handle}/threads/{thread_id}/takeover", headers=maya.headers)
    assert ask(live, member, thread_id, "Is that really you?")["event"] == "silent"
    back = live.post(f"/agents/{handle}/threads/{thread_id}/handback", headers=maya.headers)
    assert "back" in back.json()["notice"]["text"]


def test_the_guard_refuses_a_fact_recombined_from_its_passage(live: TestClient) -> None:
    creator_with_posts(live)
    member = signup(live, "june")
    thread_id = live.post("/agents/maya_ai/threads", headers=member.headers).json()["thread_id"]
    text = str(ask(live, member, thread_id, "What time does the Saturday stall close?")["text"])
    assert "1pm" in text or "don't know" in text
