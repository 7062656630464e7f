"""The ranked feed: posts of every kind and accounts to follow, each with why it is there."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query
from pydantic import BaseModel, Field

from townsquare.api.deps import CurrentAccount
from townsquare.http import (
    DigestSchedulerDep,
    FeedServiceDep,
    SessionDep,
    write_digest_after,
)
from townsquare.presenters.feed import FeedPageOut, feed_page_public

router = APIRouter(prefix="/feed", tags=["feed"])

MAX_FEED_LIMIT = 50
# The keys a feed cursor carries, joined by '.' (``feed.serving.service._CURSOR_KEY``, which
# checks them; the feed is not imported here, it loads torch).
FEED_CURSOR_KEY = "[pa][0-9]{1,19}"
FeedCursor = Annotated[
    str | None,
    Query(
        description="The next_cursor of the previous page; omit for the first.",
        json_schema_extra={"pattern": f"^({FEED_CURSOR_KEY}([.]{FEED_CURSOR_KEY})*)?$"},
    ),
]


class FeedStatus(BaseModel):
    model_version: str | None = Field(description="The training run being served, if any.")
    error: str | None = Field(description="Why the newest published run is not serving.")
    trained_metrics: dict[str, object] = Field(description="Its test figures from training.")
    surfaces: list[str] = Field(description="The surfaces ?surface= accepts.")


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
    cursor: FeedCursor = None,
    limit: Annotated[int, Query(ge=1, le=MAX_FEED_LIMIT, description="Items per page.")] = 20,
) -> FeedPageOut:
    """Your ranked feed: posts of every kind from the whole community and accounts to follow.
    Report what you were shown and did (POST /events): the next page reads it at once.
    The first request of the day also has today's digest written, after the answer is sent:
    it shows on a later page (see README, "The daily digest")."""
    account_id = me.id
    page = service.page(session, account_id, surface=surface, cursor=cursor, limit=limit)
    out = feed_page_public(session, page)
    if cursor is None:
        write_digest_after(session, digests, background, account_id)  # touch no row after it
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
