import pytest

from tests.utils.factories import make_account, png_bytes
from townsquare.db import Database
from townsquare.errors import InvalidInput, NotFound
from townsquare.settings import Settings
from townsquare.social import media


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
