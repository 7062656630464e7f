from fastapi.testclient import TestClient

from tests.utils.factories import signup


def test_direct_messages_between_two_members(client: TestClient) -> None:
    ada, bob = signup(client, "ada"), signup(client, "bob")
    thread = client.post("/threads", json={"handles": ["bob"]}, headers=ada.headers).json()
    url = f"/threads/{thread['id']}/messages"
    sent = client.post(url, json={"text": "hi bob", "client_key": "m1"}, headers=ada.headers)
    assert sent.status_code == 201
    retry = client.post(url, json={"text": "hi bob", "client_key": "m1"}, headers=ada.headers)
    assert (retry.status_code, retry.json()["id"]) == (200, sent.json()["id"])
    inbox = client.get("/threads", headers=bob.headers).json()["items"]
    assert [(t["id"], t["unread"]) for t in inbox] == [(thread["id"], 1)]
    messages = client.get(url, headers=bob.headers).json()["items"]
    assert [(m["sender"]["handle"], m["text"]) for m in messages] == [("ada", "hi bob")]
    read = client.post(
        f"/threads/{thread['id']}/read", json={"message_id": messages[0]["id"]}, headers=bob.headers
    )
    assert read.status_code == 204
    assert client.get(f"/threads/{thread['id']}", headers=bob.headers).json()["unread"] == 0


def test_outsiders_get_404_and_bad_input_422(client: TestClient) -> None:
    ada, bob, eve = signup(client, "ada"), signup(client, "bob"), signup(client, "eve")
    thread = client.post("/threads", json={"handles": ["bob"]}, headers=ada.headers).json()
    assert client.get(f"/threads/{thread['id']}/messages", headers=eve.headers).status_code == 404
    assert (
        client.post("/threads", json={"handles": ["ghost"]}, headers=ada.headers).status_code == 404
    )
    assert client.post("/threads", json={"handles": []}, headers=ada.headers).status_code == 422
    empty = client.post(f"/threads/{thread['id']}/messages", json={"text": ""}, headers=bob.headers)
    assert empty.status_code == 422


def test_a_member_over_the_dm_rate_gets_429_with_retry_after(
    begun: list[bool], limited_client: TestClient
) -> None:
    ada, bob = signup(limited_client), signup(limited_client)
    thread = limited_client.post(
        "/threads", json={"handles": [bob.handle]}, headers=ada.headers
    ).json()
    url = f"/threads/{thread['id']}/messages"
    for n in range(2):
        sent = limited_client.post(url, json={"text": f"hi {n}"}, headers=ada.headers)
        assert sent.status_code == 201, sent.text
    begun.clear()
    refused = limited_client.post(url, json={"text": "one more"}, headers=ada.headers)
    assert refused.status_code == 429
    # The token check and the quota's early check, both reading: on SQLite a refused DM never
    # takes the write lock (issue 16's abuse benchmark).
    assert begun == [False, False]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["detail"] == (
        f"you have reached your limit of 2 messages a minute; "
        f"try again in {refused.headers['Retry-After']} s"
    )
    answer = limited_client.post(url, json={"text": "hi ada"}, headers=bob.headers)
    assert answer.status_code == 201  # the other member is not limited by ada's messages


def test_sharing_a_post_into_a_thread_logs_the_share(client: TestClient) -> None:
    ada, bob = signup(client), signup(client)
    post = client.post("/posts", json={"kind": "text", "text": "open studio"}, headers=bob.headers)
    post_id = post.json()["id"]
    thread = client.post("/threads", json={"handles": [bob.handle]}, headers=ada.headers).json()
    url = f"/threads/{thread['id']}/messages"
    shared = client.post(url, json={"text": "go?", "shared_post_id": post_id}, headers=ada.headers)
    assert shared.status_code == 201, shared.text
    assert shared.json()["shared_post_id"] == post_id
    seen = client.get(url, headers=bob.headers).json()["items"]
    assert [(m["text"], m["shared_post_id"]) for m in seen] == [("go?", post_id)]
    logged = client.get("/events", headers=ada.headers).json()["items"]
    assert [(e["type"], e["post_id"]) for e in logged] == [("share", post_id)]
    missing = client.post(url, json={"text": "x", "shared_post_id": 999999}, headers=ada.headers)
    assert (missing.status_code, missing.json()) == (404, {"detail": "no post 999999"})
    plain = client.post(url, json={"text": "no share"}, headers=ada.headers)
    assert plain.json()["shared_post_id"] is None
