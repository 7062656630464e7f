from fastapi.testclient import TestClient

from tests.utils.factories import PASSWORD, signup


def test_signup_returns_a_working_token(client: TestClient) -> None:
    user = signup(client, "ada", display_name="Ada L.")
    me = client.get("/accounts/me", headers=user.headers)
    assert me.status_code == 200
    assert (me.json()["handle"], me.json()["display_name"]) == ("ada", "Ada L.")


def test_duplicate_handle_is_409_with_a_message(client: TestClient) -> None:
    signup(client, "ada")
    response = client.post("/auth/signup", json={"handle": "ADA", "password": PASSWORD})
    assert response.status_code == 409
    assert response.json() == {"detail": "the handle @ada is taken"}


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
    assert after.json() == {"detail": "the token is unknown or revoked"}


def test_missing_or_malformed_auth_is_401(client: TestClient) -> None:
    assert client.get("/accounts/me").json() == {
        "detail": "sign in: send 'Authorization: Bearer <token>'"
    }
    response = client.get("/accounts/me", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
