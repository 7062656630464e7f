"""The daily digest over the API: written after the first feed request of the day, shown in its
member's feed with its reason and sources, and invisible to everyone else on every read path."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.factories import ApiUser, signup
from townsquare.db import Database
from townsquare.feed.histories import PlatformOptions
from townsquare.feed.model import HSTUConfig
from townsquare.feed.training.config import TrainConfig
from townsquare.feed.training.pipeline import platform_data, train_on_platform
from townsquare.settings import Settings

TEXTS = [
    "Fed the rye starter at 7am. It doubled by noon.",
    "New trail loop above the reservoir: 12 km, mostly shaded.",
    "Our game jam entry is a puzzle about tides.",
    "Scoring baguettes at a shallow angle gives the ear.",
]


def _town(client: TestClient) -> tuple[ApiUser, ApiUser, list[int]]:
    reader, other, maya = signup(client, "reader"), signup(client, "other"), signup(client, "maya")
    ids = []
    for text in TEXTS:
        response = client.post("/posts", json={"kind": "text", "text": text}, headers=maya.headers)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return reader, other, ids


def _feed(client: TestClient, user: ApiUser) -> list[dict]:  # type: ignore[type-arg]
    response = client.get("/feed", params={"limit": 50}, headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


def _digest_of(client: TestClient, user: ApiUser) -> dict:  # type: ignore[type-arg]
    """The member's digest, after a first feed request has had it written."""
    first = _feed(client, user)  # answered first; the digest is written after the response
    assert all(item["post"]["author"]["handle"] != "digest" for item in first if item["post"])
    items = [
        i for i in _feed(client, user) if i["post"] and i["post"]["author"]["handle"] == "digest"
    ]
    assert len(items) == 1
    return items[0]  # type: ignore[no-any-return]


def test_the_feed_shows_the_members_digest_labelled_with_its_sources(client: TestClient) -> None:
    reader, other, ids = _town(client)
    item = _digest_of(client, reader)
    post = item["post"]
    assert post["ai_generated"] is True and post["author"]["kind"] == "agent"
    assert set(post["sources"]) == set(ids)
    assert item["reasons"][0] == "Your daily digest of 4 posts, written by an AI"
    assert all(f"/posts/{i}" in post["text"] for i in ids)
    shown = client.get(f"/posts/{post['id']}", headers=reader.headers)
    assert shown.status_code == 200 and shown.json()["sources"] == post["sources"]
    assert shown.json()["ai_generated"] is True
    # Once a day: a later request writes no other digest.
    again = [i for i in _feed(client, reader) if i["post"] and i["post"]["id"] == post["id"]]
    assert len(again) == 1
    assert all(i["post"]["sources"] == [] for i in _feed(client, other) if i["post"])
    mine = client.get("/accounts/digest/posts", headers=reader.headers)
    assert mine.status_code == 200 and mine.json()["items"] == []
    # Its writer is never suggested as an account to follow, even when followed.
    for handle in ("digest", "maya"):
        followed = client.put(f"/accounts/{handle}/follow", headers=other.headers)
        assert followed.status_code == 200
    suggested = [i["account"]["account"]["handle"] for i in _feed(client, reader) if i["account"]]
    assert suggested == ["maya"]


def test_nobody_else_can_reach_a_digest(client: TestClient) -> None:
    reader, other, _ = _town(client)
    digest_id = _digest_of(client, reader)["post"]["id"]
    missing = {"detail": f"no post {digest_id}"}
    for headers in (other.headers, {}):
        for path in (f"/posts/{digest_id}", f"/posts/{digest_id}/comments"):
            response = client.get(path, headers=headers)
            assert (response.status_code, response.json()) == (404, missing), path
    writes = [
        ("put", f"/posts/{digest_id}/like", None),
        ("delete", f"/posts/{digest_id}/like", None),
        ("post", f"/posts/{digest_id}/comments", {"text": "hi"}),
        (
            "post",
            "/events",
            {"events": [{"type": "open", "surface": "feed", "post_id": digest_id}]},
        ),
    ]
    for method, path, body in writes:
        response = client.request(method, path, json=body, headers=other.headers)
        assert response.status_code == 404, (method, path, response.text)
    listed = client.get("/posts", params={"limit": 100}, headers=other.headers).json()["items"]
    assert digest_id not in {p["id"] for p in listed}
    assert digest_id not in {i["post"]["id"] for i in _feed(client, other) if i["post"]}
    # Its member may read, like, comment on and report events on it.
    for method, path, body in writes[:1] + writes[2:]:
        response = client.request(method, path, json=body, headers=reader.headers)
        assert response.status_code in (200, 201), (method, path, response.text)
    comments = client.get(f"/posts/{digest_id}/comments", headers=reader.headers)
    assert comments.status_code == 200 and len(comments.json()["items"]) == 1
    assert client.get(f"/posts/{digest_id}/comments", headers=other.headers).status_code == 404


def test_a_trained_model_picks_the_sources_and_scores_the_digest(
    client: TestClient, database: Database, settings: Settings
) -> None:
    reader, other, ids = _town(client)
    views = [{"type": "impression", "surface": "feed", "post_id": ids[0]}]
    for user in (other, reader):
        response = client.post("/events", json={"events": views}, headers=user.headers)
        assert response.status_code == 201
    config = TrainConfig(
        model=HSTUConfig(max_len=8, dim=16, dropout=0.0),
        epochs=1,
        batch_size=4,
        ranking_weight=1.0,
        progress=False,
        num_threads=1,
    )
    options = PlatformOptions()
    data = platform_data(database, options, embedder=None)
    train_on_platform(data, settings.data_dir, config, options, run_name="digest")
    item = _digest_of(client, reader)
    assert item["post"]["sources"] and ids[0] not in item["post"]["sources"]  # seen: left out
    assert item["reasons"][0] == "Your daily digest of 3 posts, written by an AI"
    assert item["predictions"] and "% chance you" in item["reasons"][-1]  # the model scored it
