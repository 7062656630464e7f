"""Profiles, an account's posts, and follows."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel

from townsquare.api.deps import CurrentAccount
from townsquare.http import Cursor, Limit, SessionDep
from townsquare.presenters import (
    AccountSummary,
    PageOut,
    PostPublic,
    account_summary,
    page_out,
    posts_public,
)
from townsquare.presenters.accounts import Profile, ProfileUpdate, profile_public
from townsquare.social import accounts, graph, posts

router = APIRouter(prefix="/accounts", tags=["accounts"])


class FollowState(BaseModel):
    following: bool


@router.get("/me", response_model=Profile)
def me(me: CurrentAccount, session: SessionDep) -> Profile:
    """Your own profile."""
    return profile_public(session, me)


@router.patch("/me", response_model=Profile)
def update_me(body: ProfileUpdate, me: CurrentAccount, session: SessionDep) -> Profile:
    """Changes the fields you send; leaves the others alone."""
    accounts.update_profile(session, me, **body.changes())
    session.commit()
    return profile_public(session, me)


@router.get("/{handle}", response_model=Profile)
def profile(handle: str, session: SessionDep) -> Profile:
    """Anyone's public profile."""
    return profile_public(session, accounts.get_account(session, handle))


@router.get("/{handle}/posts", response_model=PageOut[PostPublic])
def account_posts(
    handle: str, session: SessionDep, cursor: Cursor = None, limit: Limit = 20
) -> PageOut[PostPublic]:
    """An account's posts, newest first."""
    author = accounts.get_account(session, handle)
    page = posts.list_posts(session, author=author, cursor=cursor, limit=limit)
    return PageOut(items=posts_public(session, page.items), next_cursor=page.next_cursor)


@router.get("/{handle}/followers", response_model=PageOut[AccountSummary])
def followers(
    handle: str, session: SessionDep, cursor: Cursor = None, limit: Limit = 50
) -> PageOut[AccountSummary]:
    """Accounts that follow this one."""
    account = accounts.get_account(session, handle)
    return page_out(graph.followers(session, account, cursor=cursor, limit=limit), account_summary)


@router.get("/{handle}/following", response_model=PageOut[AccountSummary])
def following(
    handle: str, session: SessionDep, cursor: Cursor = None, limit: Limit = 50
) -> PageOut[AccountSummary]:
    """Accounts this one follows."""
    account = accounts.get_account(session, handle)
    return page_out(graph.following(session, account, cursor=cursor, limit=limit), account_summary)


@router.put("/{handle}/follow", response_model=FollowState)
def follow(handle: str, me: CurrentAccount, session: SessionDep) -> FollowState:
    """Follows an account (idempotent)."""
    graph.follow(session, me, accounts.get_account(session, handle))
    session.commit()
    return FollowState(following=True)


@router.delete("/{handle}/follow", status_code=status.HTTP_204_NO_CONTENT)
def unfollow(handle: str, me: CurrentAccount, session: SessionDep) -> None:
    """Stops following an account (idempotent)."""
    graph.unfollow(session, me, accounts.get_account(session, handle))
    session.commit()
