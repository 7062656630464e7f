"""Credentials of a signed-in account: API tokens and browser sessions.

Both are random secrets shown once; only their SHA-256 is stored. Both expire
``token_ttl_days`` / ``session_ttl_days`` after their last use (each use moves the expiry
forward), and an account holds at most ``max_tokens_per_account`` of each: a new one revokes the
oldest. A browser's cookie carries a session id, never an API token, so a stolen cookie is not a
bearer token for the API, and signing out of a browser ends that browser only.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from townsquare.db.models import Account, ApiToken, BrowserSession
from townsquare.db.types import utcnow
from townsquare.errors import NotFound
from townsquare.settings import Settings

TOKEN_PREFIX = "ts_"
_TOUCH_INTERVAL = timedelta(minutes=5)  # last use and expiry move at most this often


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _ttl(days: float) -> timedelta:
    return timedelta(days=days)


def _active_tokens(account_id: int, now: datetime) -> Select[ApiToken]:
    return select(ApiToken).where(
        ApiToken.account_id == account_id,
        ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > now,
    )


def issue_token(
    session: Session, account: Account, name: str = "api", *, settings: Settings
) -> tuple[ApiToken, str]:
    """Creates a token and returns it with its plaintext, which is shown once and never stored.
    When the account already holds the maximum, its oldest active tokens are revoked."""
    now = utcnow()
    active = list(session.scalars(_active_tokens(account.id, now).order_by(ApiToken.id)))
    for oldest in active[: max(0, len(active) - settings.max_tokens_per_account + 1)]:
        oldest.revoked_at = now
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        account_id=account.id,
        name=name,
        token_hash=_hash(plaintext),
        created_at=now,
        expires_at=now + _ttl(settings.token_ttl_days),
    )
    session.add(token)
    session.flush()
    return token, plaintext


def token_for(session: Session, plaintext: str) -> ApiToken | None:
    """The active, unexpired token with this plaintext (a read: ``renew`` moves its expiry)."""
    return session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == _hash(plaintext),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(),
        )
    )


def renewal_due(row: ApiToken | BrowserSession) -> bool:
    """Whether a use of this token or browser session should move its expiry forward (at most
    once every few minutes, so that most requests only read)."""
    last = row.last_used_at if isinstance(row, ApiToken) else row.last_seen_at
    return last is None or utcnow() - last > _TOUCH_INTERVAL


def renew(row: ApiToken | BrowserSession, *, settings: Settings) -> None:
    """Records a use now and moves the expiry to a full time-to-live from now."""
    now = utcnow()
    if isinstance(row, ApiToken):
        row.last_used_at = now
        row.expires_at = now + _ttl(settings.token_ttl_days)
    else:
        row.last_seen_at = now
        row.expires_at = now + _ttl(settings.session_ttl_days)


def list_tokens(session: Session, account: Account) -> list[ApiToken]:
    return list(session.scalars(_active_tokens(account.id, utcnow()).order_by(ApiToken.id)))


def revoke_token(session: Session, account: Account, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.account_id != account.id or token.revoked_at is not None:
        raise NotFound(f"no active token {token_id}")
    token.revoked_at = utcnow()


def open_browser_session(session: Session, account: Account, *, settings: Settings) -> str:
    """Starts a browser session and returns its secret id (for the cookie). When the account
    already holds the maximum, its oldest sessions are ended."""
    now = utcnow()
    active = list(
        session.scalars(
            select(BrowserSession)
            .where(
                BrowserSession.account_id == account.id,
                BrowserSession.revoked_at.is_(None),
                BrowserSession.expires_at > now,
            )
            .order_by(BrowserSession.id)
        )
    )
    for oldest in active[: max(0, len(active) - settings.max_tokens_per_account + 1)]:
        oldest.revoked_at = now
    secret = secrets.token_urlsafe(32)
    session.add(
        BrowserSession(
            account_id=account.id,
            secret_hash=_hash(secret),
            created_at=now,
            last_seen_at=now,
            expires_at=now + _ttl(settings.session_ttl_days),
        )
    )
    session.flush()
    return secret


def browser_session_for(session: Session, secret: str) -> BrowserSession | None:
    """The live browser session with this secret id (a read: ``renew`` moves its expiry)."""
    return session.scalar(
        select(BrowserSession).where(
            BrowserSession.secret_hash == _hash(secret),
            BrowserSession.revoked_at.is_(None),
            BrowserSession.expires_at > utcnow(),
        )
    )


def close_browser_session(session: Session, secret: str) -> None:
    """Ends the browser session with this secret id, if it is live (signing out of a browser)."""
    session.execute(
        update(BrowserSession)
        .where(BrowserSession.secret_hash == _hash(secret), BrowserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def end_all(
    session: Session,
    account: Account,
    *,
    keep_token_id: int | None = None,
    keep_session_id: int | None = None,
) -> None:
    """Revokes every token and ends every browser session of the account, but the ones kept
    (the credential of the request that asked, after a password change)."""
    now = utcnow()
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.account_id == account.id,
            ApiToken.revoked_at.is_(None),
            ApiToken.id != (keep_token_id or 0),
        )
        .values(revoked_at=now)
    )
    session.execute(
        update(BrowserSession)
        .where(
            BrowserSession.account_id == account.id,
            BrowserSession.revoked_at.is_(None),
            BrowserSession.id != (keep_session_id or 0),
        )
        .values(revoked_at=now)
    )
