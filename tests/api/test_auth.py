from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from time_machine import TimeMachineFixture

from tests.utils.factories import PASSWORD, signup
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database
from townsquare.db.models import Account, ApiToken
from townsquare.db.types import utcnow
from townsquare.settings import Settings
from townsquare.social import accounts


def test_signup_returns_a_working_token(client: TestClient) -> None:
    user = signup(client, "ada", display_name="Ada L.")
    me = client.get("/accounts/me", headers=user.headers)
    assert me.status_code == 200
    assert (me.json()["handle"], me.json()["display_name"]) == ("ada", "Ada L.")


CONFLICT = {"detail": "that handle is taken; choose another, or sign in if it is yours"}


def test_duplicate_handle_is_409_with_a_message(client: TestClient) -> None:
    signup(client, "ada")
    response = client.post("/auth/signup", json={"handle": "ADA", "password": PASSWORD})
    assert response.status_code == 409
    assert response.json() == CONFLICT


@pytest.mark.parametrize("password", ["password", "12345678"])
def test_an_easy_password_is_refused_with_advice(client: TestClient, password: str) -> None:
    response = client.post("/auth/signup", json={"handle": "ada", "password": password})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "password is too easy to guess: This is a top-10 common password. "
        "Add another word or two. Uncommon words are better."
    }


