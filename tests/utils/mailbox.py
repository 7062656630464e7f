"""Reading what the embedded mail backend wrote to the outbox."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from townsquare.settings import Settings
from townsquare.social.mail import outbox_dir


def outbox(settings: Settings, to: str | None = None) -> list[EmailMessage]:
    """The messages written so far (to ``to`` only, if given), oldest first."""
    directory = outbox_dir(settings)
    files = sorted(directory.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    parser = BytesParser(policy=policy.default)
    messages = [parser.parsebytes(p.read_bytes()) for p in files] if directory.exists() else []
    found = [m for m in messages if isinstance(m, EmailMessage)]
    return [m for m in found if to is None or m["To"] == to]


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def link_token(message: EmailMessage) -> str:
    """The token of the verification link in ``message``."""
    found = re.search(r"/verify-email\?token=([A-Za-z0-9_-]+)", body(message))
    assert found is not None, body(message)
    return found.group(1)
