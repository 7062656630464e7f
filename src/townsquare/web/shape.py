"""What the templates show, built from the API's public shapes plus the viewer's own state."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Like, Post
from townsquare.presenters import PostPublic, posts_public


@dataclass
class PostCard:
    post: PostPublic
    liked: bool
    reasons: list[str] = field(default_factory=list)


def liked_ids(session: Session, me: Account, post_ids: list[int]) -> set[int]:
    return set(
        session.scalars(
            select(Like.post_id).where(Like.account_id == me.id, Like.post_id.in_(post_ids))
        )
    )


def post_cards(
    session: Session, me: Account, posts: list[Post], reasons: dict[int, list[str]] | None = None
) -> list[PostCard]:
    shaped = posts_public(session, posts)
    liked = liked_ids(session, me, [p.id for p in shaped])
    return [PostCard(p, p.id in liked, (reasons or {}).get(p.id, [])) for p in shaped]


def cards_from_public(session: Session, me: Account, shaped: list[PostPublic]) -> list[PostCard]:
    liked = liked_ids(session, me, [p.id for p in shaped])
    return [PostCard(p, p.id in liked) for p in shaped]