def test_wrong_passwords_lock_the_handle_with_429(
    client: TestClient, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(utcnow(), tick=False)  # the Retry-After, whatever the machine's load
    signup(client, "ada")
    for _ in range(10):
        bad = client.post("/auth/token", json={"handle": "ada", "password": "nope nope"})
        assert bad.status_code == 401
    time_machine.shift(timedelta(seconds=100))
    right = client.post("/auth/token", json={"handle": "ada", "password": PASSWORD})
    assert right.status_code == 429
    assert right.headers["retry-after"] == "800"
    assert right.json() == {"detail": "too many failed sign-ins for this handle; retry in 800 s"}


def test_guesses_are_hashed_and_refused_without_the_write_lock(
    begun: list[bool], client: TestClient
) -> None:
    """On SQLite a password guess holds no write lock while it is hashed, and a locked handle's
    takes none at all (issue 16: a guessing client queued every member's writes behind it)."""
    signup(client, "ada")
    wrong = {"handle": "ada", "password": "nope nope"}
    begun.clear()
    assert client.post("/auth/token", json=wrong).status_code == 401
    assert begun == [False, True]  # the checks and the hashing, then the failure counted
    for _ in range(9):
        assert client.post("/auth/token", json=wrong).status_code == 401
    begun.clear()
    right = client.post("/auth/token", json={"handle": "ada", "password": PASSWORD})
    assert right.status_code == 429
    assert begun == [False]


def test_a_right_password_checks_the_limit_again_in_the_write(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guesses sent at once may each pass the first check; the failures they leave are seen by
    the second, so the right password is refused once the handle is locked meanwhile."""
    signup(client, "ada")
    real = accounts.authenticate

    def while_others_fail(*args: Any, **kwargs: Any) -> Account:
        account = real(*args, **kwargs)
        for _ in range(10):  # the failures of guesses that ran at the same time
            client.post("/auth/token", json={"handle": "ada", "password": "nope nope"})
        return account

    monkeypatch.setattr(accounts, "authenticate", while_others_fail)
    right = client.post("/auth/token", json={"handle": "ada", "password": PASSWORD})
    assert right.status_code == 429
    assert right.json()["detail"].startswith("too many failed sign-ins for this handle; retry in ")


def test_the_lock_holds_across_server_instances_on_one_database(
    client: TestClient, settings: Settings, database: Database, models: Models
) -> None:
    """A second app with its own engine (as a second server process has) counts the failures
    the first one saw: the counter lives in the database."""
    signup(client, "ada")
    second_database = Database(database.url.render_as_string(hide_password=False))
    second = TestClient(create_app(settings, second_database, models))
    try:
        wrong = {"handle": "ada", "password": "nope nope"}
        for instance in [client, second] * 5:
            assert instance.post("/auth/token", json=wrong).status_code == 401
        right = {"handle": "ada", "password": PASSWORD}
        assert client.post("/auth/token", json=right).status_code == 429
        assert second.post("/auth/token", json=right).status_code == 429
    finally:
        second_database.dispose()


def test_sign_ups_from_one_address_are_limited(
    settings: Settings, database: Database, models: Models
) -> None:
    # The shared test settings lift this limit; this app has the default back.
    default = Settings.model_fields["signups_per_address"].default
    assert default == 10
    limited = settings.model_copy(update={"signups_per_address": default})
    with TestClient(create_app(limited, database, models)) as client:
        for _ in range(default):
            signup(client)
        response = client.post("/auth/signup", json={"handle": "eleventh", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["detail"].startswith("too many sign-ups from your address; retry in")


def test_signup_validation_names_the_field(client: TestClient) -> None:
    response = client.post("/auth/signup", json={"handle": "ada", "password": "short"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.password"
    response = client.post("/auth/signup", json={"handle": "a b", "password": PASSWORD})
    assert response.status_code == 422
    assert "handle must be 3-32 characters" in response.json()["detail"]


def test_login_and_token_lifecycle(client: TestClient) -> None:
    signup(client, "ada")
    bad = client.post("/auth/token", json={"handle": "ada", "password": "nope nope"})
    assert bad.status_code == 401
    assert bad.json() == {"detail": "wrong handle or password"}
    login = client.post(
        "/auth/token", json={"handle": "ada", "password": PASSWORD, "token_name": "cli"}
    )
    assert login.status_code == 201
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    tokens = client.get("/auth/tokens", headers=headers).json()
    assert sorted(t["name"] for t in tokens) == ["cli", "signup"]
    cli_id = next(t["id"] for t in tokens if t["name"] == "cli")
    assert client.delete(f"/auth/tokens/{cli_id}", headers=headers).status_code == 204
    after = client.get("/accounts/me", headers=headers)
    assert after.status_code == 401
    assert after.json() == {
        "detail": "the token is unknown, expired or revoked; get a new one from POST /auth/token"
    }
    assert tokens[0]["expires_at"] > tokens[0]["created_at"]


def test_an_expired_token_is_refused(client: TestClient, database: Database) -> None:
    user = signup(client)
    with database.session() as session:
        session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = client.get("/accounts/me", headers=user.headers)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def _login(client: TestClient, handle: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/auth/token", json={"handle": handle, "password": password})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_a_password_change_ends_every_other_token(client: TestClient) -> None:
    user = signup(client)
    other = _login(client, user.handle)
    body = {"current_password": PASSWORD, "new_password": "a different long phrase"}
    response = client.post("/auth/password", json=body, headers=user.headers)
    assert response.status_code == 204
    assert client.get("/accounts/me", headers=user.headers).status_code == 200
    assert client.get("/accounts/me", headers=other).status_code == 401
    _login(client, user.handle, "a different long phrase")
    old = client.post("/auth/token", json={"handle": user.handle, "password": PASSWORD})
    assert old.status_code == 401


def test_a_password_change_checks_both_passwords(client: TestClient) -> None:
    user = signup(client)
    wrong = {"current_password": "not my password", "new_password": "a different long phrase"}
    response = client.post("/auth/password", json=wrong, headers=user.headers)
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "the current password is wrong"},
    )
    weak = {"current_password": PASSWORD, "new_password": "password"}
    response = client.post("/auth/password", json=weak, headers=user.headers)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("password is too easy to guess")


def test_sign_out_everywhere_revokes_every_token(client: TestClient) -> None:
    user = signup(client)
    other = _login(client, user.handle)
    response = client.post("/auth/signout-everywhere", headers=user.headers)
    assert response.status_code == 204
    assert client.get("/accounts/me", headers=user.headers).status_code == 401
    assert client.get("/accounts/me", headers=other).status_code == 401


def test_every_endpoint_is_described(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    bare = [
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method, operation in operations.items()
        if not operation.get("description")
    ]
    assert bare == []


def test_missing_or_malformed_auth_is_401(client: TestClient) -> None:
    assert client.get("/accounts/me").json() == {
        "detail": "sign in: send 'Authorization: Bearer <token>'"
    }
    response = client.get("/accounts/me", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
