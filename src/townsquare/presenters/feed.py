"""A page of the ranked feed as every shell shows it: posts and accounts to follow, each with
its score and why it is there."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Follow, Post
from townsquare.presenters import AccountSummary, PostPublic, account_summary, posts_public

if TYPE_CHECKING:
    from townsquare.feed.serving.service import FeedPage


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


def feed_page_public(session: Session, page: FeedPage) -> FeedPageOut:
    return FeedPageOut(
        items=_items(session, page),
        next_cursor=page.next_cursor,
        surface=page.surface,
        ranking=page.ranking,
        model_version=page.model_version,
        note=page.note,
    )


def _items(session: Session, page: FeedPage) -> list[FeedItem]:
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
