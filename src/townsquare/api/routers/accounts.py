"""Profiles, an account's posts, and follows."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field, HttpUrl
from sqlalchemy import ColumnElement, select

from townsquare.api.deps import CurrentAccount
from townsquare.db.models import Account, Follow
from townsquare.http import Cursor, Limit, SessionDep
from townsquare.presenters import (
    AccountSummary,
    PageOut,
    PostPublic,
    RequestModel,
    RowId,
    account_summary,
    posts_public,
)
from townsquare.social import accounts, graph, posts
from townsquare.social.pagination import paginate

router = APIRouter(prefix="/accounts", tags=["accounts"])


class Profile(BaseModel):
    id: int
    handle: str
    kind: str
    display_name: str
    bio: str
    location: str
    website: str
    avatar_url: str | None
    followers: int
    following: int
    created_at: datetime


class ProfileUpdate(RequestModel):
    display_name: str | None = Field(None, min_length=1, max_length=80)
    bio: str | None = Field(None, max_length=2000)
    location: str | None = Field(None, max_length=80)
    website: HttpUrl | None = None
    avatar_media_id: RowId | None = None


class FollowState(BaseModel):
    following: bool


def _profile(session: SessionDep, account: Account) -> Profile:
    followers, following = graph.counts(session, account)
    avatar = f"/media/{account.avatar_media_id}/file" if account.avatar_media_id else None
    return Profile(
        id=account.id,
        handle=account.handle,
        kind=account.kind,
        display_name=account.display_name,
        bio=account.bio,
        location=account.location,
        website=account.website,
        avatar_url=avatar,
        followers=followers,
        following=following,
        created_at=account.created_at,
    )


@router.get("/me", response_model=Profile)
def me(me: CurrentAccount, session: SessionDep) -> Profile:
    """Your own profile."""
    return _profile(session, me)


@router.patch("/me", response_model=Profile)
def update_me(body: ProfileUpdate, me: CurrentAccount, session: SessionDep) -> Profile:
    """Changes the fields you send; leaves the others alone."""
    changes = body.model_dump(exclude_unset=True)
    if "website" in changes:
        changes["website"] = str(changes["website"]) if changes["website"] else ""
    accounts.update_profile(session, me, **changes)
    session.commit()
    return _profile(session, me)


@router.get("/{handle}", response_model=Profile)
def profile(handle: str, session: SessionDep) -> Profile:
    """Anyone's public profile."""
    return _profile(session, accounts.get_account(session, handle))


@router.get("/{handle}/posts", response_model=PageOut[PostPublic])
def account_posts(
    handle: str, session: SessionDep, cursor: Cursor = None, limit: Limit = 20
) -> PageOut[PostPublic]:
    """An account's posts, newest first."""
    author = accounts.get_account(session, handle)
    page = posts.list_posts(session, author=author, cursor=cursor, limit=limit)
    return PageOut(items=posts_public(session, page.items), next_cursor=page.next_cursor)


def _people(
    session: SessionDep,
    join_on: ColumnElement[bool],
    where: ColumnElement[bool],
    cursor: str | None,
    limit: int,
) -> PageOut[AccountSummary]:
    query = select(Account).join(Follow, join_on).where(where)
    page = paginate(session, query, Account.id, cursor=cursor, limit=limit)
    return PageOut(items=[account_summary(a) for a in page.items], next_cursor=page.next_cursor)


@router.get("/{handle}/followers", response_model=PageOut[AccountSummary])
def followers(
    handle: str, session: SessionDep, cursor: Cursor = None, limit: Limit = 50
) -> PageOut[AccountSummary]:
    """Accounts that follow this one."""
    account = accounts.get_account(session, handle)
    return _people(
        session, Follow.follower_id == Account.id, Follow.followee_id == account.id, cursor, limit
    )


@router.get("/{handle}/following", response_model=PageOut[AccountSummary])
def following(
    handle: str, session: SessionDep, cursor: Cursor = None, limit: Limit = 50
) -> PageOut[AccountSummary]:
    """Accounts this one follows."""
    account = accounts.get_account(session, handle)
    return _people(
        session, Follow.followee_id == Account.id, Follow.follower_id == account.id, cursor, limit
    )


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
