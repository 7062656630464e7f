"""Dependencies shared by the routers: settings, a database session, the signed-in account."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from townsquare.db import Database
from townsquare.db.models import Account
from townsquare.settings import Settings
from townsquare.social.accounts import account_for_token
from townsquare.social.errors import AuthenticationFailed
from townsquare.social.pagination import MAX_ID, MAX_LIMIT


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request. Routers commit before they answer, so a 2xx means durable."""
    database: Database = request.app.state.database
    with database.new_session() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise


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


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
CurrentAccount = Annotated[Account, Depends(get_current_account)]
OptionalAccount = Annotated[Account | None, Depends(get_optional_account)]
Cursor = Annotated[
    str | None, Query(description="The next_cursor of the previous page; omit for the first.")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="A row id.")]
