"""Email verification through the API: a sign-up answers alike for a fresh and a registered
email, a link verifies once, resending is limited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import PASSWORD, signup, unique_handle
from tests.utils.mailbox import link_token, outbox
from townsquare.settings import Settings

pytestmark = pytest.mark.postgres


def _shape(response_json: dict[str, object]) -> dict[str, object]:
    """The sign-up answer less what differs between any two sign-ups (handle, id, token)."""
    account = dict(response_json["account"])  # type: ignore[call-overload]
    del account["id"], account["handle"], account["display_name"]
    return {"token": type(response_json["token"]), "account": account}


def test_a_sign_up_answers_alike_for_a_fresh_and_a_registered_email(
    client: TestClient, settings: Settings
) -> None:
    ada = signup(client, email="ada@example.org")
    verified = client.post("/auth/email/verify", json={"token": link_token(outbox(settings)[0])})
    assert verified.status_code == 200
    assert verified.json() == {"email": "ada@example.org", "pending_email": None}
    answers = [
        client.post(
            "/auth/signup", json={"handle": unique_handle(), "password": PASSWORD, "email": email}
        )
        for email in ("ADA@example.org", "fresh@example.org")
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert _shape(answers[0].json()) == _shape(answers[1].json())
    taken = {"Authorization": f"Bearer {answers[0].json()['token']}"}
    assert client.get("/auth/email", headers=taken).json() == {
        "email": None,
        "pending_email": "ada@example.org",
    }
    notice = outbox(settings, "ada@example.org")[-1]
    assert notice["Subject"] == "Someone tried to sign up to Townsquare with your address"
    assert client.get("/auth/email", headers=ada.headers).json()["email"] == "ada@example.org"


def test_a_link_verifies_once(client: TestClient, settings: Settings) -> None:
    user = signup(client, email="bo@example.org")
    token = link_token(outbox(settings)[0])
    assert client.post("/auth/email/verify", json={"token": token}).status_code == 200
    again = client.post("/auth/email/verify", json={"token": token})
    assert again.status_code == 404
    assert again.json() == {
        "detail": "this verification link is unknown, used or expired; ask for a new one"
    }
    assert client.get("/auth/email", headers=user.headers).json() == {
        "email": "bo@example.org",
        "pending_email": None,
    }
    nothing = client.post("/auth/email/resend", headers=user.headers)
    assert nothing.status_code == 422
    assert nothing.json() == {
        "detail": "your account has no email address waiting for verification"
    }


def test_resending_is_throttled(client: TestClient, settings: Settings) -> None:
    user = signup(client, email="cy@example.org")
    for _ in range(settings.verification_mails_per_hour):
        sent = client.post("/auth/email/resend", headers=user.headers)
        assert sent.status_code == 202
        assert sent.json() == {"email": None, "pending_email": "cy@example.org"}
    refused = client.post("/auth/email/resend", headers=user.headers)
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("too many verification emails for your account")
    assert int(refused.headers["Retry-After"]) > 3000
    assert client.post("/auth/email/resend").status_code == 401
