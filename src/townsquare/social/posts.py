"""Posts of every kind, likes and comments."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Comment, Like, Post
from townsquare.db.types import utcnow
from townsquare.db.unique import Duplicate, once
from townsquare.errors import Forbidden, InvalidInput, NotFound
from townsquare.social.events import record_event
from townsquare.social.media import get_media, remove_unused_file
from townsquare.social.media_probe import IMAGE_MIMES, VIDEO_MIMES
from townsquare.social.pagination import Page, paginate

POST_KINDS = ("text", "image", "short_video", "long_video", "link")
MAX_TEXT = 10_000
MAX_COMMENT = 2_000
# Where short video ends and long video begins, as on the big platforms (3 minutes).
SHORT_VIDEO_MAX_MS = 180_000


def _check_link(url: str) -> str:
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInput("link_url must be an http(s) URL")
    return url.strip()


def create_post(
    session: Session,
    author: Account,
    *,
    kind: str,
    text: str = "",
    link_url: str | None = None,
    media_id: int | None = None,
    ai_generated: bool = False,
    audience: Account | None = None,
) -> Post:
    """A new post; with `audience`, one only that account may see (a digest written for it)."""
    if kind not in POST_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(POST_KINDS)}; got {kind!r}")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"text is longer than {MAX_TEXT} characters")
    if kind == "text" and not text.strip():
        raise InvalidInput("a text post needs text")
    if kind == "link":
        if link_url is None:
            raise InvalidInput("a link post needs link_url")
        link_url = _check_link(link_url)
    elif link_url is not None:
        raise InvalidInput("link_url is only for link posts")
    if kind in ("image", "short_video", "long_video"):
        if media_id is None:
            raise InvalidInput(f"a {kind} post needs media_id (upload the file to /media first)")
        media = get_media(session, media_id, author.id)
        if media.owner_id != author.id:
            raise Forbidden("you can only post media you uploaded")
        _check_media_kind(kind, media.mime, media.duration_ms)
    elif media_id is not None:
        raise InvalidInput(f"a {kind} post cannot carry media")
    post = Post(
        author_id=author.id,
        kind=kind,
        text=text,
        link_url=link_url,
        media_id=media_id,
        ai_generated=ai_generated,
        audience_id=None if audience is None else audience.id,
    )
    session.add(post)
    session.flush()
    return post


def _check_media_kind(kind: str, mime: str, duration_ms: int | None) -> None:
    if kind == "image":
        if mime not in IMAGE_MIMES:
            raise InvalidInput("an image post needs an image file")
        return
    if mime not in VIDEO_MIMES or duration_ms is None:
        raise InvalidInput(f"a {kind} post needs a video file")
    if kind == "short_video" and duration_ms > SHORT_VIDEO_MAX_MS:
        raise InvalidInput(
            f"a short video is at most {SHORT_VIDEO_MAX_MS // 1000} s; post it as long_video"
        )


def visible_to(post: Post, viewer_id: int | None) -> bool:
    """Whether the account `viewer_id` (None: nobody signed in) may see the post: a post with an
    audience (a digest written for one member) is that member's alone."""
    return post.deleted_at is None and post.audience_id in (None, viewer_id)


def visible_to_clause(viewer_id: int) -> ColumnElement[bool]:
    """``visible_to`` as a SQL condition on ``Post``, for queries over many posts."""
    return and_(
        Post.deleted_at.is_(None), or_(Post.audience_id.is_(None), Post.audience_id == viewer_id)
    )


def get_post(session: Session, post_id: int, viewer_id: int | None = None) -> Post:
    """The post, as `viewer_id` may see it. A post that is someone else's alone is answered
    like a missing one, so its existence is not given away."""
    post = session.get(Post, post_id)
    if post is None or not visible_to(post, viewer_id):
        raise NotFound(f"no post {post_id}")
    return post


def _own_post(session: Session, account: Account, post_id: int) -> Post:
    post = get_post(session, post_id, account.id)
    if post.author_id != account.id:
        raise Forbidden("only the author can change this post")
    return post


