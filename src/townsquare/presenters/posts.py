"""Posts and comments as every shell shows them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from townsquare.db.models import Comment, Post
from townsquare.presenters import AccountSummary, PostPublic, account_summary_by_id, posts_public


class CommentPublic(BaseModel):
    id: int
    post_id: int
    author: AccountSummary
    text: str
    created_at: datetime


def post_public(session: Session, post: Post) -> PostPublic:
    return posts_public(session, [post])[0]


def comment_public(session: Session, comment: Comment) -> CommentPublic:
    return CommentPublic(
        id=comment.id,
        post_id=comment.post_id,
        author=account_summary_by_id(session, comment.author_id),
        text=comment.text,
        created_at=comment.created_at,
    )
