"""Sign-up, password login, API tokens, password change and signing out everywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, EmailStr, Field

from townsquare.api.deps import CurrentAccount, CurrentToken
from townsquare.http import ClientAddress, IdPath, SessionDep, SettingsDep
from townsquare.presenters import AccountSummary, RequestModel, account_summary
from townsquare.social import accounts, sessions

router = APIRouter(prefix="/auth", tags=["auth"])


class SignupIn(RequestModel):
    handle: str = Field(max_length=64, examples=["ada"], description="3-32 of a-z, 0-9 and _.")
    password: str = Field(
        min_length=accounts.MIN_PASSWORD_LENGTH,
        max_length=accounts.MAX_PASSWORD_LENGTH,
        description="At least 8 characters, and not easy to guess (judged by zxcvbn).",
    )
    display_name: str | None = Field(None, max_length=80)
    email: EmailStr | None = None
    kind: Literal["person", "business"] = "person"


class LoginIn(RequestModel):
    handle: str = Field(max_length=64)
    password: str = Field(max_length=accounts.MAX_PASSWORD_LENGTH)
    token_name: str = Field("api", max_length=80, description="Shown in your token list.")


class TokenOut(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'. Shown only once.")
    account: AccountSummary


class TokenInfo(BaseModel):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime = Field(description="Moves forward each time the token is used.")


class PasswordIn(RequestModel):
    current_password: str = Field(max_length=accounts.MAX_PASSWORD_LENGTH)
    new_password: str = Field(
        min_length=accounts.MIN_PASSWORD_LENGTH, max_length=accounts.MAX_PASSWORD_LENGTH
    )


@router.post("/signup", status_code=status.HTTP_201_CREATED, response_model=TokenOut)
def signup(
    body: SignupIn, session: SessionDep, settings: SettingsDep, address: ClientAddress
) -> TokenOut:
    """Creates an account and returns its first API token. Sign-ups per client address are
    limited (`TOWNSQUARE_SIGNUPS_PER_ADDRESS`). An `email` waits for verification: a link is
    mailed to it (see `/auth/email`), and the answer is the same whether or not the address
    is registered."""
    account = accounts.sign_up(
        session,
        address=address,
        settings=settings,
        handle=body.handle,
        password=body.password,
        display_name=body.display_name,
        email=str(body.email) if body.email else None,
        kind=body.kind,
    )
    _, plaintext = sessions.issue_token(session, account, "signup", settings=settings)
    session.commit()
    return TokenOut(token=plaintext, account=account_summary(account))


@router.post("/token", status_code=status.HTTP_201_CREATED, response_model=TokenOut)
def login(
    body: LoginIn, session: SessionDep, settings: SettingsDep, address: ClientAddress
) -> TokenOut:
    """Exchanges a handle and password for a new API token. It expires
    `TOWNSQUARE_TOKEN_TTL_DAYS` after its last use; past `TOWNSQUARE_MAX_TOKENS_PER_ACCOUNT`
    tokens, the oldest is revoked. Failed sign-ins are limited per handle and per address."""
    account = accounts.sign_in(
        session, handle=body.handle, password=body.password, address=address, settings=settings
    )
    _, plaintext = sessions.issue_token(session, account, body.token_name, settings=settings)
    session.commit()
    return TokenOut(token=plaintext, account=account_summary(account))


@router.get("/tokens", response_model=list[TokenInfo])
def list_tokens(me: CurrentAccount, session: SessionDep) -> list[TokenInfo]:
    """Your active tokens (never their values)."""
    return [
        TokenInfo(
            id=t.id,
            name=t.name,
            created_at=t.created_at,
            last_used_at=t.last_used_at,
            expires_at=t.expires_at,
        )
        for t in sessions.list_tokens(session, me)
    ]


@router.delete("/tokens/{token_id:int}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: IdPath, me: CurrentAccount, session: SessionDep) -> None:
    """Revokes one of your tokens; requests that use it fail from now on."""
    sessions.revoke_token(session, me, token_id)
    session.commit()


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(
    body: PasswordIn,
    me: CurrentAccount,
    token: CurrentToken,
    session: SessionDep,
    settings: SettingsDep,
) -> None:
    """Changes your password and ends every other session and token: only the token of this
    request keeps working. Wrong current passwords count against the sign-in limit."""
    accounts.change_password(
        session,
        me,
        current_password=body.current_password,
        new_password=body.new_password,
        settings=settings,
        keep_token_id=token.id,
    )
    session.commit()


@router.post("/signout-everywhere", status_code=status.HTTP_204_NO_CONTENT)
def signout_everywhere(me: CurrentAccount, session: SessionDep) -> None:
    """Revokes every token of yours, this one included, and ends every browser session."""
    sessions.end_all(session, me)
    session.commit()
