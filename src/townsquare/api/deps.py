"""The API's own dependencies: the account a bearer token signs in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from townsquare.db.models import Account
from townsquare.errors import AuthenticationFailed
from townsquare.http import get_session
from townsquare.social.accounts import account_for_token

_bearer = HTTPBearer(auto_error=False, description="An API token from POST /auth/token.")


def get_current_account(
    session: Annotated[Session, Depends(get_session)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Account:
    if credentials is None:
        raise AuthenticationFailed("sign in: send 'Authorization: Bearer <token>'")
    account = account_for_token(session, credentials.credentials)
    if account is None:
        raise AuthenticationFailed("the token is unknown or revoked")
    session.commit()  # persists last_used_at, if it moved
    return account


def get_optional_account(
    session: Annotated[Session, Depends(get_session)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Account | None:
    """The signed-in account, or None for an anonymous reader (a bad token is still refused)."""
    if credentials is None:
        return None
    return get_current_account(session, credentials)


CurrentAccount = Annotated[Account, Depends(get_current_account)]
OptionalAccount = Annotated[Account | None, Depends(get_optional_account)]
