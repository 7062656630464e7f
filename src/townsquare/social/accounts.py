"""Accounts, password login, API tokens and profiles."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, ApiToken
from townsquare.db.types import utcnow
from townsquare.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from townsquare.social.visibility import is_visible

HANDLE_RE = re.compile(r"^[a-z0-9_]{3,32}$")
ACCOUNT_KINDS = ("person", "business")
MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "ts_"

# scrypt cost parameters (RFC 7914): ~16 MiB and ~50 ms per hash on a laptop core.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate.hex(), digest)


def normalise_handle(handle: str) -> str:
    handle = handle.strip().lstrip("@").lower()
    if not HANDLE_RE.fullmatch(handle):
        raise InvalidInput(
            "handle must be 3-32 characters of lowercase letters, digits or underscores"
        )
    return handle


def create_account(
    session: Session,
    *,
    handle: str,
    password: str,
    display_name: str | None = None,
    email: str | None = None,
    kind: str = "person",
    bio: str = "",
) -> Account:
    handle = normalise_handle(handle)
    if kind not in ACCOUNT_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(ACCOUNT_KINDS)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(Account.id).where(Account.handle == handle)) is not None:
        raise Conflict(f"the handle @{handle} is taken")
    if email is not None:
        email = email.strip().lower()
        if session.scalar(select(Account.id).where(Account.email == email)) is not None:
            raise Conflict("an account with that email already exists")
    account = Account(
        handle=handle,
        kind=kind,
        display_name=(display_name or handle).strip(),
        email=email,
        password_hash=hash_password(password),
        bio=bio,
    )
    session.add(account)
    session.flush()
    return account


def get_account(session: Session, handle: str) -> Account:
    account = session.scalar(select(Account).where(Account.handle == handle.lstrip("@").lower()))
    if account is None:
        raise NotFound(f"no account @{handle.lstrip('@')}")
    return account


def visible_account(session: Session, handle: str, viewer: Account | None) -> Account:
    """The account as ``viewer`` (None: signed out) may see it: a private agent is missing to
    everyone but its owner (``visibility``)."""
    account = get_account(session, handle)
    if not is_visible(session, account.id, viewer):
        raise NotFound(f"no account @{handle.lstrip('@')}")
    return account


def authenticate(session: Session, handle: str, password: str) -> Account:
    account = session.scalar(select(Account).where(Account.handle == handle.lstrip("@").lower()))
    if account is None or not verify_password(password, account.password_hash):
        raise AuthenticationFailed("wrong handle or password")
    return account


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, account: Account, name: str = "api") -> tuple[ApiToken, str]:
    """Creates a token and returns it with its plaintext, which is shown once and never stored."""
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(account_id=account.id, name=name, token_hash=_token_hash(plaintext))
    session.add(token)
    session.flush()
    return token, plaintext


def account_for_token(session: Session, plaintext: str) -> Account | None:
    token = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == _token_hash(plaintext), ApiToken.revoked_at.is_(None)
        )
    )
    if token is None:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > _TOKEN_TOUCH_INTERVAL:
        token.last_used_at = now
    return session.get(Account, token.account_id)


def list_tokens(session: Session, account: Account) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.account_id == account.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id)
        )
    )


def revoke_token(session: Session, account: Account, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.account_id != account.id or token.revoked_at is not None:
        raise NotFound(f"no active token {token_id}")
    token.revoked_at = utcnow()


def revoke_plaintext(session: Session, plaintext: str) -> None:
    """Revokes the token with this plaintext, if it is active (signing out of a browser)."""
    token = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == _token_hash(plaintext), ApiToken.revoked_at.is_(None)
        )
    )
    if token is not None:
        token.revoked_at = utcnow()


PROFILE_FIELDS = ("display_name", "bio", "location", "website", "avatar_media_id")


def update_profile(session: Session, account: Account, **changes: object) -> Account:
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}")
    avatar = changes.get("avatar_media_id")
    if avatar is not None:
        from townsquare.social.media import get_media

        media = get_media(session, int(str(avatar)), account.id)
        if media.owner_id != account.id or not media.mime.startswith("image/"):
            raise InvalidInput("avatar_media_id must be an image you uploaded")
    for field, value in changes.items():
        setattr(account, field, value)
    session.flush()
    return account
