"""Posts of every kind, likes and comments."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from townsquare.api.deps import CurrentAccount, OptionalAccount
from townsquare.http import Cursor, IdPath, Limit, SessionDep, SettingsDep
from townsquare.presenters import PageOut, PostPublic, RequestModel, RowId, page_out, posts_public
from townsquare.presenters.posts import CommentPublic, comment_public, post_public
from townsquare.social import posts

router = APIRouter(tags=["posts"])

PostKind = Literal["text", "image", "short_video", "long_video", "link"]


class PostCreate(RequestModel):
    kind: PostKind
    text: str = Field("", max_length=posts.MAX_TEXT)
    link_url: str | None = Field(None, max_length=2048, description="For kind=link.")
    media_id: RowId | None = Field(None, description="From POST /media; for image and video kinds.")


class PostUpdate(RequestModel):
    text: str = Field(max_length=posts.MAX_TEXT)


class CommentCreate(RequestModel):
    text: str = Field(min_length=1, max_length=posts.MAX_COMMENT)


class LikeState(BaseModel):
    liked: bool
    like_count: int


def _one(session: SessionDep, post_id: int, viewer_id: int | None) -> PostPublic:
    return post_public(session, posts.get_post(session, post_id, viewer_id))


@router.post("/posts", status_code=status.HTTP_201_CREATED, response_model=PostPublic)
def create_post(body: PostCreate, me: CurrentAccount, session: SessionDep) -> PostPublic:
    """Publishes a post. Upload media first (POST /media) for image and video posts."""
    post = posts.create_post(session, me, **body.model_dump())
    session.commit()
    return _one(session, post.id, me.id)


@router.get("/posts", response_model=PageOut[PostPublic])
def list_posts(
    session: SessionDep,
    cursor: Cursor = None,
    limit: Limit = 20,
    kind: PostKind | None = Query(None, description="Only posts of this kind."),
) -> PageOut[PostPublic]:
    """Every public post, newest first (the ranked feed is a separate resource)."""
    page = posts.list_posts(session, kind=kind, cursor=cursor, limit=limit)
    return PageOut(items=posts_public(session, page.items), next_cursor=page.next_cursor)


@router.get("/posts/{post_id:int}", response_model=PostPublic)
def get_post(post_id: IdPath, session: SessionDep, me: OptionalAccount) -> PostPublic:
    """One post. A digest is its member's alone: anyone else is answered 404."""
    return _one(session, post_id, me.id if me else None)


@router.patch("/posts/{post_id:int}", response_model=PostPublic)
def edit_post(
    post_id: IdPath, body: PostUpdate, me: CurrentAccount, session: SessionDep
) -> PostPublic:
    """Edits your post's text."""
    posts.edit_post(session, me, post_id, text=body.text)
    session.commit()
    return _one(session, post_id, me.id)


@router.delete("/posts/{post_id:int}", status_code=status.HTTP_204_NO_CONTENT)
def delete_post(
    post_id: IdPath, me: CurrentAccount, session: SessionDep, settings: SettingsDep
) -> None:
    """Deletes your post; it disappears everywhere, its file included."""
    posts.delete_post(session, me, post_id, media_dir=settings.media_dir)
    session.commit()


@router.put("/posts/{post_id:int}/like", response_model=LikeState)
def like(post_id: IdPath, me: CurrentAccount, session: SessionDep) -> LikeState:
    """Likes a post (idempotent)."""
    posts.like_post(session, me, post_id)
    session.commit()
    return LikeState(liked=True, like_count=posts.like_count(session, post_id))


@router.delete("/posts/{post_id:int}/like", status_code=status.HTTP_204_NO_CONTENT)
def unlike(post_id: IdPath, me: CurrentAccount, session: SessionDep) -> None:
    """Takes a like back (idempotent)."""
    posts.get_post(session, post_id, me.id)
    posts.unlike_post(session, me, post_id)
    session.commit()


@router.post("/posts/{post_id:int}/hide", status_code=status.HTTP_204_NO_CONTENT)
def hide(post_id: IdPath, me: CurrentAccount, session: SessionDep) -> None:
    """Hides a post from your feed."""
    posts.flag_post(session, me, post_id, "hide")
    session.commit()


@router.post("/posts/{post_id:int}/report", status_code=status.HTTP_204_NO_CONTENT)
def report(post_id: IdPath, me: CurrentAccount, session: SessionDep) -> None:
    """Reports a post to the moderators; your feed shows it no more."""
    posts.flag_post(session, me, post_id, "report")
    session.commit()


@router.get("/posts/{post_id:int}/comments", response_model=PageOut[CommentPublic])
def list_comments(
    post_id: IdPath,
    session: SessionDep,
    me: OptionalAccount,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PageOut[CommentPublic]:
    """A post's comments, oldest first."""
    page = posts.list_comments(
        session, post_id, viewer_id=me.id if me else None, cursor=cursor, limit=limit
    )
    return page_out(page, lambda c: comment_public(session, c))


@router.post(
    "/posts/{post_id:int}/comments",
    status_code=status.HTTP_201_CREATED,
    response_model=CommentPublic,
)
def add_comment(
    post_id: IdPath, body: CommentCreate, me: CurrentAccount, session: SessionDep
) -> CommentPublic:
    """Comments on a post."""
    comment = posts.add_comment(session, me, post_id, body.text)
    session.commit()
    return comment_public(session, comment)


@router.delete("/comments/{comment_id:int}", status_code=status.HTTP_204_NO_CONTENT)
def delete_comment(comment_id: IdPath, me: CurrentAccount, session: SessionDep) -> None:
    """Deletes a comment (its author or the post's author)."""
    posts.delete_comment(session, me, comment_id)
    session.commit()
