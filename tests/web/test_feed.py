from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.factories import png_bytes, signup
from tests.web.conftest import csrf_of, web_signin


def _posts(client: TestClient, count: int) -> list[int]:
    author = signup(client)
    ids = []
    for n in range(count):
        response = client.post(
            "/posts", json={"kind": "text", "text": f"post number {n}"}, headers=author.headers
        )
        assert response.status_code == 201, response.text
        ids.append(int(response.json()["id"]))
    return ids


def test_the_feed_pages_like_hide_and_scroll(client: TestClient) -> None:
    ids = _posts(client, 14)
    web_signin(client)
    page = client.get("/")
    assert page.status_code == 200
    assert "Why you are seeing this" in page.text
    assert 'hx-trigger="revealed"' in page.text
    csrf = csrf_of(page.text)
    shown = [i for i in ids if f'data-post-id="{i}"' in page.text]
    assert shown

    liked = client.post(
        f"/p/{shown[0]}/like", data={"csrf": csrf, "like": "1"}, headers={"HX-Request": "true"}
    )
    assert liked.status_code == 200
    assert "Liked · 1" in liked.text
    hidden = client.post(f"/p/{shown[1]}/hide", data={"csrf": csrf}, headers={"HX-Request": "true"})
    assert hidden.status_code == 200 and "Hidden." in hidden.text

    again = client.get("/")
    assert f'data-post-id="{shown[1]}"' not in again.text
    cursor = again.text.split("/feed/more?cursor=")[1].split('"')[0]
    more = client.get(f"/feed/more?cursor={cursor}")
    assert more.status_code == 200
    assert "<html" not in more.text  # a fragment to append


def test_comment_on_a_post_and_keep_the_text_on_error(client: TestClient) -> None:
    (post_id,) = _posts(client, 1)
    web_signin(client)
    page = client.get(f"/p/{post_id}")
    assert page.status_code == 200
    csrf = csrf_of(page.text)
    response = client.post(f"/p/{post_id}/comments", data={"text": "Lovely!", "csrf": csrf})
    assert response.status_code == 200 and "Lovely!" in response.text
    response = client.post(f"/p/{post_id}/comments", data={"text": "   ", "csrf": csrf})
    assert response.status_code == 422
    assert "A comment needs text." in response.text


def test_bad_post_ids_are_4xx_pages(client: TestClient) -> None:
    web_signin(client)
    assert client.get("/p/999999").status_code == 404
    assert client.get("/p/0").status_code == 422
    assert client.get("/p/99999999999999999999999").status_code == 422
    page = client.get("/p/999999")
    assert "No post 999999" in page.text or "no post" in page.text.lower()
    assert client.get("/no/such/page", headers={"Accept": "text/html"}).status_code == 404


def test_likes_and_hides_need_the_csrf_token(client: TestClient) -> None:
    (post_id,) = _posts(client, 1)
    web_signin(client)
    assert client.post(f"/p/{post_id}/like", data={"like": "1"}).status_code == 403
    assert client.post(f"/p/{post_id}/hide", data={"csrf": "nope"}).status_code == 403


def test_post_from_the_feed_and_keep_the_text_on_error(client: TestClient) -> None:
    web_signin(client)
    page = client.get("/")
    csrf = csrf_of(page.text)
    response = client.post("/posts/new", data={"text": "First loaf!", "csrf": csrf})
    assert response.status_code == 200 and "First loaf!" in response.text
    response = client.post(
        "/posts/new",
        data={"text": "see this", "link_url": "javascript:alert(1)", "csrf": csrf},
    )
    assert response.status_code == 422
    assert "see this" in response.text and 'value="javascript:alert(1)"' in response.text
    response = client.post("/posts/new", data={"text": "  ", "csrf": csrf})
    assert response.status_code == 422 and "A text post needs text." in response.text
    response = client.post(
        "/posts/new",
        data={"text": "my loaf", "csrf": csrf},
        files={"file": ("loaf.png", png_bytes(), "image/png")},
    )
    assert response.status_code == 200 and "<img" in response.text


def test_odd_input_is_4xx(client: TestClient) -> None:
    web_signin(client)
    assert client.get("/feed/more?cursor=garbage").status_code in (400, 422)
    assert client.get("/u/" + "x" * 300).status_code == 404
    assert client.get("/studio/" + "x" * 300).status_code == 404
    assert client.get("/passages/nobody/1").status_code == 404
    assert client.get("/rehearse/12345").status_code == 404


def test_a_post_is_shared_into_a_message_from_its_page(client: TestClient) -> None:
    [post_id] = _posts(client, 1)
    friend = signup(client)
    web_signin(client)
    opened = client.post(
        "/messages/new",
        data={"csrf": csrf_of(client.get("/messages").text), "handle": friend.handle},
    )
    thread_id = int(str(opened.url).rsplit("/", 1)[1].split("#")[0])
    page = client.get(f"/p/{post_id}")
    assert f'action="/p/{post_id}/share"' in page.text
    shared = client.post(
        f"/p/{post_id}/share",
        data={"csrf": csrf_of(page.text), "thread_id": str(thread_id), "text": "look at this"},
    )
    assert shared.status_code == 200 and shared.url.path == f"/messages/{thread_id}"
    assert "look at this" in shared.text and f'href="/p/{post_id}">Shared post' in shared.text
    stranger = client.post(
        f"/p/{post_id}/share",
        data={"csrf": csrf_of(page.text), "thread_id": "999999", "text": "again"},
    )
    assert stranger.status_code == 404 and "No thread 999999." in stranger.text
