from fastapi.testclient import TestClient

from tests.utils.factories import jpeg_claiming, mp4_bytes, png_bytes, signup
from townsquare.settings import Settings
from townsquare.social.media_probe import TOO_MANY_PIXELS


def test_image_and_video_posts_carry_media_metadata(client: TestClient) -> None:
    ada = signup(client, "ada")
    image = client.post(
        "/media", files={"file": ("x.png", png_bytes(30, 20), "image/png")}, headers=ada.headers
    ).json()
    video = client.post(
        "/media", files={"file": ("v.mp4", mp4_bytes(45_000), "video/mp4")}, headers=ada.headers
    ).json()
    made = client.post(
        "/posts",
        json={"kind": "image", "text": "crumb", "media_id": image["id"]},
        headers=ada.headers,
    )
    assert made.status_code == 201
    assert made.json()["media"]["width"] == 30
    short = client.post(
        "/posts", json={"kind": "short_video", "media_id": video["id"]}, headers=ada.headers
    ).json()
    assert short["media"]["duration_ms"] == 45_000
    listed = client.get("/posts?kind=short_video").json()["items"]
    assert [p["id"] for p in listed] == [short["id"]]
    file = client.get(image["url"])
    assert file.status_code == 200
    assert file.headers["content-type"] == "image/png"
    assert file.content == png_bytes(30, 20)


def test_post_lifecycle_with_likes_and_comments(client: TestClient) -> None:
    ada, bob = signup(client, "ada"), signup(client, "bob")
    post = client.post("/posts", json={"kind": "text", "text": "hello"}, headers=ada.headers).json()
    url = f"/posts/{post['id']}"
    assert client.put(f"{url}/like", headers=bob.headers).json() == {"liked": True, "like_count": 1}
    assert client.put(f"{url}/like", headers=bob.headers).json()["like_count"] == 1
    comment = client.post(f"{url}/comments", json={"text": "nice"}, headers=bob.headers)
    assert comment.status_code == 201
    shown = client.get(url).json()
    assert (shown["like_count"], shown["comment_count"]) == (1, 1)
    assert client.patch(url, json={"text": "hacked"}, headers=bob.headers).status_code == 403
    assert (
        client.patch(url, json={"text": "hello!"}, headers=ada.headers).json()["text"] == "hello!"
    )
    comments = client.get(f"{url}/comments").json()["items"]
    assert [(c["author"]["handle"], c["text"]) for c in comments] == [("bob", "nice")]
    assert client.delete(f"/comments/{comments[0]['id']}", headers=ada.headers).status_code == 204
    assert client.delete(f"{url}/like", headers=bob.headers).status_code == 204
    assert client.delete(url, headers=ada.headers).status_code == 204
    assert client.get(url).json() == {"detail": f"no post {post['id']}"}


def test_bad_posts_get_clear_4xx(client: TestClient) -> None:
    ada = signup(client, "ada")
    cases = [
        ({"kind": "text", "text": ""}, 422, "a text post needs text"),
        ({"kind": "image"}, 422, "needs media_id"),
        ({"kind": "image", "media_id": 12345}, 404, "no media 12345"),
        ({"kind": "link", "link_url": "ftp://x"}, 422, "http(s)"),
    ]
    for body, status, message in cases:
        response = client.post("/posts", json=body, headers=ada.headers)
        assert response.status_code == status, body
        assert message in response.json()["detail"]
    assert client.post("/posts", json={"kind": "text", "text": "x"}).status_code == 401


def test_uploads_of_unknown_types_are_refused(client: TestClient) -> None:
    ada = signup(client, "ada")
    response = client.post(
        "/media", files={"file": ("a.png", b"not really a png", "image/png")}, headers=ada.headers
    )
    assert response.status_code == 422
    assert "unsupported file type" in response.json()["detail"]
    missing = client.post("/media", headers=ada.headers)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "body.file"


def test_unknown_fields_are_refused_by_name(client: TestClient) -> None:
    ada = signup(client, "ada")
    response = client.post(
        "/posts", json={"kind": "text", "text": "x", "colour": "red"}, headers=ada.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.colour", "message": "Extra inputs are not permitted"}
    ]


def test_a_decompression_bomb_upload_gets_a_4xx_not_a_500(client: TestClient) -> None:
    ada = signup(client)
    response = client.post(
        "/media",
        files={"file": ("bomb.jpg", jpeg_claiming(14_000, 14_000), "image/jpeg")},
        headers=ada.headers,
    )
    assert response.status_code == 422
    assert response.json() == {"detail": TOO_MANY_PIXELS}
    assert TOO_MANY_PIXELS.startswith("the image has more than 48,000,000 pixels (8000x6000)")


def test_uploads_over_the_hourly_quota_get_429(
    begun: list[bool], limited_client: TestClient, settings: Settings
) -> None:
    ada = signup(limited_client)
    files = {"file": ("x.png", png_bytes(3, 3), "image/png")}
    assert limited_client.post("/media", files=files, headers=ada.headers).status_code == 201
    files = {"file": ("y.png", png_bytes(4, 4), "image/png")}
    stored = sorted(p.name for p in settings.media_dir.rglob("*") if p.is_file())
    begun.clear()
    refused = limited_client.post("/media", files=files, headers=ada.headers)
    assert refused.status_code == 429
    assert begun == [False, False]  # the token check, the early check: no write begun
    assert sorted(p.name for p in settings.media_dir.rglob("*") if p.is_file()) == stored
    assert int(refused.headers["Retry-After"]) > 3500
    assert refused.json()["detail"].startswith("you have reached your limit of 1 uploads an hour")
