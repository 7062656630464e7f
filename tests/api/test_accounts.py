from fastapi.testclient import TestClient

from tests.utils.factories import signup


def test_profiles_update_and_show_follow_counts(client: TestClient) -> None:
    ada, bob = signup(client, "ada"), signup(client, "bob")
    changed = client.patch(
        "/accounts/me",
        json={"bio": "Bakes bread.", "website": "https://ada.example"},
        headers=ada.headers,
    )
    assert changed.status_code == 200
    assert changed.json()["bio"] == "Bakes bread."
    assert client.put("/accounts/ada/follow", headers=bob.headers).json() == {"following": True}
    profile = client.get("/accounts/ada").json()
    assert (profile["followers"], profile["following"], profile["website"]) == (
        1,
        0,
        "https://ada.example/",
    )
    followers = client.get("/accounts/ada/followers").json()
    assert [a["handle"] for a in followers["items"]] == ["bob"]
    assert [a["handle"] for a in client.get("/accounts/bob/following").json()["items"]] == ["ada"]
    assert client.delete("/accounts/ada/follow", headers=bob.headers).status_code == 204
    assert client.get("/accounts/ada").json()["followers"] == 0


def test_profile_errors(client: TestClient) -> None:
    ada = signup(client, "ada")
    assert client.get("/accounts/ghost").status_code == 404
    assert client.put("/accounts/ada/follow", headers=ada.headers).status_code == 422
    bad = client.patch("/accounts/me", json={"website": "not a url"}, headers=ada.headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.website"
    avatar = client.patch("/accounts/me", json={"avatar_media_id": 9999}, headers=ada.headers)
    assert avatar.status_code == 404


def test_a_time_zone_is_one_the_time_zone_database_knows(client: TestClient) -> None:
    ada = signup(client, "ada")
    assert client.get("/accounts/ada").json()["time_zone"] == "UTC"
    changed = client.patch("/accounts/me", json={"time_zone": "Europe/Berlin"}, headers=ada.headers)
    assert changed.status_code == 200 and changed.json()["time_zone"] == "Europe/Berlin"
    for name in ("Mars/Base", "../../etc/passwd", "localtime", "", "europe/berlin"):
        bad = client.patch("/accounts/me", json={"time_zone": name}, headers=ada.headers)
        assert bad.status_code == 422, name
        assert "time_zone is not a known time zone" in bad.text, bad.text
    too_long = client.patch("/accounts/me", json={"time_zone": "A" * 65}, headers=ada.headers)
    assert too_long.status_code == 422
    assert client.get("/accounts/ada").json()["time_zone"] == "Europe/Berlin"


def test_null_leaves_a_field_that_always_has_a_value_alone(client: TestClient) -> None:
    """A null display name, bio or location was a 409 (the column is NOT NULL; schemathesis):
    the document allows null, and null means unchanged; a null website clears it."""
    ada = signup(client, "ada")
    before = client.patch(
        "/accounts/me",
        json={"bio": "Bakes bread.", "location": "Lyon", "website": "https://ada.example"},
        headers=ada.headers,
    ).json()
    nulls = {"display_name": None, "bio": None, "location": None, "website": None}
    nulls["time_zone"] = None
    changed = client.patch("/accounts/me", json=nulls, headers=ada.headers)
    assert changed.status_code == 200, changed.text
    assert changed.json() == {**before, "website": ""}


def test_account_posts_are_paginated(client: TestClient) -> None:
    ada = signup(client, "ada")
    for i in range(5):
        client.post("/posts", json={"kind": "text", "text": f"p{i}"}, headers=ada.headers)
    first = client.get("/accounts/ada/posts?limit=3").json()
    second = client.get(f"/accounts/ada/posts?limit=3&cursor={first['next_cursor']}").json()
    texts = [p["text"] for p in first["items"] + second["items"]]
    assert texts == ["p4", "p3", "p2", "p1", "p0"]
    assert second["next_cursor"] is None
