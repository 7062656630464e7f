"""The live catalog under concurrent requests (issue 16: found by the abuse benchmark)."""

from __future__ import annotations

import threading

from tests.utils.factories import make_account, make_post
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.feed.serving.live import LiveCatalog


def test_a_snapshot_waits_for_the_database_before_it_takes_the_catalogs_lock(
    database: Database,
) -> None:
    """On SQLite a transaction holds the write lock. A request that held it and then asked for a
    snapshot, while another request held the catalog's lock and waited for the database, stalled
    both until SQLite's busy timeout failed one."""
    with database.session() as session:
        post_id = make_post(session, make_account(session), "Kiln opens at nine.").id
    catalog = LiveCatalog(FakeEmbedder)
    holder = database.new_session()
    holder.connection()  # this request's transaction: on SQLite, the write lock
    other_done = threading.Event()

    def other_request() -> None:
        with database.new_session() as session:
            catalog.snapshot(session, None)
            session.commit()
        other_done.set()

    other = threading.Thread(target=other_request)
    other.start()
    other_done.wait(0.5)  # on SQLite it waits for the database here, not holding the lock
    try:
        snapshot = catalog.snapshot(holder, None)  # before the fix: waited 30 s, then failed
        holder.commit()
    finally:
        holder.close()
    assert snapshot.catalog.post_ids[-1] == post_id
    other.join(10)
    assert other_done.is_set()
