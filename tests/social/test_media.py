import pytest

from tests.utils.factories import make_account, png_bytes
from townsquare.db import Database
from townsquare.errors import InvalidInput, NotFound, RateLimited
from townsquare.settings import Settings
from townsquare.social import media
from townsquare.social.quotas import Quotas


def test_files_are_stored_by_content_hash_once(database: Database, settings: Settings) -> None:
    data = png_bytes(20, 10)
    with database.session() as session:
        owner = make_account(session)
        first = media.store_media(session, settings.media_dir, owner, data, quotas=None)
        second = media.store_media(session, settings.media_dir, owner, data, quotas=None)
    assert first.path == second.path
    stored = settings.media_dir / first.path
    assert stored.read_bytes() == data
    assert (first.width, first.height, first.size_bytes) == (20, 10, len(data))
    assert [p.name for p in stored.parent.iterdir()] == [stored.name]  # no temp files left


def test_empty_and_unknown_uploads_are_refused(database: Database, settings: Settings) -> None:
    with database.session() as session:
        owner = make_account(session)
        with pytest.raises(InvalidInput, match="empty"):
            media.store_media(session, settings.media_dir, owner, b"", quotas=None)
        with pytest.raises(InvalidInput, match="unsupported"):
            media.store_media(
                session, settings.media_dir, owner, b"#!/bin/sh\nrm -rf /", quotas=None
            )
        with pytest.raises(NotFound):
            media.get_media(session, 424242, None)


def test_a_file_refused_by_the_locked_check_is_removed(
    database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is written between the early check and the locked one; an upload the second
    refuses (another of the member's uploads got in between) leaves no file behind."""
    limits = Quotas.from_settings(settings)

    def refuse_when_locked(*args: object, lock: bool = True) -> None:
        if lock:
            raise RateLimited("you have reached your limit of 60 uploads an hour", retry_after_s=9)

    monkeypatch.setattr(media, "check_upload", refuse_when_locked)
    with database.session() as session:
        owner = make_account(session)
    with database.new_session() as session, pytest.raises(RateLimited):
        media.store_media(session, settings.media_dir, owner, png_bytes(6, 6), quotas=limits)
    assert not [p for p in settings.media_dir.rglob("*") if p.is_file()]
