"""Media is readable only by whoever may see what it belongs to (finding 4)."""

from fastapi.testclient import TestClient

from tests.utils.factories import ApiUser, png_bytes, signup
from townsquare.settings import Settings


def _upload(client: TestClient, who: ApiUser, data: bytes) -> dict[str, object]:
    files = {"file": ("x.png", data, "image/png")}
    response = client.post("/media", files=files, headers=who.headers)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _post(client: TestClient, who: ApiUser, media_id: object) -> int:
    body = {"kind": "image", "text": "crumb", "media_id": media_id}
    response = client.post("/posts", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _reads(client: TestClient, media_id: object, who: ApiUser | None) -> tuple[int, int]:
    headers = who.headers if who else {}
    meta = client.get(f"/media/{media_id}", headers=headers)
    file = client.get(f"/media/{media_id}/file", headers=headers)
    return meta.status_code, file.status_code


def test_an_upload_never_posted_is_the_uploaders_alone(client: TestClient) -> None:
    ada, bob = signup(client, "ada"), signup(client, "bob")
    media_id = _upload(client, ada, png_bytes())["id"]
    assert _reads(client, media_id, ada) == (200, 200)
    assert _reads(client, media_id, bob) == (404, 404)
    assert _reads(client, media_id, None) == (404, 404)
    assert client.get(f"/media/{media_id}").json() == {"detail": f"no media {media_id}"}
    taken = client.post("/posts", json={"kind": "image", "media_id": media_id}, headers=bob.headers)
    assert (taken.status_code, taken.json()) == (404, {"detail": f"no media {media_id}"})


def test_a_posted_file_is_as_public_as_its_post(client: TestClient) -> None:
    ada, bob = signup(client, "ada"), signup(client, "bob")
    media_id = _upload(client, ada, png_bytes())["id"]
    _post(client, ada, media_id)
    assert _reads(client, media_id, bob) == (200, 200)
    assert _reads(client, media_id, None) == (200, 200)


def test_an_avatar_is_public(client: TestClient) -> None:
    ada = signup(client, "ada")
    media_id = _upload(client, ada, png_bytes())["id"]
    changed = client.patch("/accounts/me", json={"avatar_media_id": media_id}, headers=ada.headers)
    assert changed.status_code == 200
    assert _reads(client, media_id, None) == (200, 200)


def test_a_deleted_posts_file_is_gone(client: TestClient, settings: Settings) -> None:
    ada, bob = signup(client, "ada"), signup(client, "bob")
    uploaded = _upload(client, ada, png_bytes(9, 9))
    post_id = _post(client, ada, uploaded["id"])
    [path] = list(settings.media_dir.rglob("*.png"))
    assert client.delete(f"/posts/{post_id}", headers=ada.headers).status_code == 204
    for who in (ada, bob, None):
        assert _reads(client, uploaded["id"], who) == (404, 404)
    assert not path.exists()


def test_a_file_stays_while_another_upload_uses_its_bytes(
    client: TestClient, settings: Settings
) -> None:
    ada, bob = signup(client, "ada"), signup(client, "bob")
    first = _upload(client, ada, png_bytes(9, 9))
    second = _upload(client, bob, png_bytes(9, 9))
    post_id = _post(client, ada, first["id"])
    assert client.delete(f"/posts/{post_id}", headers=ada.headers).status_code == 204
    assert _reads(client, first["id"], ada) == (404, 404)
    assert _reads(client, second["id"], bob) == (200, 200)
