"""Sending email: the embedded default writes each message as an ``.eml`` file under the data
directory's ``outbox/`` (a laptop, a test, a demo: open the file to follow the link); with
``TOWNSQUARE_SMTP_URL`` set, messages go to that SMTP server, always over TLS.

``smtps://user:password@host:465`` connects with TLS from the first byte; ``smtp://...@host:587``
upgrades with STARTTLS and refuses a server that does not offer it. The server's certificate is
verified against the system's trust store. Nothing else in the package sends mail.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from townsquare.settings import Settings

SMTP_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def outbox_dir(settings: Settings) -> Path:
    """Where the embedded backend writes messages."""
    return settings.data_dir / "outbox"


def send(settings: Settings, mail: Mail) -> None:
    """Sends ``mail`` with the configured backend; an SMTP failure raises ``OSError``."""
    message = _message(settings, mail)
    if settings.smtp_url is None:
        _write_eml(outbox_dir(settings), message)
    else:
        _send_smtp(settings.smtp_url.get_secret_value(), message)


def _message(settings: Settings, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="townsquare.invalid")
    message.set_content(mail.body)
    return message


def _write_eml(directory: Path, message: EmailMessage) -> Path:
    """Writes the message atomically (a temporary file renamed), so a reader never sees half."""
    directory.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
    with os.fdopen(descriptor, "wb") as file:
        file.write(message.as_bytes())
    stamp = message["Message-ID"].strip("<>").split("@")[0]
    path = directory / f"{stamp}.eml"
    os.replace(temporary, path)
    return path


def _send_smtp(url: str, message: EmailMessage) -> None:
    parts = urlsplit(url)  # checked by Settings: smtp or smtps, with a host
    assert parts.hostname is not None
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(
            parts.hostname, parts.port or 465, timeout=SMTP_TIMEOUT_S, context=context
        )
    else:
        client = smtplib.SMTP(parts.hostname, parts.port or 587, timeout=SMTP_TIMEOUT_S)
    with client:
        if parts.scheme == "smtp":
            client.ehlo()
            if not client.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError(f"{parts.hostname} does not offer STARTTLS")
            client.starttls(context=context)
            client.ehlo()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
