from fastapi.testclient import TestClient

from tests.utils.factories import signup


def test_a_batch_is_recorded_and_listed(client: TestClient) -> None:
    ada = signup(client, "ada")
    post = client.post("/posts", json={"kind": "text", "text": "hi"}, headers=ada.headers).json()
    batch = [
        {"type": "impression", "surface": "feed", "post_id": post["id"]},
        {"type": "dwell", "surface": "feed", "post_id": post["id"], "dwell_ms": 3100},
        {"type": "share", "surface": "post", "post_id": post["id"], "extra": {"to": "copy-link"}},
    ]
    recorded = client.post("/events", json={"events": batch}, headers=ada.headers)
    assert recorded.status_code == 201
    assert len(recorded.json()["ids"]) == 3
    listed = client.get("/events", headers=ada.headers).json()["items"]
    assert [e["type"] for e in listed] == ["share", "dwell", "impression"]
    assert listed[0]["extra"] == {"to": "copy-link"}


def test_a_bad_event_rejects_the_whole_batch(client: TestClient) -> None:
    ada = signup(client, "ada")
    post = client.post("/posts", json={"kind": "text", "text": "hi"}, headers=ada.headers).json()
    batch = [
        {"type": "open", "surface": "feed", "post_id": post["id"]},
        {"type": "dwell", "surface": "feed", "post_id": post["id"]},
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


def test_extra_is_bounded_in_keys_depth_and_size(client: TestClient) -> None:
    ada = signup(client, "ada")
    cases = [
        ({str(i): i for i in range(17)}, "body.events.0.extra: Dictionary should have at most 16"),
        ({"a": {"b": {"c": 1}}}, "nests at most 2 levels of objects and lists"),
        ({"a": "x" * 3000}, "is at most 2048 bytes as JSON"),
    ]
    for extra, message in cases:
        event = {"type": "open", "surface": "feed", "extra": extra}
        response = client.post("/events", json={"events": [event]}, headers=ada.headers)
        assert response.status_code == 422, response.text
        assert message in response.json()["detail"]


def test_a_five_mebibyte_extra_is_refused_before_it_is_parsed(client: TestClient) -> None:
    ada = signup(client, "ada")
    event = {"type": "open", "surface": "feed", "extra": {"a": "x" * (5 * 2**20)}}
    response = client.post("/events", json={"events": [event]}, headers=ada.headers)
    assert response.status_code == 413
    assert response.json() == {"detail": "the request body is larger than 1 MiB; send less"}