def edit_post(session: Session, account: Account, post_id: int, *, text: str) -> Post:
    post = _own_post(session, account, post_id)
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"text is longer than {MAX_TEXT} characters")
    if post.kind == "text" and not text.strip():
        raise InvalidInput("a text post needs text")
    post.text = text
    post.updated_at = utcnow()
    session.flush()
    return post


def delete_post(session: Session, account: Account, post_id: int, *, media_dir: Path) -> None:
    """Soft delete: events keep pointing at the row, nothing shows or cites it again. Its file
    is no longer served, and leaves the disk once committed if nothing else uses its bytes."""
    post = _own_post(session, account, post_id)
    post.deleted_at = utcnow()
    session.flush()
    if post.media_id is not None:
        remove_unused_file(session, media_dir, post.media_id)


def list_posts(
    session: Session,
    *,
    author: Account | None = None,
    kind: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> Page[Post]:
    query = select(Post).where(Post.deleted_at.is_(None), Post.audience_id.is_(None))
    if author is not None:
        query = query.where(Post.author_id == author.id)
    if kind is not None:
        if kind not in POST_KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(POST_KINDS)}; got {kind!r}")
        query = query.where(Post.kind == kind)
    return paginate(session, query, Post.id, cursor=cursor, limit=limit)


def like_post(session: Session, account: Account, post_id: int, *, surface: str = "api") -> bool:
    """Likes a post; returns False when it was already liked (idempotent)."""
    post = get_post(session, post_id, account.id)
    if session.get(Like, (account.id, post.id)) is not None:
        return False
    try:
        with once(session):  # two requests at once: the second finds the first's row
            session.add(Like(account_id=account.id, post_id=post.id))
    except Duplicate:
        return False
    record_event(session, account, "like", surface=surface, post_id=post.id)
    return True


FLAGS = ("hide", "report")


def flag_post(
    session: Session, account: Account, post_id: int, flag: str, *, surface: str = "api"
) -> None:
    """Hides a post from the member's feed, or reports it: logged as the member's event."""
    if flag not in FLAGS:
        raise InvalidInput(f"flag must be one of {', '.join(FLAGS)}; got {flag!r}")
    post = get_post(session, post_id, account.id)
    record_event(session, account, flag, surface=surface, post_id=post.id)


def unlike_post(session: Session, account: Account, post_id: int) -> None:
    session.execute(delete(Like).where(Like.account_id == account.id, Like.post_id == post_id))


def like_count(session: Session, post_id: int) -> int:
    return session.scalar(select(func.count()).where(Like.post_id == post_id)) or 0


def add_comment(
    session: Session, account: Account, post_id: int, text: str, *, surface: str = "api"
) -> Comment:
    post = get_post(session, post_id, account.id)
    if not text.strip():
        raise InvalidInput("a comment needs text")
    if len(text) > MAX_COMMENT:
        raise InvalidInput(f"a comment is at most {MAX_COMMENT} characters")
    comment = Comment(post_id=post.id, author_id=account.id, text=text)
    session.add(comment)
    session.flush()
    record_event(
        session, account, "comment", surface=surface, post_id=post.id, extra={"comment": comment.id}
    )
    return comment


def delete_comment(session: Session, account: Account, comment_id: int) -> None:
    comment = session.get(Comment, comment_id)
    if comment is None or comment.deleted_at is not None:
        raise NotFound(f"no comment {comment_id}")
    post = session.get(Post, comment.post_id)
    if post is not None and post.audience_id not in (None, account.id):
        raise NotFound(f"no comment {comment_id}")
    if account.id not in (comment.author_id, post.author_id if post else None):
        raise Forbidden("only the comment's author or the post's author can delete it")
    comment.deleted_at = utcnow()


def list_comments(
    session: Session,
    post_id: int,
    *,
    viewer_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[Comment]:
    get_post(session, post_id, viewer_id)
    query = select(Comment).where(Comment.post_id == post_id, Comment.deleted_at.is_(None))
    return paginate(session, query, Comment.id, cursor=cursor, limit=limit, newest_first=False)
