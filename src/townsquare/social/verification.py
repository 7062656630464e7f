"""Email verification: an account's address is trusted only once its owner follows a link
sent to it.

A sign-up (or a change of address) stores the address as ``Account.pending_email`` and mails
it, whether or not another account has verified it, so the answer never tells: a fresh address
gets a link (an expiring, single-use token, only its SHA-256 stored); an address another
account has verified gets a notice to its owner that someone tried to sign up with it, and
never verifies for the new account. ``Account.email`` holds only a verified address and is
unique, so two accounts never share one. Mails to one address, and verification mails one
account asks for, are limited per hour (``TOWNSQUARE_VERIFICATION_MAILS_PER_HOUR``).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from townsquare.db import reading_first
from townsquare.db.models import Account, AuthAttempt, EmailToken
from townsquare.db.types import utcnow
from townsquare.db.unique import Duplicate, once
from townsquare.errors import Conflict, InvalidInput, NotFound, RateLimited
from townsquare.settings import Settings
from townsquare.social import mail, throttle

MAX_TOKEN_LENGTH = 128
_HOUR_S = 3600
_log = logging.getLogger(__name__)

INVALID_LINK = "this verification link is unknown, used or expired; ask for a new one"
TAKEN_MEANWHILE = "another account verified this email address first; use another address"


def normalise_email(email: str) -> str:
    """The address as stored: checked for shape (no lookup: nothing leaves the machine), lower
    case."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise InvalidInput(f"email: {error}") from None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request(session: Session, account: Account, email: str, *, settings: Settings) -> None:
    """Makes ``email`` the account's address waiting for verification and mails it: a link, or
    (when another account has verified the address) a notice to that account's owner."""
    email = normalise_email(email)
    account.pending_email = email
    holder = session.scalar(select(Account).where(Account.email == email))
    if holder is not None and holder.id == account.id:
        account.pending_email = None  # verified already
        return
    if holder is not None:
        _deliver(session, settings, _notice(settings, email))
        return
    token = secrets.token_urlsafe(32)
    session.add(
        EmailToken(
            account_id=account.id,
            email=email,
            token_hash=_hash(token),
            expires_at=utcnow() + timedelta(hours=settings.email_token_ttl_hours),
        )
    )
    session.flush()
    _deliver(session, settings, _link(settings, account, email, token))


def resend(session: Session, account: Account, *, settings: Settings) -> str:
    """Mails the account's waiting address again (a new link; earlier ones keep working until
    they expire); returns the address. Limited per account and hour: checked first in a
    transaction that only reads, so that a refused request begins no write, then again in the
    write that counts it."""
    if account.pending_email is None:
        raise InvalidInput("your account has no email address waiting for verification")
    key = f"verify-mail:{account.id}"
    with reading_first(session):
        _check_resend(session, key, settings)
    _check_resend(session, key, settings)
    session.add(AuthAttempt(key=key, at=utcnow()))
    email = account.pending_email
    request(session, account, email, settings=settings)
    return email


def _check_resend(session: Session, key: str, settings: Settings) -> None:
    throttle.check(
        session,
        key,
        limit=settings.verification_mails_per_hour,
        window_s=_HOUR_S,
        message="too many verification emails for your account",
    )


def verify(session: Session, token: str) -> Account:
    """Verifies the address a link was sent to; the link then stops working, and so do the
    account's other links. Unknown, used and expired links are answered alike."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotFound(INVALID_LINK)
    now = utcnow()
    row = session.scalar(
        select(EmailToken).where(EmailToken.token_hash == _hash(token)).with_for_update()
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise NotFound(INVALID_LINK)
    account = session.get(Account, row.account_id, with_for_update=True, populate_existing=True)
    if account is None or account.pending_email != row.email:
        raise NotFound(INVALID_LINK)  # the account has asked to verify another address since
    try:
        with once(session):  # two accounts verifying one address at once: the first wins
            account.email, account.pending_email = row.email, None
    except Duplicate:
        raise Conflict(TAKEN_MEANWHILE) from None
    session.execute(
        update(EmailToken)
        .where(EmailToken.account_id == account.id, EmailToken.used_at.is_(None))
        .values(used_at=now)
    )
    return account


def mark_verified(session: Session, account: Account, email: str) -> None:
    """Sets a verified address without a link: for the operator's own tools (the demo, the
    CLI), never for what a member sends."""
    email = normalise_email(email)
    if session.scalar(select(Account.id).where(Account.email == email)) not in (None, account.id):
        raise Conflict(TAKEN_MEANWHILE)
    account.email, account.pending_email = email, None
    session.flush()


def _deliver(session: Session, settings: Settings, message: mail.Mail) -> None:
    """Sends ``message`` unless its address has had its hourly share: then nothing is sent,
    and nothing in the answer says so (sign-up answers the same either way). A mail server that
    fails is logged for the operator and the request goes on: the member asks for a new link."""
    key = f"mail-to:{message.to}"[:120]
    try:
        throttle.check(
            session, key, limit=settings.verification_mails_per_hour, window_s=_HOUR_S, message=""
        )
    except RateLimited:
        return
    session.add(AuthAttempt(key=key, at=utcnow()))
    try:
        mail.send(settings, message)
    except OSError as error:  # the operator's mail server, not the member's request, failed
        _log.warning("could not send mail to %s: %s", message.to, error)


def _link(settings: Settings, account: Account, email: str, token: str) -> mail.Mail:
    hours = f"{settings.email_token_ttl_hours:g}"
    return mail.Mail(
        to=email,
        subject="Verify your email address for Townsquare",
        body=(
            f"Hello {account.display_name},\n\n"
            f"Someone (we hope you) signed up to Townsquare as @{account.handle} with this "
            "address. To verify it, open this link:\n\n"
            f"{settings.resolved_public_url}/verify-email?token={token}\n\n"
            f"The link works once, for {hours} hours. If it was not you, ignore this email: "
            "the address stays unverified.\n"
        ),
    )


def _notice(settings: Settings, email: str) -> mail.Mail:
    return mail.Mail(
        to=email,
        subject="Someone tried to sign up to Townsquare with your address",
        body=(
            "Hello,\n\n"
            "Someone just signed up to Townsquare giving this email address, which is already "
            "verified on your account. Nothing changed on your account, and the new account "
            "will never have this address.\n\n"
            "If it was you, sign in to your existing account instead: "
            f"{settings.resolved_public_url}/signin\n"
            "If you forgot your password, contact the operator of this server.\n"
        ),
    )
