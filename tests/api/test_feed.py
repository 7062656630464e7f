from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.utils.factories import ApiUser, signup
from townsquare.ai.runtime import Models
from townsquare.api.routers import feed
from townsquare.app import create_app
from townsquare.db import Database
from townsquare.feed.histories import PlatformOptions
from townsquare.feed.model import HSTUConfig
from townsquare.feed.serving.service import _CURSOR_KEY
from townsquare.feed.training.config import TrainConfig
from townsquare.feed.training.pipeline import platform_data, train_on_platform
from townsquare.settings import Settings


@pytest.fixture
def app_client(settings: Settings, database: Database, models: Models) -> Iterator[TestClient]:
    # These tests count exactly what the feed shows; the digest has tests of its own.
    (settings.data_dir / "feed").mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "feed" / "feed.toml").write_text("[digest]\nenabled = false\n")
    app = create_app(settings, database, models)
    if not any(getattr(route, "path", "") == "/feed" for route in app.routes):
        app.include_router(feed.router)
    with TestClient(app) as test_client:
        yield test_client


def _post(client: TestClient, user: ApiUser, text: str, kind: str = "text") -> int:
    body = {"kind": kind, "text": text}
    if kind == "link":
        body["link_url"] = "https://example.org/"
    response = client.post("/posts", json=body, headers=user.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _feed(client: TestClient, user: ApiUser, **params: object) -> dict:  # type: ignore[type-arg]
    response = client.get("/feed", params=params, headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _town(client: TestClient) -> tuple[ApiUser, ApiUser, ApiUser, list[int]]:
    reader, maya, tom = signup(client, "reader"), signup(client, "maya"), signup(client, "tom")
    ids = [_post(client, maya, f"bread {i}") for i in range(3)]
    ids += [_post(client, tom, f"trail {i}", kind="link") for i in range(3)]
    follow = client.put("/accounts/tom/follow", headers=maya.headers)
    assert follow.status_code == 200, follow.text
    return reader, maya, tom, ids


def test_the_feed_needs_a_sign_in(app_client: TestClient) -> None:
    response = app_client.get("/feed")
    assert response.status_code == 401
    assert response.json()["detail"] == "sign in: send 'Authorization: Bearer <token>'"


def test_an_empty_community_has_an_empty_feed(app_client: TestClient) -> None:
    page = _feed(app_client, signup(app_client, "first"))
    assert page["items"] == [] and page["next_cursor"] is None
    assert page["ranking"] == "heuristic"


def test_a_fresh_install_ranks_by_the_heuristic_and_says_so(app_client: TestClient) -> None:
    reader, _, _, ids = _town(app_client)
    page = _feed(app_client, reader, limit=50)
    assert page["ranking"] == "heuristic" and page["model_version"] is None
    assert page["note"] == "no feed model has been trained yet"
    assert page["surface"] == "home" and page["next_cursor"] is None
    posts = [item for item in page["items"] if item["kind"] == "post"]
    assert {item["post"]["id"] for item in posts} == set(ids)
    assert {item["post"]["kind"] for item in posts} == {"text", "link"}
    accounts = [item for item in page["items"] if item["kind"] == "account"]
    assert [item["account"]["account"]["handle"] for item in accounts] == ["tom"]
    assert accounts[0]["account"]["followers"] == 1 and accounts[0]["post"] is None
    assert accounts[0]["reasons"][0] == "Followed by 1 member of the community"
    for item in page["items"]:
        assert item["reasons"][-1].startswith("The feed model is not trained yet")
        assert item["predictions"] == {}


def test_bad_parameters_name_the_field(app_client: TestClient) -> None:
    reader = signup(app_client, "reader")
    cases = {
        "surface=nope": "surface must be one of home, videos; got 'nope'",
        "cursor=%3Bdrop": "cursor is not one this feed gave out; omit it for the first page",
        "limit=51": "query.limit: Input should be less than or equal to 50",
    }
    for query, detail in cases.items():
        response = app_client.get(f"/feed?{query}", headers=reader.headers)
        assert response.status_code == 422, query
        assert response.json()["detail"] == detail


def test_likes_hides_and_follows_change_the_next_page(app_client: TestClient) -> None:
    reader, _, tom, ids = _town(app_client)
    assert app_client.put(f"/posts/{ids[0]}/like", headers=reader.headers).status_code == 200
    hidden = app_client.post(f"/accounts/{tom.handle}/hide", headers=reader.headers)
    assert hidden.status_code == 204
    page = _feed(app_client, reader, limit=50)
    shown = {item["post"]["id"] for item in page["items"] if item["kind"] == "post"}
    assert shown == set(ids[1:3])  # liked: seen; tom hidden: gone with his posts
    suggested = [item for item in page["items"] if item["kind"] == "account"]
    assert [item["account"]["account"]["handle"] for item in suggested] == ["maya"]
    assert suggested[0]["reasons"][0] == "You liked 1 of @maya's post"
    assert app_client.put("/accounts/maya/follow", headers=reader.headers).status_code == 200
    followed = _feed(app_client, reader, limit=50)["items"]
    assert all("From @maya, whom you follow" in item["reasons"] for item in followed)


def test_pages_follow_the_cursor(app_client: TestClient) -> None:
    reader, _, _, _ = _town(app_client)
    first = _feed(app_client, reader, limit=4)
    assert len(first["items"]) == 4 and first["next_cursor"]
    second = _feed(app_client, reader, limit=4, cursor=first["next_cursor"])
    keys = [
        (item["kind"], (item["post"] or item["account"]["account"])["id"])
        for item in first["items"] + second["items"]
    ]
    assert len(keys) == len(set(keys)) == 7  # 6 posts and tom
    assert second["next_cursor"] is None


def test_a_trained_model_ranks_the_feed(
    app_client: TestClient, database: Database, settings: Settings, tmp_path: Path
) -> None:
    reader, maya, tom, ids = _town(app_client)
    views = [{"type": "impression", "surface": "feed", "post_id": i} for i in ids[:2]]
    for user in (reader, maya, tom):
        assert (
            app_client.post("/events", json={"events": views}, headers=user.headers).status_code
            == 201
        )
    options = PlatformOptions()
    config = TrainConfig(
        model=HSTUConfig(max_len=8, dim=16, dropout=0.0),
        epochs=1,
        batch_size=4,
        ranking_weight=1.0,
        progress=False,
        num_threads=1,
    )
    data = platform_data(database, options, embedder=None)
    train_on_platform(data, settings.data_dir, config, options, run_name="api")
    page = _feed(app_client, reader, limit=50)
    assert page["ranking"] == "model" and page["model_version"] == "api" and page["note"] == ""
    assert page["items"] and all(item["predictions"] for item in page["items"])
    status = app_client.get("/feed/status", headers=reader.headers).json()
    assert status["model_version"] == "api" and status["error"] is None
    assert set(status["trained_metrics"]) == {"valid", "test", "test_filtered", "test_heads"}
    assert status["surfaces"] == ["home", "videos"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["cursor", "surface", "limit"]),
    value=st.text(max_size=40) | st.integers(-(2**70), 2**70).map(str),
)
def test_random_parameters_never_fail_with_500(
    app_client: TestClient, name: str, value: str
) -> None:
    user = signup(app_client)
    response = app_client.get("/feed", params={name: value}, headers=user.headers)
    assert response.status_code in (200, 422), response.text
    assert isinstance(response.json().get("detail", ""), str)


def test_the_documented_cursor_is_the_one_the_feed_checks(client: TestClient) -> None:
    """The document states the cursor's pattern (schemathesis sent others, refused as valid);
    the feed service checks each key with its own pattern, which is this one."""
    assert _CURSOR_KEY.pattern == feed.FEED_CURSOR_KEY
    spec = client.get("/openapi.json").json()
    [cursor] = [p for p in spec["paths"]["/feed"]["get"]["parameters"] if p["name"] == "cursor"]
    pattern = cursor["schema"]["pattern"]
    assert re.fullmatch(pattern, "p12.a3")
    assert not re.fullmatch(pattern, "p12.") and not re.fullmatch(pattern, "x1")
