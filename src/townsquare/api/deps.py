"""The API's own dependencies: the token a request carries and the account it signs in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from townsquare.db.models import Account, ApiToken
from townsquare.errors import AuthenticationFailed
from townsquare.http import get_session, get_settings
from townsquare.settings import Settings
from townsquare.social.sessions import token_for

_bearer = HTTPBearer(auto_error=False, description="An API token from POST /auth/token.")


def get_current_token(
    session: Annotated[Session, Depends(get_session)],
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiToken:
    if credentials is None:
        raise AuthenticationFailed("sign in: send 'Authorization: Bearer <token>'")
    token = token_for(session, credentials.credentials, settings=settings)
    if token is None:
        raise AuthenticationFailed(
            "the token is unknown, expired or revoked; get a new one from POST /auth/token"
        )
    session.commit()  # persists last_used_at and the new expiry, if they moved
    return token


def get_current_account(
    session: Annotated[Session, Depends(get_session)],
    token: Annotated[ApiToken, Depends(get_current_token)],
) -> Account:
    account = session.get(Account, token.account_id)
    if account is None:
        raise AuthenticationFailed("the token's account no longer exists")
    session.commit()  # ends the read before the hop to the handler's thread (get_session)
    return account


def get_optional_account(
    session: Annotated[Session, Depends(get_session)],
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Account | None:
    """The signed-in account, or None for an anonymous reader (a bad token is still refused)."""
    if credentials is None:
        return None
    return get_current_account(session, get_current_token(session, settings, credentials))


CurrentToken = Annotated[ApiToken, Depends(get_current_token)]
CurrentAccount = Annotated[Account, Depends(get_current_account)]
OptionalAccount = Annotated[Account | None, Depends(get_optional_account)]
