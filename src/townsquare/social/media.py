"""Stores uploaded media as files named by content hash, with their metadata in the database."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from townsquare.db.models import Account, Media
from townsquare.errors import InvalidInput, NotFound
from townsquare.social.media_probe import probe
from townsquare.social.quotas import Quotas, check_upload

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
    ``quotas``: the uploader's limits (``social.quotas.check_upload``); None for the operator's
    own work (the CLI, the demo)."""
    if not data:
        raise InvalidInput("the uploaded file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB")
    info = probe(data)
    if quotas is not None:
        check_upload(session, owner, quotas, len(data))
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{digest[:2]}/{digest}.{info.extension}"
    target = media_dir / relative
    if not target.exists():
        write_atomically(target, data)
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


def get_media(session: Session, media_id: int) -> Media:
    media = session.get(Media, media_id)
    if media is None:
        raise NotFound(f"no media {media_id}")
    return media


def media_file(session: Session, media_dir: Path, media_id: int) -> tuple[Media, Path]:
    """A media row and where its bytes are; the file missing from disk is reported as such."""
    media = get_media(session, media_id)
    path = media_dir / media.path
    if not path.is_file():
        raise NotFound(f"the file of media {media_id} is missing from the data directory")
    return media, path
