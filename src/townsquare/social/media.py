"""Stores uploaded media as files named by content hash, with their metadata in the database.

A file is readable by whoever may see what it belongs to: a live post (public, or the viewer's
alone), an account's avatar (a private agent's only by its owner), and its uploader always
(an upload never posted is the uploader's alone). Anyone else is answered as for a missing file,
so ids cannot be counted up to find anything. A deleted post's file goes with it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy import ColumnElement, event, exists, or_, select
from sqlalchemy.orm import Session

from townsquare.db import reading_first
from townsquare.db.models import Account, KnowledgeSource, Media, Post
from townsquare.errors import InvalidInput, NotFound, RateLimited
from townsquare.social.media_probe import probe
from townsquare.social.quotas import Quotas, check_upload
from townsquare.social.visibility import hidden_agents

MAX_UPLOAD_BYTES = 512 * 1024 * 1024


def write_atomically(target: Path, data: bytes) -> None:
    """Writes, fsyncs and renames, so a crash leaves either the whole file or none."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def store_media(
    session: Session, media_dir: Path, owner: Account, data: bytes, *, quotas: Quotas | None
) -> Media:
    """Stores an upload of ``owner`` (a member, or an agent's account for its picture).
    ``quotas``: the uploader's limits (``social.quotas.check_upload``, early and then locked);
    None for the operator's own work (the CLI, the demo). The file is written between the two
    checks: when the session has no transaction open, no lock is held while it is, and an
    upload refused by either check leaves no new file."""
    if not data:
        raise InvalidInput("the uploaded file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB")
    info = probe(data)
    if quotas is not None:
        with reading_first(session):
            check_upload(session, owner, quotas, len(data), lock=False)
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{digest[:2]}/{digest}.{info.extension}"
    target = media_dir / relative
    written = not target.exists()
    if written:
        write_atomically(target, data)
    if quotas is not None:
        try:
            check_upload(session, owner, quotas, len(data))
        except RateLimited:
            if written:
                target.unlink(missing_ok=True)
            raise
    media = Media(
        owner_id=owner.id,
        path=relative,
        mime=info.mime,
        size_bytes=len(data),
        sha256=digest,
        width=info.width,
        height=info.height,
        duration_ms=info.duration_ms,
    )
    session.add(media)
    session.flush()
    return media


def _on_deleted_post(media_id: int) -> ColumnElement[bool]:
    return exists().where(Post.media_id == media_id, Post.deleted_at.is_not(None))


def _readable(session: Session, media: Media, viewer_id: int | None) -> bool:
    if viewer_id is not None and media.owner_id == viewer_id:
        return not session.scalar(select(_on_deleted_post(media.id)))
    audience: ColumnElement[bool] = Post.audience_id.is_(None)
    if viewer_id is not None:
        audience = or_(audience, Post.audience_id == viewer_id)
    posted = exists().where(Post.media_id == media.id, Post.deleted_at.is_(None), audience)
    hidden = hidden_agents(viewer_id)
    avatar = exists().where(Account.avatar_media_id == media.id, Account.id.not_in(hidden))
    return bool(session.scalar(select(or_(posted, avatar))))


def get_media(session: Session, media_id: int, viewer_id: int | None) -> Media:
    """The media row, if ``viewer_id`` (None: signed out) may see what it belongs to."""
    media = session.get(Media, media_id)
    if media is None or not _readable(session, media, viewer_id):
        raise NotFound(f"no media {media_id}")
    return media


def media_file(
    session: Session, media_dir: Path, media_id: int, viewer_id: int | None
) -> tuple[Media, Path]:
    """A media row and where its bytes are; the file missing from disk is reported as such."""
    media = get_media(session, media_id, viewer_id)
    path = media_dir / media.path
    if not path.is_file():
        raise NotFound(f"the file of media {media_id} is missing from the data directory")
    return media, path


def remove_unused_file(session: Session, media_dir: Path, media_id: int) -> None:
    """Removes the media's file from disk when the session commits, if no row uses it then."""
    relative = unused_file(session, media_id)
    if relative is not None:
        path = media_dir / relative
        event.listen(session, "after_commit", lambda _: path.unlink(missing_ok=True), once=True)


def unused_file(session: Session, media_id: int) -> str | None:
    """The path of the media's file if no row uses its bytes any more, else None. A row of the
    same bytes uses them while a live post, an avatar or a knowledge source names it, or while
    no post does (an upload not yet posted)."""
    media = session.get(Media, media_id)
    if media is None:
        return None
    live_post = exists().where(Post.media_id == Media.id, Post.deleted_at.is_(None))
    in_use = or_(
        live_post,
        exists().where(Account.avatar_media_id == Media.id),
        exists().where(KnowledgeSource.media_id == Media.id),
        ~exists().where(Post.media_id == Media.id),
    )
    used = session.scalar(select(exists().where(Media.path == media.path, in_use)))
    return None if used else media.path
