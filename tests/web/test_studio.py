from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.factories import png_bytes
from tests.web.conftest import csrf_of, web_signin

EVERY_FIELD = {
    "handle": "pip_the_gardener",
    "kind": "character",
    "name": "Pip",
    "tagline": "A gardener who loves tomatoes",
    "personality": "Cheerful and patient.",
    "traits": "cheerful\npatient",
    "interests": "tomatoes\ncompost",
    "tone": "warm",
    "scenario": "An allotment in spring.",
    "greeting": "Hello, I'm Pip!",
    "alternate_greetings": "Hi there!\nGood morning!",
    "openers": "What should I plant?\nHow do I compost?",
    "example_dialogues": "user: hi\nagent: hello!\n\nuser: tomatoes?\nagent: full sun.",
    "instructions": "Keep answers short.",
    "avoid_topics": "politics | I only talk about gardens.",
    "visibility": "public",
    "reply_mode": "drafts",
    "reply_sentences": "2",
}


def _create(client: TestClient, **overrides: str) -> tuple[int, str]:
    page = client.get("/studio/new")
    assert page.status_code == 200
    response = client.post(
        "/studio/new", data={**EVERY_FIELD, **overrides, "csrf": csrf_of(page.text)}
    )
    return response.status_code, response.text


def test_create_an_agent_with_every_field_and_edit_it(client: TestClient) -> None:
    web_signin(client)
    status, html = _create(client)
    assert status == 200, html
    assert "Saved." in html
    for value in ("Cheerful and patient.", "tomatoes\ncompost", "politics | I only talk"):
        assert value in html
    assert "user: tomatoes?\nagent: full sun." in html
    assert "Hello, I&#39;m Pip!" in html  # the greeting opens the side chat
    response = client.post(
        "/studio/pip_the_gardener",
        data={**EVERY_FIELD, "tone": "playful", "csrf": csrf_of(html)},
    )
    assert response.status_code == 200
    assert 'value="playful"' in response.text
    assert client.get("/studio").text.count("pip_the_gardener") >= 1


def test_an_owner_sets_the_reply_length_on_the_form(client: TestClient) -> None:
    web_signin(client)
    status, html = _create(client)
    assert status == 200 and '<option value="2" selected>at most 2 sentences</option>' in html
    status, html = _create(client, handle="pip3", reply_sentences="12")
    assert status == 422
    assert "Please fix: reply sentences: Input should be less than or equal to 8." in html


def test_a_bad_agent_keeps_every_typed_value(client: TestClient) -> None:
    web_signin(client)
    status, html = _create(client, openers="a\nb\nc\nd", handle="pip2")
    assert status == 422
    assert "Please fix: openers" in html
    assert "Cheerful and patient." in html
    assert 'value="pip2"' in html


def test_preview_the_greeting(client: TestClient) -> None:
    web_signin(client)
    page = client.get("/studio/new")
    response = client.post(
        "/studio/preview",
        data={**EVERY_FIELD, "csrf": csrf_of(page.text)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Hello, I&#39;m Pip!" in response.text
    assert "What should I plant?" in response.text


def test_upload_knowledge_and_export_and_import_a_card(client: TestClient) -> None:
    web_signin(client)
    _, html = _create(client)
    csrf = csrf_of(html)
    response = client.post(
        "/studio/pip_the_gardener/knowledge",
        data={"csrf": csrf},
        files={"file": ("care.txt", b"Water tomatoes every morning.", "text/plain")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200, response.text
    assert "care.txt" in response.text
    card = client.get("/studio/pip_the_gardener/card?format=json_v2")
    assert card.status_code == 200
    response = client.post(
        "/studio/import",
        data={"csrf": csrf, "handle": "pip_copy", "kind": "character"},
        files={"file": ("pip.json", card.content, "application/json")},
    )
    assert response.status_code == 200
    assert "@pip_copy" in response.text
    assert client.get("/studio/pip_the_gardener/card?format=nope").status_code == 422


def test_a_broken_card_is_explained(client: TestClient) -> None:
    web_signin(client)
    page = client.get("/studio")
    response = client.post(
        "/studio/import",
        data={"csrf": csrf_of(page.text), "handle": "broken"},
        files={"file": ("x.json", b"[1, 2]", "application/json")},
    )
    assert response.status_code == 422
    assert "The card could not be imported." in response.text
    assert 'value="broken"' in response.text


def test_someone_elses_agent_is_forbidden(client: TestClient) -> None:
    web_signin(client)
    _create(client)
    client.cookies.clear()
    web_signin(client)
    assert client.get("/studio/pip_the_gardener").status_code == 403


def test_set_a_picture_and_a_lorebook(client: TestClient) -> None:
    web_signin(client)
    _, html = _create(client)
    csrf = csrf_of(html)
    response = client.post(
        "/studio/pip_the_gardener/avatar",
        data={"csrf": csrf},
        files={"file": ("pip.png", png_bytes(), "image/png")},
    )
    assert response.status_code == 200 and "Saved." in response.text
    response = client.post(
        "/studio/pip_the_gardener/lorebook", data={"book": '{"entries": [', "csrf": csrf}
    )
    assert response.status_code == 422
    assert "The lorebook is not valid JSON" in response.text
    assert "{&#34;entries&#34;: [" in response.text
    book = '{"entries": [{"keys": ["tomato"], "content": "Pip grows six kinds."}]}'
    response = client.post("/studio/pip_the_gardener/lorebook", data={"book": book, "csrf": csrf})
    assert response.status_code == 200, response.text
    assert "Pip grows six kinds." in response.text
    response = client.post(
        "/studio/pip_the_gardener/lorebook", data={"book": '{"entries": 3}', "csrf": csrf}
    )
    assert response.status_code == 422 and "entries" in response.text


def test_uploads_over_the_burst_limit_are_told_when_to_try_again(client: TestClient) -> None:
    """The default limit: 5 files a minute; the sixth is refused with 429 and Retry-After."""
    web_signin(client)
    _, html = _create(client)
    answers = [
        client.post(
            "/studio/pip_the_gardener/knowledge",
            data={"csrf": csrf_of(html)},
            files={"file": (f"care{n}.txt", f"Water bed {n} daily.".encode(), "text/plain")},
            headers={"HX-Request": "true"},
        )
        for n in range(6)
    ]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    wait = int(answers[-1].headers["Retry-After"])
    assert 1 <= wait <= 60
    assert f"You have reached your limit of 5 uploads a minute; try again in {wait} s" in (
        answers[-1].text
    )
