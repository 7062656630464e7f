import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import ApiUser, signup


def _post(client: TestClient, author: ApiUser) -> int:
    response = client.post("/posts", json={"kind": "text", "text": "hi"}, headers=author.headers)
    return int(response.json()["id"])


def test_a_batch_of_exposures_is_recorded_and_listed(client: TestClient) -> None:
    ada = signup(client, "ada")
    post_id = _post(client, signup(client, "bob"))
    batch = [
        {"type": "impression", "surface": "feed", "post_id": post_id},
        {"type": "open", "surface": "feed", "post_id": post_id},
        {"type": "dwell", "surface": "feed", "post_id": post_id, "dwell_ms": 3100},
    ]
    recorded = client.post("/events", json={"events": batch}, headers=ada.headers)
    assert recorded.status_code == 201
    assert len(recorded.json()["ids"]) == 3
    listed = client.get("/events", headers=ada.headers).json()["items"]
    assert [e["type"] for e in listed] == ["dwell", "open", "impression"]
    assert listed[0]["dwell_ms"] == 3100
    assert listed[0]["extra"] == {}


def test_a_bad_event_rejects_the_whole_batch(client: TestClient) -> None:
    ada = signup(client, "ada")
    post_id = _post(client, ada)
    batch = [
        {"type": "open", "surface": "feed", "post_id": post_id},
        {"type": "dwell", "surface": "feed", "post_id": post_id},
    ]
    response = client.post("/events", json={"events": batch}, headers=ada.headers)
    assert response.status_code == 422
    assert "dwell_ms" in response.json()["detail"]
    assert client.get("/events", headers=ada.headers).json()["items"] == []
    bad_type = client.post(
        "/events", json={"events": [{"type": "scroll", "surface": "feed"}]}, headers=ada.headers
    )
    assert bad_type.status_code == 422
    assert bad_type.json()["errors"][0]["field"] == "body.events.0.type"


@pytest.mark.parametrize("forged", ["like", "comment", "share", "follow", "hide", "report"])
def test_clients_cannot_log_actions(client: TestClient, forged: str) -> None:
    ada = signup(client, "ada")
    bob = signup(client, "bob")
    post_id = _post(client, bob)
    event = {"type": forged, "surface": "feed", "post_id": post_id}
    response = client.post("/events", json={"events": [event]}, headers=ada.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.events.0.type"
    assert client.get("/events", headers=ada.headers).json()["items"] == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("extra", {"blob": "x" * 1000}), ("target_account_id", 1), ("dwell_ms", 3_600_001)],
)
def test_exposures_are_bounded(client: TestClient, field: str, value: object) -> None:
    ada = signup(client, "ada")
    post_id = _post(client, ada)
    event = {"type": "dwell", "surface": "feed", "post_id": post_id, "dwell_ms": 10, field: value}
    response = client.post("/events", json={"events": [event]}, headers=ada.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == f"body.events.0.{field}"


def test_exposures_only_on_posts_the_member_can_see(client: TestClient) -> None:
    ada = signup(client, "ada")
    bob = signup(client, "bob")
    post_id = _post(client, bob)
    assert client.delete(f"/posts/{post_id}", headers=bob.headers).status_code == 204
    event = {"type": "open", "surface": "feed", "post_id": post_id}
    response = client.post("/events", json={"events": [event]}, headers=ada.headers)
    assert response.status_code == 404
    assert response.json() == {"detail": f"no post {post_id}"}


def test_hides_and_reports_are_logged_by_their_routes(client: TestClient) -> None:
    ada = signup(client, "ada")
    bob = signup(client, "bob")
    post_id = _post(client, bob)
    assert client.post(f"/posts/{post_id}/hide", headers=ada.headers).status_code == 204
    assert client.post(f"/posts/{post_id}/report", headers=ada.headers).status_code == 204
    assert client.post("/accounts/bob/hide", headers=ada.headers).status_code == 204
    assert client.post("/accounts/bob/report", headers=ada.headers).status_code == 204
    listed = client.get("/events", headers=ada.headers).json()["items"]
    assert [(e["type"], e["post_id"], e["target_account_id"]) for e in listed] == [
        ("report", None, bob.id),
        ("hide", None, bob.id),
        ("report", post_id, None),
        ("hide", post_id, None),
    ]
    missing = client.post("/posts/999999/hide", headers=ada.headers)
    assert (missing.status_code, missing.json()) == (404, {"detail": "no post 999999"})
    itself = client.post("/accounts/ada/report", headers=ada.headers)
    assert (itself.status_code, itself.json()) == (422, {"detail": "you cannot report yourself"})
    assert client.post(f"/posts/{post_id}/hide").status_code == 401


def test_a_five_mebibyte_body_is_refused_before_it_is_parsed(client: TestClient) -> None:
    ada = signup(client, "ada")
    event = {"type": "open", "surface": "x" * (5 * 2**20)}
    response = client.post("/events", json={"events": [event]}, headers=ada.headers)
    assert response.status_code == 413
    assert response.json() == {"detail": "the request body is larger than 1 MiB; send less"}
