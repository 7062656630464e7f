from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import ApiUser, jpeg_claiming, png_bytes, signup, unique_handle
from townsquare.social.media_probe import TOO_MANY_PIXELS

pytestmark = pytest.mark.postgres


def create_agent(client: TestClient, owner: ApiUser, **fields: object) -> dict[str, object]:
    body = {"handle": unique_handle("agent"), "name": "Pip", **fields}
    response = client.post("/agents", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    result: dict[str, object] = response.json()
    return result


def test_create_read_update_delete(client: TestClient) -> None:
    owner, other = signup(client), signup(client)
    created = create_agent(
        client,
        owner,
        tagline="I talk plants",
        instructions="Never give medical advice.",
        openers=["What should I plant in May?"],
    )
    handle = created["handle"]
    assert created["label"] == "AI"
    assert created["profile"]["instructions"] == "Never give medical advice."  # type: ignore[index]

    public = client.get(f"/agents/{handle}", headers=other.headers).json()
    assert public["tagline"] == "I talk plants" and "profile" not in public
    assert public["owner"]["handle"] == owner.handle

    changed = client.patch(
        f"/agents/{handle}", json={"changes": {"tone": "dry wit"}}, headers=owner.headers
    )
    assert changed.status_code == 200 and changed.json()["tone"] == "dry wit"
    assert (
        client.patch(
            f"/agents/{handle}", json={"changes": {"tone": "x"}}, headers=other.headers
        ).status_code
        == 403
    )
    assert client.delete(f"/agents/{handle}", headers=owner.headers).status_code == 204
    assert client.get(f"/agents/{handle}", headers=owner.headers).status_code == 404


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"openers": ["1", "2", "3", "4"]}, 422, "openers"),
        ({"kind": "robot"}, 422, "kind"),
        ({"visibility": "secret"}, 422, "visibility"),
        ({"handle": "Not A Handle!"}, 422, "handle"),
        ({"surprise": True}, 422, "surprise"),
        (
            {"example_dialogues": [[{"speaker": "user", "text": "hi"}] * 65]},
            422,
            "body.example_dialogues.0: List should have at most 64 items",
        ),
        ({"traits": ["x" * 2_001]}, 422, "body.traits.0: String should have at most 2000"),
        ({"reply_sentences": 0}, 422, "body.reply_sentences: Input should be greater than or"),
        ({"reply_sentences": 9}, 422, "body.reply_sentences: Input should be less than or"),
        ({"kind": "business"}, 403, "business account"),
    ],
)
def test_bad_agents_are_refused_with_a_reason(
    client: TestClient, fields: dict[str, object], status: int, message: str
) -> None:
    owner = signup(client)
    body = {"handle": unique_handle("agent"), "name": "Pip", **fields}
    response = client.post("/agents", json=body, headers=owner.headers)
    assert response.status_code == status
    assert message in json.dumps(response.json()["detail"])


