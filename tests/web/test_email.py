"""Email verification pages: the page a link opens verifies only on its button, once; a signed-in
member asks for a new link on the settings page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.factories import signup
from tests.utils.mailbox import link_token, outbox
from tests.web.conftest import csrf_of, signin_as
from townsquare.settings import Settings


def test_the_link_page_verifies_on_its_button_once(client: TestClient, settings: Settings) -> None:
    user = signup(client, email="ada@example.org")
    token = link_token(outbox(settings)[0])
    page = client.get(f"/verify-email?token={token}")
    assert page.status_code == 200 and "Verify my email" in page.text
    # Opening the link verifies nothing (mail scanners open links too).
    assert client.get("/auth/email", headers=user.headers).json()["email"] is None
    form = {"token": token, "csrf": csrf_of(page.text)}
    done = client.post("/verify-email", data=form)
    assert done.status_code == 200 and "ada@example.org is verified." in done.text
    assert client.get("/auth/email", headers=user.headers).json()["email"] == "ada@example.org"
    again = client.post("/verify-email", data=form)
    assert again.status_code == 404
    assert "This verification link is unknown, used or expired; ask for a new one." in again.text


def test_a_member_asks_for_a_new_link_on_the_settings_page(
    client: TestClient, settings: Settings
) -> None:
    user = signup(client, email="bo@example.org")
    csrf = signin_as(client, user.handle)
    page = client.get("/settings/profile")
    assert "bo@example.org is waiting for you to open the link we sent to it." in page.text
    sent = client.post("/settings/email/resend", data={"csrf": csrf})
    assert sent.status_code == 200 and "A new link is on its way to bo@example.org." in sent.text
    assert len(outbox(settings, "bo@example.org")) == 2
    for _ in range(settings.verification_mails_per_hour - 1):
        client.post("/settings/email/resend", data={"csrf": csrf})
    refused = client.post("/settings/email/resend", data={"csrf": csrf})
    assert refused.status_code == 429 and "Too many verification emails" in refused.text
    assert "Retry-After" in refused.headers
