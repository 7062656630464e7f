"""Public shapes shared by every shell (API, web pages, CLI), built from rows by the ``*_public``
functions; request bodies derive from ``RequestModel``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Comment, Digest, Like, Media, Post
from townsquare.social.pagination import MAX_ID, Page
from townsquare.studio.spec import StrictModel

T = TypeVar("T")
R = TypeVar("R")

# Ids in request bodies: bounded so no value overflows a 64-bit database integer.
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


# A handle a request names (validated by the service; the cap only bounds the work).
HandleIn = Annotated[str, Field(max_length=64)]


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@dataclass(frozen=True)
class JsonBounds:
    """Bounds a free-form JSON object: ``Annotated[dict[str, Any], JsonBounds(...)]`` has at
    most ``max_keys`` keys, ``max_depth`` levels of nesting (the object itself is one) and
    ``max_bytes`` once written as JSON. The OpenAPI document states all three."""

    max_keys: int
    max_depth: int
    max_bytes: int

    def _check(self, value: dict[str, Any]) -> dict[str, Any]:
        if _depth(value) > self.max_depth:
            raise ValueError(f"nests at most {self.max_depth} levels of objects and lists")
        if len(json.dumps(value, ensure_ascii=False).encode()) > self.max_bytes:
            raise ValueError(f"is at most {self.max_bytes} bytes as JSON")
        return value

    def __get_pydantic_core_schema__(
        self, _source: Any, _handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        bounded = core_schema.dict_schema(
            core_schema.str_schema(), core_schema.any_schema(), max_length=self.max_keys
        )
        return core_schema.no_info_after_validator_function(self._check, bounded)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        described = handler(schema)
        described.update(
            {
                "maxProperties": self.max_keys,
                "additionalProperties": _nested(self.max_depth - 1),
                "x-max-depth": self.max_depth,
                "x-max-bytes": self.max_bytes,
            }
        )
        return described


_SCALAR: dict[str, Any] = {"type": ["string", "number", "boolean", "null"]}


def _nested(depth: int) -> dict[str, Any]:
    """A JSON value that nests at most ``depth`` levels of objects and lists (``_depth``)."""
    if depth == 0:
        return _SCALAR
    inner = _nested(depth - 1)
    return {
        "anyOf": [
            _SCALAR,
            {"type": "array", "items": inner},
            {"type": "object", "additionalProperties": inner},
        ]
    }


class RequestModel(StrictModel):
    """Base of every request body: unknown fields and NUL characters are refused (422)."""


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null at end.")


def page_out(page: Page[R], present: Callable[[R], T]) -> PageOut[T]:
    """A service's page of rows, each shown by ``present``."""
    return PageOut(items=[present(row) for row in page.items], next_cursor=page.next_cursor)


class AccountSummary(BaseModel):
    id: int
    handle: str
    display_name: str
    kind: str


class MediaPublic(BaseModel):
    id: int
    url: str
    mime: str
    size_bytes: int
    width: int | None
    height: int | None
    duration_ms: int | None


class PostPublic(BaseModel):
    id: int
    kind: str
    text: str
    link_url: str | None
    media: MediaPublic | None
    author: AccountSummary
    ai_generated: bool
    sources: list[int] = Field(
        default_factory=list,
        description="For a digest: the posts it summarises, in the order it lists them.",
    )
    like_count: int
    comment_count: int
    created_at: datetime
    updated_at: datetime


def account_summary(account: Account) -> AccountSummary:
    return AccountSummary(
        id=account.id, handle=account.handle, display_name=account.display_name, kind=account.kind
    )


def account_summary_by_id(session: Session, account_id: int) -> AccountSummary:
    """The summary of an account a row points at (so it exists)."""
    account = session.get(Account, account_id)
    assert account is not None
    return account_summary(account)


def avatar_url(account: Account) -> str | None:
    return f"/media/{account.avatar_media_id}/file" if account.avatar_media_id else None


def media_public(media: Media) -> MediaPublic:
    return MediaPublic(
        id=media.id,
        url=f"/media/{media.id}/file",
        mime=media.mime,
        size_bytes=media.size_bytes,
        width=media.width,
        height=media.height,
        duration_ms=media.duration_ms,
    )


def posts_public(session: Session, posts: list[Post]) -> list[PostPublic]:
    """Public shapes for a page of posts, with authors, media and counts in four queries."""
    ids = [post.id for post in posts]
    authors = {
        a.id: a
        for a in session.scalars(
            select(Account).where(Account.id.in_({p.author_id for p in posts}))
        )
    }
    media = {
        m.id: m
        for m in session.scalars(
            select(Media).where(Media.id.in_({p.media_id for p in posts if p.media_id}))
        )
    }
    likes: dict[int, int] = {
        post_id: count
        for post_id, count in session.execute(
            select(Like.post_id, func.count()).where(Like.post_id.in_(ids)).group_by(Like.post_id)
        )
    }
    comments: dict[int, int] = {
        post_id: count
        for post_id, count in session.execute(
            select(Comment.post_id, func.count())
            .where(Comment.post_id.in_(ids), Comment.deleted_at.is_(None))
            .group_by(Comment.post_id)
        )
    }
    sources: dict[int, list[int]] = dict(
        session.execute(
            select(Digest.post_id, Digest.source_post_ids).where(
                Digest.post_id.in_([p.id for p in posts if p.audience_id is not None])
            )
        ).all()
    )
    return [
        PostPublic(
            id=post.id,
            kind=post.kind,
            text=post.text,
            link_url=post.link_url,
            media=media_public(media[post.media_id]) if post.media_id else None,
            author=account_summary(authors[post.author_id]),
            ai_generated=post.ai_generated,
            sources=sources.get(post.id, []),
            like_count=likes.get(post.id, 0),
            comment_count=comments.get(post.id, 0),
            created_at=post.created_at,
            updated_at=post.updated_at,
        )
        for post in posts
    ]
