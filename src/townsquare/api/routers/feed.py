"""The ranked feed: posts of every kind and accounts to follow, each with why it is there."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from townsquare.api.deps import CurrentAccount
from townsquare.db.models import Account, Follow, Post
from townsquare.http import Cursor, SessionDep
from townsquare.presenters import AccountSummary, PostPublic, account_summary, posts_public

if TYPE_CHECKING:
    from townsquare.feed.serving.service import FeedPage, FeedService
    from townsquare.tasks.digest import DigestScheduler

router = APIRouter(prefix="/feed", tags=["feed"])

MAX_FEED_LIMIT = 50
_service_lock = threading.Lock()


class AccountSuggestion(BaseModel):
    account: AccountSummary
    bio: str
    followers: int


class FeedItem(BaseModel):
    kind: Literal["post", "account"] = Field(description="A post, or an account to follow.")
    post: PostPublic | None = Field(description="Set when kind is 'post'.")
    account: AccountSuggestion | None = Field(description="Set when kind is 'account'.")
    score: float = Field(description="The ranking score; higher ranks first, before diversity.")
    reasons: list[str] = Field(description="Why you are seeing this, in a few short lines.")
    predictions: dict[str, float] = Field(
        description="The model's probability per objective (open, like, long_view, ...); "
        "empty when the heuristic ranked the page."
    )


class FeedPageOut(BaseModel):
    items: list[FeedItem]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null at end.")
    surface: str
    ranking: Literal["model", "heuristic"] = Field(description="What ranked this page.")
    model_version: str | None = Field(description="The training run that ranked it, if any.")
    note: str = Field(description="Why the heuristic ranked the page; empty under the model.")


class FeedStatus(BaseModel):
    model_version: str | None = Field(description="The training run being served, if any.")
    error: str | None = Field(description="Why the newest published run is not serving.")
    trained_metrics: dict[str, object] = Field(description="Its test figures from training.")
    surfaces: list[str] = Field(description="The surfaces ?surface= accepts.")


def get_feed_service(request: Request) -> FeedService:
    """One service per app, created on first use (it imports torch, which the rest of the API
    does not need)."""
    state = request.app.state
    service: FeedService | None = getattr(state, "feed", None)
    if service is None:
        with _service_lock:
            service = getattr(state, "feed", None)
            if service is None:
                from townsquare.feed.serving.service import FeedService

                models = state.models
                service = FeedService(state.settings.data_dir, lambda: models.embedder)
                state.feed = service
    return service


FeedServiceDep = Annotated["FeedService", Depends(get_feed_service)]


def get_digest_scheduler(request: Request) -> DigestScheduler:
    """One digest writer per app, beside the feed service."""
    state = request.app.state
    scheduler: DigestScheduler | None = getattr(state, "digests", None)
    if scheduler is None:
        with _service_lock:
            scheduler = getattr(state, "digests", None)
            if scheduler is None:
                from townsquare.tasks.digest import DigestScheduler

                models = state.models
                service = get_feed_service(request)
                scheduler = DigestScheduler(state.database, lambda: models.chat, service)
                state.digests = scheduler
    return scheduler


DigestSchedulerDep = Annotated["DigestScheduler", Depends(get_digest_scheduler)]


def _items(session: SessionDep, page: FeedPage) -> list[FeedItem]:
    post_ids = [e.id for e in page.entries if e.kind == "post"]
    account_ids = [e.id for e in page.entries if e.kind == "account"]
    posts = {p.id: p for p in session.scalars(select(Post).where(Post.id.in_(post_ids)))}
    shaped = {p.id: p for p in posts_public(session, [posts[i] for i in post_ids])}
    accounts = {
        a.id: a for a in session.scalars(select(Account).where(Account.id.in_(account_ids)))
    }
    followers = dict(
        session.execute(
            select(Follow.followee_id, func.count())
            .where(Follow.followee_id.in_(account_ids))
            .group_by(Follow.followee_id)
        ).all()
    )
    items = []
    for entry in page.entries:
        suggestion = None
        if entry.kind == "account":
            account = accounts[entry.id]
            suggestion = AccountSuggestion(
                account=account_summary(account),
                bio=account.bio,
                followers=followers.get(entry.id, 0),
            )
        items.append(
            FeedItem(
                kind=entry.kind,
                post=shaped.get(entry.id) if entry.kind == "post" else None,
                account=suggestion,
                score=entry.score,
                reasons=entry.reasons,
                predictions=entry.predictions,
            )
        )
    return items


@router.get("", response_model=FeedPageOut)
def feed(
    me: CurrentAccount,
    session: SessionDep,
    service: FeedServiceDep,
    digests: DigestSchedulerDep,
    background: BackgroundTasks,
    surface: Annotated[
        str, Query(max_length=32, description="Where the feed is shown: home, videos, ...")
    ] = "home",
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=MAX_FEED_LIMIT, description="Items per page.")] = 20,
) -> FeedPageOut:
    """Your ranked feed: posts of every kind from the whole community and accounts to follow.
    Report what you were shown and did (POST /events): the next page reads it at once.
    The first request of the day also has today's digest written, after the answer is sent:
    it shows on a later page (see README, "The daily digest")."""
    page = service.page(session, me.id, surface=surface, cursor=cursor, limit=limit)
    out = FeedPageOut(
        items=_items(session, page),
        next_cursor=page.next_cursor,
        surface=page.surface,
        ranking=page.ranking,
        model_version=page.model_version,
        note=page.note,
    )
    account_id = me.id
    if cursor is None and digests.due(account_id):
        # Read only: end the transaction (under SQLite, its lock) before the writer runs, and
        # touch no row after it (an expired row would begin another).
        session.rollback()
        background.add_task(digests.run, account_id)
    return out


@router.get("/status", response_model=FeedStatus)
def status(service: FeedServiceDep) -> FeedStatus:
    """Which feed model this server uses, and how it scored when trained."""
    serving = service.store.current()
    return FeedStatus(
        model_version=None if serving is None else serving.version,
        error=service.store.error,
        trained_metrics={} if serving is None else dict(serving.meta.get("metrics", {})),
        surfaces=list(service.config().surfaces),
    )
