from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.utils.factories import PASSWORD, signup
from tests.web.conftest import csrf_of, signin_as, web_signin
from townsquare.db import Database
from townsquare.db.models import ApiToken, BrowserSession


def test_signed_out_pages_redirect_to_sign_in(client: TestClient) -> None:
    response = client.get("/messages", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/messages"


def test_sign_up_signs_in_and_opens_the_feed(client: TestClient) -> None:
    page = client.get("/signup")
    assert page.status_code == 200
    response = client.post(
        "/signup",
        data={"handle": "newbie", "password": PASSWORD, "csrf": csrf_of(page.text)},
    )
    assert response.status_code == 200
    assert "Your feed" in response.text
    assert "@newbie" in response.text


def test_a_bad_sign_up_keeps_what_was_typed(client: TestClient) -> None:
    page = client.get("/signup")
    response = client.post(
        "/signup",
        data={
            "handle": "Bad Handle!",
            "display_name": "Ada Lovelace",
            "email": "ada@example.org",
            "password": PASSWORD,
            "csrf": csrf_of(page.text),
        },
    )
    assert response.status_code == 422
    assert "Handle must be 3-32 characters" in response.text
    assert 'value="Bad Handle!"' in response.text
    assert 'value="Ada Lovelace"' in response.text
    assert 'value="ada@example.org"' in response.text


def test_a_taken_handle_is_a_conflict(client: TestClient) -> None:
    signup(client, "taken_one")
    page = client.get("/signup")
    response = client.post(
        "/signup",
        data={"handle": "taken_one", "password": PASSWORD, "csrf": csrf_of(page.text)},
    )
    assert response.status_code == 409
    assert "That handle is taken; choose another, or sign in if it is yours." in response.text


def test_a_wrong_password_re_renders_with_the_handle(client: TestClient) -> None:
    user = signup(client)
    page = client.get("/signin")
    response = client.post(
        "/signin",
        data={"handle": user.handle, "password": "nope nope", "csrf": csrf_of(page.text)},
    )
    assert response.status_code == 401
    assert "do not match" in response.text
    assert f'value="{user.handle}"' in response.text


def test_a_form_without_the_csrf_token_is_refused(client: TestClient) -> None:
    user = signup(client)
    client.get("/signin")
    response = client.post("/signin", data={"handle": user.handle, "password": PASSWORD})
    assert response.status_code == 403
    assert "This form has expired" in response.text
    response = client.post(
        "/signin", data={"handle": user.handle, "password": PASSWORD, "csrf": "forged"}
    )
    assert response.status_code == 403


def test_a_forged_session_cookie_is_signed_out(client: TestClient) -> None:
    user = signup(client)
    client.cookies.set("ts_session", f"{user.token}.0000")
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303


def test_sign_out(client: TestClient) -> None:
    web_signin(client)
    page = client.get("/u/" + "nobody_here")
    assert page.status_code == 404
    assert "No account @nobody_here." in page.text
    response = client.post("/signout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_profile_and_follow(client: TestClient) -> None:
    other = signup(client)
    web_signin(client)
    page = client.get(f"/u/{other.handle}")
    assert page.status_code == 200
    assert ">Follow" in page.text
    response = client.post(
        f"/u/{other.handle}/follow", data={"csrf": csrf_of(page.text), "follow": "1"}
    )
    assert response.status_code == 200
    assert "1 followers" in response.text
    assert "Following" in response.text


def test_web_pages_stay_out_of_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/feed" in paths
    assert not any(p.startswith(("/signin", "/u/", "/p/", "/studio", "/messages")) for p in paths)


def test_edit_your_profile_and_keep_the_values_on_error(client: TestClient) -> None:
    handle = web_signin(client)
    page = client.get("/settings/profile")
    assert page.status_code == 200
    csrf = csrf_of(page.text)
    response = client.post(
        "/settings/profile",
        data={"display_name": "Ada", "bio": "Hi", "website": "not a url", "csrf": csrf},
    )
    assert response.status_code == 422
    assert "Please fix: website" in response.text
    assert 'value="not a url"' in response.text and 'value="Ada"' in response.text
    response = client.post(
        "/settings/profile",
        data={"display_name": "Ada", "bio": "Hi", "time_zone": "Mars/Base", "csrf": csrf},
    )
    assert response.status_code == 422
    assert "Please fix: time_zone is not a known time zone" in response.text
    assert 'value="Mars/Base"' in response.text
    assert '<option value="Europe/Berlin">' in response.text  # the zones to choose from
    response = client.post(
        "/settings/profile",
        data={"display_name": "Ada", "bio": "Hi there", "website": "", "csrf": csrf},
    )
    assert response.status_code == 200
    assert f"/u/{handle}" in str(response.url) and "Hi there" in response.text
    data = {"display_name": "Ada", "time_zone": "Europe/Lisbon", "csrf": csrf}
    assert client.post("/settings/profile", data=data).status_code == 200
    assert 'value="Europe/Lisbon"' in client.get("/settings/profile").text


def test_signing_out_revokes_the_session(client: TestClient) -> None:
    web_signin(client)
    cookie = client.cookies.get("ts_session")
    page = client.get("/")
    client.post("/signout", data={"csrf": csrf_of(page.text)})
    assert cookie is not None
    client.cookies.set("ts_session", cookie)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_odd_tokens_are_refused_not_crashed_on(client: TestClient) -> None:
    user = signup(client)
    page = client.get("/signin")
    response = client.post(
        "/signin", data={"handle": user.handle, "password": PASSWORD, "csrf": "ünïcode"}
    )
    assert response.status_code == 403
    client.cookies.set("ts_session", "no-dot-here")
    assert client.get("/", follow_redirects=False).status_code == 303
    assert page.status_code == 200


def test_the_session_cookie_carries_a_session_id_not_an_api_token(
    client: TestClient, database: Database
) -> None:
    web_signin(client)
    session_id = str(client.cookies.get("ts_session")).rpartition(".")[0]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(ApiToken)) == 1  # the sign-up's
        assert session.scalar(select(func.count()).select_from(BrowserSession)) == 1
    as_bearer = client.get("/accounts/me", headers={"Authorization": f"Bearer {session_id}"})
    assert as_bearer.status_code == 401


def test_wrong_passwords_lock_the_web_sign_in_too(client: TestClient) -> None:
    user = signup(client)
    page = client.get("/signin")
    for _ in range(10):
        data = {"handle": user.handle, "password": "nope nope", "csrf": csrf_of(page.text)}
        assert client.post("/signin", data=data).status_code == 401
    data = {"handle": user.handle, "password": PASSWORD, "csrf": csrf_of(page.text)}
    response = client.post("/signin", data=data)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "Too many failed sign-ins for this handle; retry in" in response.text


def test_a_password_change_from_the_profile_page_ends_other_sessions(
    client: TestClient, database: Database
) -> None:
    handle = web_signin(client)
    laptop = TestClient(client.app)  # a second browser (the app is already started)
    signin_as(laptop, handle)
    page = client.get("/settings/profile")
    data = {"current_password": "not it", "new_password": "a fresh long phrase"}
    response = client.post("/settings/password", data={**data, "csrf": csrf_of(page.text)})
    assert response.status_code == 401
    assert "The current password is wrong." in response.text
    data = {"current_password": PASSWORD, "new_password": "a fresh long phrase"}
    response = client.post("/settings/password", data={**data, "csrf": csrf_of(page.text)})
    assert response.status_code == 200
    assert "Password changed." in response.text
    assert client.get("/", follow_redirects=False).status_code == 200
    assert laptop.get("/", follow_redirects=False).status_code == 303
    with database.session() as session:
        live = select(func.count()).select_from(ApiToken).where(ApiToken.revoked_at.is_(None))
        assert session.scalar(live) == 0


def test_sign_out_everywhere_from_the_profile_page(client: TestClient) -> None:
    handle = web_signin(client)
    laptop = TestClient(client.app)  # a second browser (the app is already started)
    signin_as(laptop, handle)
    page = client.get("/settings/profile")
    response = client.post(
        "/settings/signout-everywhere",
        data={"csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert (response.status_code, response.headers["location"]) == (303, "/signin")
    assert client.get("/", follow_redirects=False).status_code == 303
    assert laptop.get("/", follow_redirects=False).status_code == 303
