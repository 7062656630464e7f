"""The owner's knowledge operations: add, list, read, sync, search, forget."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.studio.knowledge.conftest import creator_agent
from tests.studio.knowledge.documents import faq_bytes
from tests.utils.concurrency import repeat_together
from tests.utils.factories import make_account, make_agent, make_post
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Account, Agent
from townsquare.errors import Conflict, Forbidden, InvalidInput
from townsquare.settings import Settings
from townsquare.studio.knowledge import sources, store
from townsquare.studio.knowledge.sync import SyncReport

pytestmark = pytest.mark.postgres

FAQ = faq_bytes([("When is the studio open?", "Saturdays from ten.")])


def test_a_file_is_added_listed_read_and_forgotten(database: Database, settings: Settings) -> None:
    with database.session() as session:
        owner, agent = creator_agent(session, handle="potter_files")
        added = sources.add_file(
            session, settings, owner, "potter_files", filename="faq.json", data=FAQ
        )
        assert (added.source.kind, added.source.status, added.chunk_count) == ("file", "queued", 0)
        again = sources.add_file(
            session, settings, owner, "potter_files", filename="faq.json", data=FAQ
        )
        assert again.source.id == added.source.id
        page = sources.list_sources(session, owner, "potter_files", kind="file")
        assert [row.source.id for row in page.items] == [added.source.id]
        assert sources.list_sources(session, owner, "potter_files", kind="post").items == []
        found = sources.get_source(session, owner, "potter_files", added.source.id)
        assert found.source.filename == "faq.json"
        version = agent.knowledge_version
        digest = sources.forget_file(session, owner, "potter_files", added.source.id)
        assert digest == added.source.content_sha256
        assert sources.list_sources(session, owner, "potter_files").items == []
        session.refresh(agent)
        assert agent.knowledge_version == version + 1
    with database.session() as session:
        store.purge_upload(session, settings, digest)
    assert store.read_upload(settings, digest) is None


def test_a_post_is_forgotten_by_deleting_it_not_as_a_source(
    database: Database, models: Models
) -> None:
    with database.session() as session:
        owner, _ = creator_agent(session, handle="potter_posts")
        post = make_post(session, owner, "The kiln fires at 1200 degrees.")
        report = sources.sync_posts(session, owner, "potter_posts", models)
        assert report == SyncReport(added=1)
        (row,) = sources.list_sources(session, owner, "potter_posts").items
        with pytest.raises(Conflict, match=f"is your post {post.id}; delete the post instead$"):
            sources.forget_file(session, owner, "potter_posts", row.source.id)


def test_only_grounded_agents_learn_from_posts(database: Database, settings: Settings) -> None:
    unloadable = Models(settings)  # the embedder is never loaded: the agent's kind is checked first
    with database.session() as session:
        owner = make_account(session)
        make_agent(session, owner, handle="pip_plays", kind="character")
        with pytest.raises(
            InvalidInput,
            match=r"^only creator and business agents learn from posts; "
            r"@pip_plays is a character agent$",
        ):
            sources.sync_posts(session, owner, "pip_plays", unloadable)


def test_only_the_owner_manages_an_agents_knowledge(database: Database, settings: Settings) -> None:
    with database.session() as session:
        _, _ = creator_agent(session, handle="potter_private")
        stranger = make_account(session)
        with pytest.raises(Forbidden, match="is not your agent"):
            sources.list_sources(session, stranger, "potter_private")
        with pytest.raises(Forbidden, match="is not your agent"):
            sources.add_file(
                session, settings, stranger, "potter_private", filename="faq.json", data=FAQ
            )


def test_no_transaction_is_open_while_an_upload_is_written(
    database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with database.session() as session:
        owner, agent = creator_agent(session, handle="potter_lock")
        owner_id, agent_id = owner.id, agent.id
    save_upload = store.save_upload
    other_writer_done = threading.Event()

    def another_writer() -> None:
        # Locks the agent's row and writes: blocked if the upload held either lock.
        with database.session() as other:
            other.execute(select(Agent.id).where(Agent.id == agent_id).with_for_update())
            make_account(other)
        other_writer_done.set()

    def save_while_another_writer_commits(*args: Any) -> Any:
        writer = threading.Thread(target=another_writer, daemon=True)
        writer.start()
        writer.join(timeout=3.0)
        assert other_writer_done.is_set(), "the upload held the write lock while writing"
        return save_upload(*args)

    monkeypatch.setattr(store, "save_upload", save_while_another_writer_commits)
    with database.new_session() as session:
        owner = session.get_one(Account, owner_id)
        session.commit()  # as the API does after signing the request in
        added = sources.add_file(
            session, settings, owner, "potter_lock", filename="faq.json", data=FAQ
        )
        session.commit()
    assert added.source.status == "queued"
    assert other_writer_done.is_set()


def test_a_refused_upload_leaves_no_file_behind(database: Database, settings: Settings) -> None:
    with database.session() as session:
        creator_agent(session, handle="potter_mine")
        stranger = make_account(session)
        with pytest.raises(Forbidden):
            sources.add_file(
                session, settings, stranger, "potter_mine", filename="faq.json", data=FAQ
            )
    assert not store.knowledge_dir(settings).exists() or not any(
        store.knowledge_dir(settings).iterdir()
    )


def test_one_file_uploaded_twice_at_once_is_one_source(
    database: Database, settings: Settings
) -> None:
    def prepare(session: Session) -> tuple[int, str]:
        owner, agent = creator_agent(session)
        return owner.id, session.get_one(Account, agent.account_id).handle

    def upload(session: Session, ids: tuple[int, str]) -> int:
        owner = session.get_one(Account, ids[0])
        data = FAQ + ids[1].encode()  # new bytes each round: none is stored yet
        return sources.add_file(
            session, settings, owner, ids[1], filename="faq.json", data=data
        ).source.id

    def check(session: Session, ids: tuple[int, str], results: list[object]) -> None:
        assert all(isinstance(r, int) for r in results) and len(set(results)) == 1, results
        owner = session.get_one(Account, ids[0])
        assert len(sources.list_sources(session, owner, ids[1]).items) == 1

    repeat_together(database, prepare, upload, check, rounds=10)