def test_an_owner_sets_the_reply_length(client: TestClient) -> None:
    owner = signup(client)
    handle = create_agent(client, owner)["handle"]
    detail = client.get(f"/agents/{handle}", headers=owner.headers).json()
    assert detail["profile"]["reply_sentences"] == 3
    response = client.patch(
        f"/agents/{handle}", json={"changes": {"reply_sentences": 1}}, headers=owner.headers
    )
    assert response.status_code == 200 and response.json()["profile"]["reply_sentences"] == 1
    response = client.patch(
        f"/agents/{handle}", json={"changes": {"reply_sentences": 20}}, headers=owner.headers
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "reply_sentences: Input should be less than or equal to 8"


def test_patch_refuses_unknown_fields(client: TestClient) -> None:
    owner = signup(client)
    handle = create_agent(client, owner)["handle"]
    response = client.patch(
        f"/agents/{handle}", json={"changes": {"kind": "creator"}}, headers=owner.headers
    )
    assert response.status_code == 422 and "cannot change kind" in response.json()["detail"]


def test_private_agents_are_hidden(client: TestClient) -> None:
    owner, other = signup(client), signup(client)
    handle = create_agent(client, owner, visibility="private")["handle"]
    assert client.get(f"/agents/{handle}", headers=other.headers).status_code == 404
    listed = client.get("/agents", headers=other.headers).json()["items"]
    assert handle not in [a["handle"] for a in listed]
    mine = client.get(f"/agents?owner={owner.handle}", headers=owner.headers).json()["items"]
    assert [a["handle"] for a in mine] == [handle]


def test_avatar_must_be_an_image(client: TestClient) -> None:
    owner = signup(client)
    handle = create_agent(client, owner)["handle"]
    ok = client.put(
        f"/agents/{handle}/avatar",
        files={"file": ("a.png", png_bytes(), "image/png")},
        headers=owner.headers,
    )
    assert ok.status_code == 200 and ok.json()["avatar_url"].startswith("/media/")
    bad = client.put(
        f"/agents/{handle}/avatar",
        files={"file": ("a.txt", b"hello", "text/plain")},
        headers=owner.headers,
    )
    assert bad.status_code == 422


def test_card_round_trip_through_the_api(client: TestClient) -> None:
    owner = signup(client)
    handle = create_agent(
        client,
        owner,
        personality="A gardener who loves tomatoes.",
        greeting="Hi! Ask me about seedlings.",
        avoid_topics=[{"topic": "politics", "reply": "I only talk gardening."}],
    )["handle"]
    for fmt in ("json_v2", "json_v3", "png_v2", "png_v3", "charx"):
        card = client.get(f"/agents/{handle}/card?format={fmt}", headers=owner.headers)
        assert card.status_code == 200, card.text
        copy = client.post(
            "/agents/import",
            files={"file": (f"card.{fmt}", card.content, "application/octet-stream")},
            data={"handle": unique_handle("copy")},
            headers=owner.headers,
        )
        assert copy.status_code == 201, (fmt, copy.text)
        profile = copy.json()["profile"]
        assert profile["personality"] == "A gardener who loves tomatoes."
        assert profile["greeting"] == "Hi! Ask me about seedlings."
        assert profile["avoid_topics"] == [{"topic": "politics", "reply": "I only talk gardening."}]


def test_a_malformed_card_names_the_field(client: TestClient) -> None:
    owner = signup(client)
    card = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": 5}}
    response = client.post(
        "/agents/import",
        files={"file": ("card.json", json.dumps(card).encode(), "application/json")},
        headers=owner.headers,
    )
    assert response.status_code == 422
    assert "name" in response.json()["detail"]


def test_only_the_owner_exports_the_card(client: TestClient) -> None:
    owner, other = signup(client), signup(client)
    handle = create_agent(client, owner)["handle"]
    assert client.get(f"/agents/{handle}/card", headers=other.headers).status_code == 403


def test_opening_a_thread_greets_once(client: TestClient) -> None:
    owner, member = signup(client), signup(client)
    handle = create_agent(client, owner, greeting="Welcome!")["handle"]
    first = client.post(f"/agents/{handle}/threads", headers=member.headers)
    assert first.status_code == 201 and first.json()["created"]
    again = client.post(f"/agents/{handle}/threads", headers=member.headers)
    assert again.status_code == 200 and again.json()["thread_id"] == first.json()["thread_id"]
    [greeting] = client.get(
        f"/threads/{first.json()['thread_id']}/messages", headers=member.headers
    ).json()["items"]
    assert (greeting["text"], greeting["ai_generated"], greeting["label"]) == (
        "Welcome!",
        True,
        "AI",
    )


def test_a_private_agent_is_missing_on_every_path(client: TestClient) -> None:
    owner, other = signup(client), signup(client)
    handle = create_agent(client, owner, visibility="private")["handle"]
    avatar = client.put(
        f"/agents/{handle}/avatar",
        files={"file": ("a.png", png_bytes(), "image/png")},
        headers=owner.headers,
    ).json()["avatar_url"]
    missing = {"detail": f"no account @{handle}"}
    for who in (other.headers, {}):
        for path in ("", "/posts", "/followers", "/following"):
            response = client.get(f"/accounts/{handle}{path}", headers=who)
            assert (response.status_code, response.json()) == (404, missing), path
        assert client.get(avatar, headers=who).status_code == 404
    for method, path in (("PUT", "follow"), ("POST", "hide"), ("POST", "report")):
        response = client.request(method, f"/accounts/{handle}/{path}", headers=other.headers)
        assert (response.status_code, response.json()) == (404, missing), path
    thread = client.post("/threads", json={"handles": [handle]}, headers=other.headers)
    assert (thread.status_code, thread.json()) == (404, missing)
    models = client.get("/v1/models", headers=other.headers).json()["data"]
    assert handle not in [m["id"] for m in models]
    # Its owner sees it everywhere.
    assert client.get(f"/accounts/{handle}", headers=owner.headers).status_code == 200
    assert client.get(avatar, headers=owner.headers).status_code == 200
    opened = client.post("/threads", json={"handles": [handle]}, headers=owner.headers)
    assert opened.status_code == 201


def test_an_avatar_over_the_pixel_limit_is_refused(client: TestClient) -> None:
    owner = signup(client)
    handle = create_agent(client, owner)["handle"]
    response = client.put(
        f"/agents/{handle}/avatar",
        files={"file": ("a.jpg", jpeg_claiming(13_000, 13_000), "image/jpeg")},
        headers=owner.headers,
    )
    assert response.status_code == 422
    assert response.json() == {"detail": TOO_MANY_PIXELS}
    assert TOO_MANY_PIXELS.startswith("the image has more than 48,000,000 pixels (8000x6000)")
