"""The mail backends: .eml files in the outbox by default; SMTP over TLS (implicit or
STARTTLS, never plain) when TOWNSQUARE_SMTP_URL is set."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pydantic import SecretStr, ValidationError

from tests.utils.mailbox import body, outbox
from townsquare.settings import Settings
from townsquare.social import mail

MAIL = mail.Mail(to="ada@example.org", subject="Hello", body="A line.\n")


def test_the_default_backend_writes_eml_files_to_the_outbox(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, mail_from="Town <town@example.org>")
    mail.send(settings, MAIL)
    mail.send(settings, MAIL)
    files = sorted((tmp_path / "outbox").iterdir())
    assert len(files) == 2 and all(f.suffix == ".eml" for f in files)
    first = outbox(settings)[0]
    assert (first["From"], first["To"], first["Subject"]) == (
        "Town <town@example.org>",
        "ada@example.org",
        "Hello",
    )
    assert body(first) == "A line.\n"


class FakeSmtp:
    """Records what a backend asks of an SMTP connection."""

    instances: ClassVar[list[FakeSmtp]] = []
    offers_starttls = True

    def __init__(self, host: str, port: int, **kwargs: Any) -> None:
        self.calls: list[tuple[str, Any]] = [("connect", (host, port, sorted(kwargs)))]
        FakeSmtp.instances.append(self)

    def __enter__(self) -> FakeSmtp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.calls.append(("quit", None))

    def ehlo(self) -> None:
        self.calls.append(("ehlo", None))

    def has_extn(self, name: str) -> bool:
        return name == "starttls" and self.offers_starttls

    def starttls(self, *, context: ssl.SSLContext) -> None:
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        self.calls.append(("starttls", None))

    def login(self, user: str, password: str) -> None:
        self.calls.append(("login", (user, password)))

    def send_message(self, message: EmailMessage) -> None:
        self.calls.append(("send", message["To"]))


@pytest.fixture
def fake_smtp(monkeypatch: pytest.MonkeyPatch) -> type[FakeSmtp]:
    FakeSmtp.instances, FakeSmtp.offers_starttls = [], True
    monkeypatch.setattr(smtplib, "SMTP", FakeSmtp)
    monkeypatch.setattr(smtplib, "SMTP_SSL", FakeSmtp)
    return FakeSmtp


def test_smtp_upgrades_with_starttls_and_signs_in(
    tmp_path: Path, fake_smtp: type[FakeSmtp]
) -> None:
    url = SecretStr("smtp://mailer%40example.org:p%40ss@mail.example.org")
    mail.send(Settings(data_dir=tmp_path, smtp_url=url), MAIL)
    [client] = fake_smtp.instances
    assert [name for name, _ in client.calls] == [
        "connect", "ehlo", "starttls", "ehlo", "login", "send", "quit"
    ]  # fmt: skip
    assert client.calls[0][1][:2] == ("mail.example.org", 587)
    assert client.calls[4] == ("login", ("mailer@example.org", "p@ss"))
    assert not (tmp_path / "outbox").exists()


def test_smtps_connects_with_tls_from_the_start(tmp_path: Path, fake_smtp: type[FakeSmtp]) -> None:
    mail.send(Settings(data_dir=tmp_path, smtp_url=SecretStr("smtps://mail.example.org")), MAIL)
    [client] = fake_smtp.instances
    assert client.calls[0] == ("connect", ("mail.example.org", 465, ["context", "timeout"]))
    assert [name for name, _ in client.calls[1:]] == ["send", "quit"]


def test_a_server_without_starttls_gets_nothing(tmp_path: Path, fake_smtp: type[FakeSmtp]) -> None:
    fake_smtp.offers_starttls = False
    settings = Settings(data_dir=tmp_path, smtp_url=SecretStr("smtp://mail.example.org:25"))
    with pytest.raises(smtplib.SMTPNotSupportedError, match="does not offer STARTTLS"):
        mail.send(settings, MAIL)
    assert "send" not in [name for name, _ in fake_smtp.instances[0].calls]


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "mail.example.org"])
def test_a_url_that_is_not_smtp_is_refused(url: str) -> None:
    with pytest.raises(ValidationError, match="TOWNSQUARE_SMTP_URL must look like"):
        Settings(smtp_url=SecretStr(url))
