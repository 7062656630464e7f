from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from tests.studio.knowledge.conftest import creator_agent
from tests.studio.knowledge.documents import faq_bytes, hostile_pdf
from townsquare.ai.embeddings import Side
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.db.models import Agent, KnowledgeChunk, KnowledgeSource
from townsquare.db.types import utcnow
from townsquare.errors import InvalidInput
from townsquare.settings import Settings
from townsquare.studio.knowledge import ingest, store
from townsquare.studio.knowledge.cache import IndexCache
from townsquare.studio.knowledge.ingest import enqueue_file, ingest_source_now
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever
from townsquare.studio.knowledge.worker import IngestWorker

pytestmark = pytest.mark.postgres

# 150 questions: 150 chunks, embedded in batches of 64, 64 and 22.
BIG_FAQ = faq_bytes(
    [(f"What is glaze number {n}?", f"Glaze {n} is a celadon.") for n in range(150)]
)
BROKEN_PDF = b"%PDF-1.4 this is not really a pdf"


class Crash(BaseException):
    """Stands for the process dying: nothing gets to record a failure."""


class ScriptedEmbedder(FakeEmbedder):
    """The fake embedder, slowed down per call and crashing on a chosen call."""

    def __init__(self, *, delay: float = 0.0, crash_on_call: int | None = None) -> None:
        super().__init__()
        self.delay = delay
        self.crash_on_call = crash_on_call

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        if len(self.calls) == self.crash_on_call:
            raise Crash
        time.sleep(self.delay)
        return super().embed(texts, side)


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def read(database: Database, source_id: int) -> KnowledgeSource | None:
    with database.new_session() as session:
        return session.get(KnowledgeSource, source_id)


def ordinals(database: Database, source_id: int) -> list[int]:
    with database.new_session() as session:
        return list(
            session.scalars(
                select(KnowledgeChunk.ordinal)
                .where(KnowledgeChunk.source_id == source_id)
                .order_by(KnowledgeChunk.ordinal)
            )
        )


def upload(database: Database, settings: Settings, name: str, data: bytes) -> tuple[int, int]:
    """(agent id, source id) of a new creator agent with ``data`` queued."""
    with database.session() as session:
        _, agent = creator_agent(session)
        return agent.id, enqueue_file(session, settings, agent, name, data).id


def test_an_upload_is_stored_durably_and_queued_once(
    database: Database, settings: Settings
) -> None:
    data = faq_bytes([("Open on Sundays?", "No, Monday to Saturday.")])
    with database.session() as session:
        _, agent = creator_agent(session)
        _, other = creator_agent(session)
        source = enqueue_file(session, settings, agent, "C:\\docs\\faq.json", data)
        assert (source.status, source.filename, source.mime) == (
            "queued",
            "faq.json",
            "application/json",
        )
        digest = hashlib.sha256(data).hexdigest()
        assert (settings.data_dir / "knowledge" / digest).read_bytes() == data
        assert enqueue_file(session, settings, agent, "faq-copy.json", data).id == source.id
        assert enqueue_file(session, settings, other, "faq.json", data).id != source.id


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("slides.key", b"...", "'.key' is not supported"),
        ("notes.txt", b"", "notes.txt is empty"),
        ("", b"text", "needs a name that ends in its type"),
        ("../", b"text", "needs a name that ends in its type"),
    ],
)
def test_a_bad_upload_is_refused_before_anything_is_stored(
    database: Database, settings: Settings, name: str, data: bytes, message: str
) -> None:
    with database.session() as session:
        _, agent = creator_agent(session)
        with pytest.raises(InvalidInput, match=message):
            enqueue_file(session, settings, agent, name, data)
    assert not (settings.data_dir / "knowledge").exists()


