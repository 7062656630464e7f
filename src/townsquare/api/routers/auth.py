"""Sign-up, password login and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, EmailStr, Field

from townsquare.api.deps import CurrentAccount
from townsquare.http import IdPath, SessionDep
from townsquare.presenters import AccountSummary, RequestModel, account_summary
from townsquare.social import accounts

router = APIRouter(prefix="/auth", tags=["auth"])


class SignupIn(RequestModel):
    handle: str = Field(max_length=64, examples=["ada"], description="3-32 of a-z, 0-9 and _.")
    password: str = Field(min_length=accounts.MIN_PASSWORD_LENGTH, max_length=256)
    display_name: str | None = Field(None, max_length=80)
    email: EmailStr | None = None
    kind: Literal["person", "business"] = "person"


class LoginIn(RequestModel):
    handle: str = Field(max_length=64)
    password: str = Field(max_length=256)
    token_name: str = Field("api", max_length=80, description="Shown in your token list.")


class TokenOut(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'. Shown only once.")
    account: AccountSummary


class TokenInfo(BaseModel):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


@router.post("/signup", status_code=status.HTTP_201_CREATED, response_model=TokenOut)
def signup(body: SignupIn, session: SessionDep) -> TokenOut:
    """Creates an account and returns its first API token."""
    account = accounts.create_account(
        session,
        handle=body.handle,
        password=body.password,
        display_name=body.display_name,
        email=str(body.email) if body.email else None,
        kind=body.kind,
    )
    _, plaintext = accounts.issue_token(session, account, "signup")
    session.commit()
    return TokenOut(token=plaintext, account=account_summary(account))


@router.post("/token", status_code=status.HTTP_201_CREATED, response_model=TokenOut)
def login(body: LoginIn, session: SessionDep) -> TokenOut:
    """Exchanges a handle and password for a new API token."""
    account = accounts.authenticate(session, body.handle, body.password)
    _, plaintext = accounts.issue_token(session, account, body.token_name)
    session.commit()
    return TokenOut(token=plaintext, account=account_summary(account))


@router.get("/tokens", response_model=list[TokenInfo])
def list_tokens(me: CurrentAccount, session: SessionDep) -> list[TokenInfo]:
    """Your active tokens (never their values)."""
    return [
        TokenInfo(id=t.id, name=t.name, created_at=t.created_at, last_used_at=t.last_used_at)
        for t in accounts.list_tokens(session, me)
    ]


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: IdPath, me: CurrentAccount, session: SessionDep) -> None:
    """Revokes one of your tokens; requests that use it fail from now on."""
    accounts.revoke_token(session, me, token_id)
    session.commit()
