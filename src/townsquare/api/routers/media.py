"""Uploading media and serving the files."""

from __future__ import annotations

from fastapi import APIRouter, File, UploadFile, status
from fastapi.responses import FileResponse

from townsquare.api.deps import CurrentAccount, OptionalAccount
from townsquare.http import IdPath, SessionDep, SettingsDep
from townsquare.presenters import MediaPublic, media_public
from townsquare.social import media
from townsquare.social.quotas import Quotas

router = APIRouter(prefix="/media", tags=["media"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=MediaPublic,
)
def upload(
    me: CurrentAccount,
    session: SessionDep,
    settings: SettingsDep,
    file: UploadFile = File(description="PNG, JPEG, GIF, WebP, MP4 or MOV."),
) -> MediaPublic:
    """Stores a file and reads its type, size, pixel size and duration from its bytes."""
    data = file.file.read(media.MAX_UPLOAD_BYTES + 1)  # one byte more tells "too large"
    stored = media.store_media(
        session, settings.media_dir, me, data, quotas=Quotas.from_settings(settings)
    )
    session.commit()
    return media_public(stored)


@router.get("/{media_id:int}", response_model=MediaPublic)
def metadata(media_id: IdPath, session: SessionDep, me: OptionalAccount) -> MediaPublic:
    """A file's metadata, for whoever may see the post or avatar it belongs to (an upload not
    yet posted: its uploader alone); anyone else is answered 404."""
    return media_public(media.get_media(session, media_id, me.id if me else None))


@router.get("/{media_id:int}/file", response_class=FileResponse)
def download(
    media_id: IdPath, session: SessionDep, settings: SettingsDep, me: OptionalAccount
) -> FileResponse:
    """The file itself, for whoever may see its metadata."""
    viewer = me.id if me else None
    row, path = media.media_file(session, settings.media_dir, media_id, viewer)
    return FileResponse(path, media_type=row.mime)
