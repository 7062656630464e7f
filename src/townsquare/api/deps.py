"""The API's own dependencies: the token a request carries and the account it signs in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from townsquare.db import begin_read, begin_write
from townsquare.db.models import Account, ApiToken
from townsquare.errors import AuthenticationFailed
from townsquare.http import get_session, get_settings
from townsquare.settings import Settings
from townsquare.social.sessions import renew, renewal_due, token_for

_bearer = HTTPBearer(auto_error=False, description="An API token from POST /auth/token.")


def _signed_in(
    session: Session, settings: Settings, credentials: HTTPAuthorizationCredentials
) -> tuple[ApiToken, Account]:
    """The token and its account, read in one short transaction that ends before this returns
    (``http.get_session``) and never takes SQLite's write lock; a use that moves the token's
    expiry writes after it, in a transaction of its own, once every few minutes."""
    begin_read(session)
    token = token_for(session, credentials.credentials)
    account = None if token is None else session.get(Account, token.account_id)
    session.commit()
    if token is None:
        raise AuthenticationFailed(
            "the token is unknown, expired or revoked; get a new one from POST /auth/token"
        )
    if account is None:
        raise AuthenticationFailed("the token's account no longer exists")
    if renewal_due(token):
        begin_write(session)
        renew(token, settings=settings)
        session.commit()
    return token, account


def get_signed_in(
    session: Annotated[Session, Depends(get_session)],
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> tuple[ApiToken, Account]:
    if credentials is None:
        raise AuthenticationFailed("sign in: send 'Authorization: Bearer <token>'")
    return _signed_in(session, settings, credentials)


def get_current_token(
    signed_in: Annotated[tuple[ApiToken, Account], Depends(get_signed_in)],
) -> ApiToken:
    return signed_in[0]


def get_current_account(
    signed_in: Annotated[tuple[ApiToken, Account], Depends(get_signed_in)],
) -> Account:
    return signed_in[1]


def get_optional_account(
    session: Annotated[Session, Depends(get_session)],
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Account | None:
    """The signed-in account, or None for an anonymous reader (a bad token is still refused)."""
    if credentials is None:
        return None
    return _signed_in(session, settings, credentials)[1]


CurrentToken = Annotated[ApiToken, Depends(get_current_token)]
CurrentAccount = Annotated[Account, Depends(get_current_account)]
OptionalAccount = Annotated[Account | None, Depends(get_optional_account)]
