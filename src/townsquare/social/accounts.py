"""Accounts, passwords, sign-up and sign-in, and profiles.

Sign-in and sign-up are throttled in the database (``social/throttle.py``), so the limits hold
across server processes; an unknown handle costs the same scrypt work as a known one; a password
must be long enough and hard to guess by the zxcvbn estimator. A sign-up's email waits for
verification (``social/verification.py``) and answers the same whether or not it is registered.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from townsquare import timezones
from townsquare.db import reading_first
from townsquare.db.models import Account
from townsquare.db.unique import Duplicate, once
from townsquare.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from townsquare.settings import Settings
from townsquare.settings_limits import DEFAULT_PASSWORD_HASH_COST
from townsquare.social import sessions, throttle, verification
from townsquare.social.visibility import is_visible

HANDLE_RE = re.compile(r"^[a-z0-9_]{3,32}$")
ACCOUNT_KINDS = ("person", "business")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
MIN_PASSWORD_SCORE = 2  # zxcvbn's 0-4: 2 is "somewhat guessable", safe from online guessing
_ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; the first 72 characters decide
SIGNUP_CONFLICT = "that handle is taken; choose another, or sign in if it is yours"

# scrypt's block size and parallelism (RFC 7914); its N is 2**cost, the password_hash_cost
# setting (default 14: ~16 MiB and ~50 ms per hash on a laptop core). Each hash names its own
# N, r and p, so a hash made at another cost still verifies.
_SCRYPT_R, _SCRYPT_P = 8, 1


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # hashlib's default memory ceiling (32 MiB) is below what N = 2**15 and more need.
    maxmem = 2 * 128 * r * (n + p)
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=32)


def hash_password(password: str, *, cost: int = DEFAULT_PASSWORD_HASH_COST) -> str:
    """``password`` hashed with scrypt at N = 2**``cost``, as "scrypt$N$r$p$salt$digest"."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, 2**cost, _SCRYPT_R, _SCRYPT_P)
    return f"scrypt${2**cost}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    return hmac.compare_digest(candidate.hex(), digest)


# What an unknown handle is verified against, so that it costs the same scrypt work (and time)
# as a known one: the configured cost, a real salt, and a digest no password produces.
_DUMMY_SALT = secrets.token_hex(16)


def _dummy_hash(cost: int) -> str:
    return f"scrypt${2**cost}${_SCRYPT_R}${_SCRYPT_P}${_DUMMY_SALT}${'0' * 64}"


