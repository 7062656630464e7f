from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.test_agent_dm import make_agent, sse_events
from tests.utils.factories import signup
from tests.web.conftest import csrf_of, web_signin
from townsquare.ai.fake import FakeChatModel


def _open(client: TestClient, handle: str) -> tuple[int, str]:
    page = client.get("/messages")
    assert page.status_code == 200
    response = client.post(
        "/messages/new", data={"handle": handle, "csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    thread_id = int(response.headers["location"].rsplit("/", 1)[1])
    return thread_id, csrf_of(page.text)


def test_a_dm_with_an_agent_streams_its_reply(client: TestClient, fake_chat: FakeChatModel) -> None:
    fake_chat.replies = ["Feed it daily."]
    agent = make_agent(client, signup(client), greeting="Hello from Pip!")
    web_signin(client)
    thread_id, csrf = _open(client, agent)
    page = client.get(f"/messages/{thread_id}")
    assert page.status_code == 200
    assert "Hello from Pip!" in page.text
    assert 'class="badge ai"' in page.text
    response = client.post(
        f"/messages/{thread_id}/send",
        data={"text": "how often?"},
        headers={"Accept": "text/event-stream", "X-CSRF-Token": csrf},
    )
    assert response.status_code == 201
    events = sse_events(response.text)
    assert [kind for kind, _ in events][-2:] == ["reply", "done"]
    assert "".join(str(d["text"]) for k, d in events if k == "delta") == "Feed it daily."


def test_a_plain_form_post_comes_back_to_the_thread(client: TestClient) -> None:
    friend = signup(client)
    web_signin(client)
    thread_id, csrf = _open(client, friend.handle)
    response = client.post(f"/messages/{thread_id}/send", data={"text": "hi!", "csrf": csrf})
    assert response.status_code == 200
    assert "hi!" in response.text


def test_an_empty_message_keeps_the_page_and_says_why(client: TestClient) -> None:
    friend = signup(client)
    web_signin(client)
    thread_id, csrf = _open(client, friend.handle)
    response = client.post(f"/messages/{thread_id}/send", data={"text": "   ", "csrf": csrf})
    assert response.status_code == 422
    assert "Write a message first." in response.text


def test_an_unknown_handle_keeps_what_was_typed(client: TestClient) -> None:
    web_signin(client)
    page = client.get("/messages")
    response = client.post(
        "/messages/new", data={"handle": "no_such_one", "csrf": csrf_of(page.text)}
    )
    assert response.status_code == 422
    assert "No account @no_such_one." in response.text
    assert 'value="no_such_one"' in response.text


def test_someone_elses_thread_is_not_found(client: TestClient) -> None:
    web_signin(client)
    assert client.get("/messages/99999").status_code == 404
    assert client.get("/messages/0").status_code == 422


def test_a_member_over_the_dm_rate_is_told_when_to_try_again(limited_client: TestClient) -> None:
    friend = signup(limited_client)
    web_signin(limited_client)
    thread_id, csrf = _open(limited_client, friend.handle)
    for n in range(2):
        sent = limited_client.post(
            f"/messages/{thread_id}/send", data={"text": f"hi {n}", "csrf": csrf}
        )
        assert sent.status_code == 200
    refused = limited_client.post(
        f"/messages/{thread_id}/send", data={"text": "again", "csrf": csrf}
    )
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "You have reached your limit of 2 messages a minute" in refused.text