def test_ingest_reports_progress_batch_by_batch_and_makes_the_source_ready(
    database: Database, settings: Settings
) -> None:
    agent_id, source_id = upload(database, settings, "faq.json", BIG_FAQ)
    progress: list[tuple[int, int]] = []
    source = ingest_source_now(
        database,
        FakeEmbedder(),
        source_id,
        settings=settings,
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert progress == [(0, 150), (64, 150), (128, 150), (150, 150)]
    assert (source.status, source.progress_done, source.progress_total) == ("ready", 150, 150)
    assert source.indexed_at is not None and source.error == ""
    assert ordinals(database, source_id) == list(range(150))
    with database.new_session() as session:
        assert session.get_one(Agent, agent_id).knowledge_version == 1


def test_a_cross_embedder_embeds_every_chunk_before_the_source_is_ready(
    database: Database, settings: Settings
) -> None:
    _, source_id = upload(database, settings, "faq.json", BIG_FAQ)
    cross = FakeEmbedder(dimension=8, name="multi")
    source = ingest_source_now(database, FakeEmbedder(), source_id, settings=settings, cross=cross)
    assert source.status == "ready"
    with database.new_session() as session:
        made_by = session.scalars(
            select(KnowledgeChunk.cross_embedder).where(KnowledgeChunk.source_id == source_id)
        ).all()
    assert made_by == ["multi"] * 150
    assert [len(call) for call in cross.calls] == [64, 64, 22]


def test_a_file_that_cannot_be_read_fails_with_its_reason_and_a_re_upload_retries(
    database: Database, settings: Settings
) -> None:
    _, source_id = upload(database, settings, "manual.pdf", BROKEN_PDF)
    with pytest.raises(InvalidInput, match=r"manual\.pdf could not be read as a PDF"):
        ingest_source_now(database, FakeEmbedder(), source_id, settings=settings)
    failed = read(database, source_id)
    assert failed is not None and failed.status == "failed"
    assert failed.error.startswith("manual.pdf could not be read as a PDF")
    with pytest.raises(InvalidInput, match="could not be read"):  # asking again: same answer
        ingest_source_now(database, FakeEmbedder(), source_id, settings=settings)
    with database.session() as session:
        agent = session.get_one(Agent, failed.agent_id)
        again = enqueue_file(session, settings, agent, "manual.pdf", BROKEN_PDF)
        assert (again.id, again.status, again.error) == (source_id, "queued", "")


def test_a_hostile_pdf_fails_its_source_within_the_time_limit(
    database: Database, settings: Settings
) -> None:
    bounded = settings.model_copy(update={"knowledge_extract_timeout_s": 2.0})
    _, source_id = upload(database, bounded, "hostile.pdf", hostile_pdf())
    started = time.monotonic()
    with pytest.raises(InvalidInput, match=r"^hostile\.pdf took longer than 2 s to read"):
        ingest_source_now(database, FakeEmbedder(), source_id, settings=bounded)
    assert time.monotonic() - started < 5.0
    failed = read(database, source_id)
    assert failed is not None and failed.status == "failed"
    assert failed.error == (
        "hostile.pdf took longer than 2 s to read (the limit); "
        "split it into smaller files or upload its text as .txt"
    )


def test_a_file_missing_from_disk_fails_the_source(database: Database, settings: Settings) -> None:
    _, source_id = upload(database, settings, "notes.txt", b"Kiln notes.")
    (store.knowledge_dir(settings) / hashlib.sha256(b"Kiln notes.").hexdigest()).unlink()
    with pytest.raises(InvalidInput, match="missing from the data directory"):
        ingest_source_now(database, FakeEmbedder(), source_id, settings=settings)


def test_an_embedder_failure_is_recorded_on_the_source(
    database: Database, settings: Settings
) -> None:
    class Broken(FakeEmbedder):
        def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
            raise RuntimeError("the embedding server is down")

    _, source_id = upload(database, settings, "notes.txt", b"Kiln notes.")
    with pytest.raises(RuntimeError):
        ingest_source_now(database, Broken(), source_id, settings=settings)
    failed = read(database, source_id)
    assert failed is not None
    assert (failed.status, failed.error) == (
        "failed",
        "indexing failed: the embedding server is down",
    )


def test_a_database_busy_for_a_moment_requeues_the_source_and_it_resumes(
    database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's write lock held past its wait (a loaded machine) fails no file: the source goes
    back to the queue, keeps its committed batches and is finished by the next run."""
    _, source_id = upload(database, settings, "faq.json", BIG_FAQ)
    commit_batch = ingest._commit_batch
    calls: list[int] = []

    def locked_on_the_third(*args: Any, **kwargs: Any) -> bool:
        calls.append(1)
        if len(calls) == 3:
            raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
        return commit_batch(*args, **kwargs)

    monkeypatch.setattr(ingest, "_commit_batch", locked_on_the_third)
    with pytest.raises(OperationalError):
        ingest_source_now(database, FakeEmbedder(), source_id, settings=settings)
    queued = read(database, source_id)
    assert queued is not None and (queued.status, queued.error) == ("queued", "")
    assert 0 < len(ordinals(database, source_id)) < 150
    done = ingest_source_now(database, FakeEmbedder(), source_id, settings=settings)
    assert done.status == "ready" and ordinals(database, source_id) == list(range(150))


def test_a_ready_source_is_not_indexed_twice(database: Database, settings: Settings) -> None:
    _, source_id = upload(database, settings, "notes.txt", b"Kiln notes.")
    ingest_source_now(database, FakeEmbedder(), source_id, settings=settings)
    embedder = FakeEmbedder()
    progress: list[tuple[int, int]] = []
    again = ingest_source_now(
        database,
        embedder,
        source_id,
        settings=settings,
        on_progress=lambda d, t: progress.append((d, t)),
    )
    assert again.status == "ready" and progress == [(1, 1)] and embedder.calls == []


def test_a_crashed_ingest_stays_invisible_then_resumes_after_its_last_batch(
    database: Database, settings: Settings
) -> None:
    agent_id, source_id = upload(database, settings, "faq.json", BIG_FAQ)
    with pytest.raises(Crash):
        ingest_source_now(database, ScriptedEmbedder(crash_on_call=1), source_id, settings=settings)
    halfway = read(database, source_id)
    assert halfway is not None
    assert (halfway.status, halfway.progress_done, halfway.progress_total) == ("indexing", 64, 150)
    assert ordinals(database, source_id) == list(range(64))
    retriever = KnowledgeRetriever(database, FakeEmbedder(), agent_id, cache=IndexCache())
    assert retriever.search("glaze number 3", 5) == []  # half a file is never searched

    embedder = FakeEmbedder()
    worker = IngestWorker(
        database, embedder, settings, poll_interval=0.05, stale_after=timedelta(0)
    )
    worker.start()
    try:
        wait_for(lambda: getattr(read(database, source_id), "status", None) == "ready")
    finally:
        worker.stop()
    assert sum(len(call) for call in embedder.calls) == 150 - 64
    assert ordinals(database, source_id) == list(range(150))
    assert retriever.search("glaze number 3", 1)[0].locator == "What is glaze number 3?"


def test_an_indexing_source_with_a_live_holder_is_left_alone(
    database: Database, settings: Settings
) -> None:
    _, source_id = upload(database, settings, "notes.txt", b"Kiln notes.")
    with database.session() as session:  # another process claimed it a moment ago
        session.execute(
            update(KnowledgeSource)
            .where(KnowledgeSource.id == source_id)
            .values(status="indexing", updated_at=utcnow())
        )
    worker = IngestWorker(database, FakeEmbedder(), settings, poll_interval=0.02)
    worker.start()
    time.sleep(0.3)
    worker.stop()
    source = read(database, source_id)
    assert (
        source is not None and source.status == "indexing" and ordinals(database, source_id) == []
    )


def test_the_worker_indexes_queued_files_and_carries_on_past_a_bad_one(
    database: Database, settings: Settings
) -> None:
    _, broken_id = upload(database, settings, "manual.pdf", BROKEN_PDF)
    _, good_id = upload(database, settings, "faq.json", BIG_FAQ)
    worker = IngestWorker(database, FakeEmbedder(), settings, poll_interval=60)
    worker.start()
    worker.wake()
    try:
        wait_for(lambda: getattr(read(database, good_id), "status", None) == "ready")
    finally:
        worker.stop()
    broken = read(database, broken_id)
    assert broken is not None and broken.status == "failed"
    with pytest.raises(RuntimeError, match="already running"):
        worker.start()
        worker.start()
    worker.stop()


def test_stopping_mid_file_requeues_it_and_the_next_worker_finishes_it(
    database: Database, settings: Settings
) -> None:
    _, source_id = upload(database, settings, "faq.json", BIG_FAQ)
    worker = IngestWorker(database, ScriptedEmbedder(delay=0.3), settings, poll_interval=0.02)
    worker.start()
    wait_for(lambda: getattr(read(database, source_id), "progress_done", 0) >= 64)
    worker.stop()
    paused = read(database, source_id)
    assert paused is not None and paused.status == "queued"
    assert 64 <= paused.progress_done < 150
    done = ingest_source_now(database, FakeEmbedder(), source_id, settings=settings)
    assert done.status == "ready" and ordinals(database, source_id) == list(range(150))


def test_deleting_a_source_while_it_is_indexed_leaves_nothing_behind(
    database: Database, settings: Settings
) -> None:
    _, source_id = upload(database, settings, "faq.json", BIG_FAQ)
    _, next_id = upload(database, settings, "notes.txt", b"Kiln notes.")  # queued behind it
    worker = IngestWorker(database, ScriptedEmbedder(delay=0.2), settings, poll_interval=0.02)
    worker.start()
    try:
        wait_for(lambda: getattr(read(database, source_id), "progress_done", 0) >= 64)
        with database.session() as session:
            store.delete_sources(session, [session.get_one(KnowledgeSource, source_id)])
        wait_for(lambda: getattr(read(database, next_id), "status", None) == "ready")
    finally:
        worker.stop()
    assert read(database, source_id) is None and ordinals(database, source_id) == []