def check_password_strength(password: str, *, user_inputs: list[str]) -> None:
    """Refuses a password shorter than the minimum or one zxcvbn scores as easy to guess
    (``user_inputs``, the handle, name and email, count as guessable words)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"password must be at most {MAX_PASSWORD_LENGTH} characters")
    verdict = zxcvbn(password[:_ZXCVBN_MAX_LENGTH], user_inputs=user_inputs)
    if verdict["score"] < MIN_PASSWORD_SCORE:
        feedback = verdict["feedback"]
        advice = " ".join([feedback["warning"], *feedback["suggestions"]]).strip()
        raise InvalidInput(
            "password is too easy to guess: " + (advice or "add another word or two")
        )


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
    hash_cost: int = DEFAULT_PASSWORD_HASH_COST,
) -> Account:
    """A new account; ``email`` is kept as its address waiting for verification (unverified, it
    is never trusted, and it may be another account's: nothing here tells). Its password is
    hashed at ``hash_cost`` (the password_hash_cost setting)."""
    handle = normalise_handle(handle)
    if kind not in ACCOUNT_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(ACCOUNT_KINDS)}")
    email = verification.normalise_email(email) if email is not None else None
    check_password_strength(
        password, user_inputs=[handle, display_name or "", *(email or "").split("@")]
    )
    if session.scalar(select(Account.id).where(Account.handle == handle)) is not None:
        raise Conflict(SIGNUP_CONFLICT)
    account = Account(
        handle=handle,
        kind=kind,
        display_name=(display_name or handle).strip(),
        pending_email=email,
        password_hash=hash_password(password, cost=hash_cost),
        bio=bio,
    )
    try:
        with once(session):  # the same handle twice at once: the second is taken
            session.add(account)
    except Duplicate:
        raise Conflict(SIGNUP_CONFLICT) from None
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


def authenticate(
    session: Session, handle: str, password: str, *, hash_cost: int = DEFAULT_PASSWORD_HASH_COST
) -> Account:
    """The account these credentials sign in, unthrottled (the CLI, on the operator's own
    machine); network shells call ``sign_in``. Unknown handles cost the same work as known
    ones hashed at ``hash_cost``."""
    account = session.scalar(select(Account).where(Account.handle == handle.lstrip("@").lower()))
    stored = account.password_hash if account is not None else _dummy_hash(hash_cost)
    if not verify_password(password, stored) or account is None:
        raise AuthenticationFailed("wrong handle or password")
    return account


def _handle_key(handle: str) -> str:
    return "signin-handle:" + handle.strip().lstrip("@").lower()[:64]


def sign_in(
    session: Session, *, handle: str, password: str, address: str, settings: Settings
) -> Account:
    """``authenticate`` under the sign-in limits: a handle, or a client address, that has had too
    many failures inside the window is refused with ``RateLimited`` before any password check
    (the right password included), whether or not the handle exists.

    The limits and the password are checked in a transaction that only reads
    (``db.reading_first``): a refused or wrong guess never takes SQLite's write lock, not even
    while its password is hashed; a failure is then counted in a write of its own. A success
    checks the limits again in the write transaction the caller goes on to sign in with, so
    that guesses sent at once, which may each pass the first check, still let no sign-in
    succeed once the failures reach the limit."""
    keys = (_handle_key(handle), "signin-address:" + address)
    window = settings.auth_window_s
    try:
        with reading_first(session):
            _check_sign_in(session, keys, settings)
            account = authenticate(session, handle, password, hash_cost=settings.password_hash_cost)
    except AuthenticationFailed:
        throttle.record(session, *keys, window_s=window)
        raise
    _check_sign_in(session, keys, settings)
    return account


def _check_sign_in(session: Session, keys: tuple[str, str], settings: Settings) -> None:
    for key, limit, message in (
        (keys[0], settings.signin_failures_per_handle, "too many failed sign-ins for this handle"),
        (
            keys[1],
            settings.signin_failures_per_address,
            "too many failed sign-ins from your address",
        ),
    ):
        throttle.check(session, key, limit=limit, window_s=settings.auth_window_s, message=message)


def sign_up(
    session: Session,
    *,
    address: str,
    settings: Settings,
    handle: str,
    password: str,
    display_name: str | None = None,
    email: str | None = None,
    kind: str = "person",
) -> Account:
    """``create_account`` under the sign-up limit per client address (every attempt counts),
    then the email's verification mail (a link, or a notice to whoever verified it already):
    the answer is the same for a fresh email and a registered one."""
    key = "signup-address:" + address
    throttle.check(
        session,
        key,
        limit=settings.signups_per_address,
        window_s=settings.auth_window_s,
        message="too many sign-ups from your address",
    )
    throttle.record(session, key, window_s=settings.auth_window_s)
    account = create_account(
        session,
        handle=handle,
        password=password,
        display_name=display_name,
        email=email,
        kind=kind,
        hash_cost=settings.password_hash_cost,
    )
    if account.pending_email is not None:
        verification.request(session, account, account.pending_email, settings=settings)
    return account


def change_password(
    session: Session,
    account: Account,
    *,
    current_password: str,
    new_password: str,
    settings: Settings,
    keep_token_id: int | None = None,
    keep_session_id: int | None = None,
) -> None:
    """Sets a new password after checking the current one (wrong guesses count against the
    handle's sign-in limit), then ends every other session and token of the account: all but
    the credential named by ``keep_token_id`` / ``keep_session_id``. As ``sign_in``: the limit
    and both passwords' hashing in a transaction that only reads, the limit again in the write."""
    key = _handle_key(account.handle)
    try:
        with reading_first(session):
            _check_password_guesses(session, key, settings)
            if not verify_password(current_password, account.password_hash):
                raise AuthenticationFailed("the current password is wrong")
            check_password_strength(
                new_password,
                user_inputs=[account.handle, account.display_name, account.email or ""],
            )
            hashed = hash_password(new_password, cost=settings.password_hash_cost)
    except AuthenticationFailed:
        throttle.record(session, key, window_s=settings.auth_window_s)
        raise
    _check_password_guesses(session, key, settings)
    account.password_hash = hashed
    sessions.end_all(session, account, keep_token_id=keep_token_id, keep_session_id=keep_session_id)
    session.flush()


def _check_password_guesses(session: Session, key: str, settings: Settings) -> None:
    throttle.check(
        session,
        key,
        limit=settings.signin_failures_per_handle,
        window_s=settings.auth_window_s,
        message="too many wrong passwords for this handle",
    )


PROFILE_FIELDS = ("display_name", "bio", "location", "website", "avatar_media_id", "time_zone")


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
    if "time_zone" in changes:
        timezones.zone(str(changes["time_zone"]))
    for field, value in changes.items():
        setattr(account, field, value)
    session.flush()
    return account
