from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.test_rehearsals import FEEDBACK, OPENING, REPLY
from tests.web.conftest import csrf_of, web_signin
from townsquare.ai.fake import FakeChatModel


def test_rehearse_a_preset_and_read_the_feedback(
    client: TestClient, fake_chat: FakeChatModel
) -> None:
    fake_chat.replies = [OPENING, REPLY]
    web_signin(client)
    page = client.get("/rehearse")
    assert page.status_code == 200
    csrf = csrf_of(page.text)
    response = client.post("/rehearse", data={"scenario": "raise", "goal": "8%", "csrf": csrf})
    assert response.status_code == 200
    assert OPENING in response.text
    url = str(response.url)
    response = client.post(f"{url}/say", data={"text": "I'd like a raise.", "csrf": csrf})
    assert REPLY in response.text
    response = client.post(f"{url}/finish", data={"csrf": csrf})
    assert response.status_code == 200
    assert "A better way to say it" in response.text
    assert FEEDBACK["try"][0] in response.text  # type: ignore[index]
    assert "You stayed calm and did not apologise for asking. You said:" in response.text


def test_a_custom_rehearsal_without_a_description_keeps_the_form(client: TestClient) -> None:
    web_signin(client)
    page = client.get("/rehearse")
    response = client.post(
        "/rehearse",
        data={"scenario": "custom", "title": "Asking my landlord", "csrf": csrf_of(page.text)},
    )
    assert response.status_code == 422
    assert 'value="Asking my landlord"' in response.text
    assert 'value="custom" checked' in response.text


def test_an_empty_line_is_explained(client: TestClient, fake_chat: FakeChatModel) -> None:
    fake_chat.replies = [OPENING]
    web_signin(client)
    page = client.get("/rehearse")
    csrf = csrf_of(page.text)
    response = client.post("/rehearse", data={"scenario": "raise", "csrf": csrf})
    response = client.post(f"{response.url}/say", data={"text": "", "csrf": csrf})
    assert response.status_code == 422
    assert "Text:" in response.text
