"""An agent's knowledge as its owner manages it: add a file, list and read sources, learn the
owner's posts now, search, forget a file. Each function takes the owner and the agent's handle,
checks the owner's right, and leaves the commit to the caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ai.runtime import Models
from townsquare.db import reading_first
from townsquare.db.models import Account, KnowledgeSource
from townsquare.errors import Conflict, InvalidInput
from townsquare.settings import Settings
from townsquare.social.pagination import Page, paginate
from townsquare.social.quotas import Quotas, check_ingest, check_upload, hold_ingest
from townsquare.studio.agents import owned_agent
from townsquare.studio.knowledge import store
from townsquare.studio.knowledge.ingest import queue_file, store_file
from townsquare.studio.knowledge.isolation import Limits, held_seconds
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever, ScoredPassage
from townsquare.studio.knowledge.sync import SyncReport, sync_owner_posts
from townsquare.studio.spec import GROUNDED_KINDS


@dataclass(frozen=True)
class CountedSource:
    source: KnowledgeSource
    chunk_count: int


def add_file(
    session: Session, settings: Settings, owner: Account, handle: str, *, filename: str, data: bytes
) -> CountedSource:
    """Stores an upload and queues it for the ingest worker (wake it after committing), charging
    the owner what it may cost until it is read (``isolation.held_seconds``,
    ``quotas.hold_ingest``); the same file again gives
    back its existing source. The file is written before the first statement
    of the transaction, so no lock is held while it is; a refused upload leaves no new file.
    Someone else's agent is refused as such even when the file is bad too. The agent and the
    quotas are checked first in a transaction that only reads (``social.quotas``), so that a
    refused upload neither writes its file nor begins a write; then again, locked."""
    limits = Quotas.from_settings(settings)
    with reading_first(session):
        owned_agent(session, owner, handle)
        check_upload(session, owner, limits, len(data), lock=False)
        check_ingest(session, owner, limits, lock=False)
    try:
        stored = store_file(settings, filename, data)
    except InvalidInput:
        owned_agent(session, owner, handle)  # a stranger learns nothing of the file's checks
        raise
    try:
        agent = owned_agent(session, owner, handle)
        check_upload(session, owner, limits, stored.size_bytes)
        check_ingest(session, owner, limits)
        source = queue_file(session, agent, stored)
        if source.status == "queued":
            held = held_seconds(filename, data, Limits.from_settings(settings))
            hold_ingest(session, owner, source.id, held)
    except BaseException:
        if stored.written:
            store.discard_upload(settings, stored.sha256)
        raise
    return _counted(session, source)


def list_sources(
    session: Session,
    owner: Account,
    handle: str,
    *,
    kind: Literal["post", "file"] | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> Page[CountedSource]:
    """The agent's sources, newest first: its owner's posts and the uploaded files."""
    agent = owned_agent(session, owner, handle)
    query = select(KnowledgeSource).where(KnowledgeSource.agent_id == agent.id)
    if kind is not None:
        query = query.where(KnowledgeSource.kind == kind)
    page = paginate(session, query, KnowledgeSource.id, cursor=cursor, limit=limit)
    counts = store.chunk_counts(session, [source.id for source in page.items])
    return Page(
        items=[CountedSource(source, counts.get(source.id, 0)) for source in page.items],
        next_cursor=page.next_cursor,
    )


def get_source(session: Session, owner: Account, handle: str, source_id: int) -> CountedSource:
    return _counted(
        session, store.get_source(session, owned_agent(session, owner, handle), source_id)
    )


def sync_posts(session: Session, owner: Account, handle: str, models: Models) -> SyncReport:
    """Brings the agent's knowledge of its owner's posts up to date now. The embedder is loaded
    only once the owner's right and the agent's kind are checked."""
    agent = owned_agent(session, owner, handle)
    if agent.kind not in GROUNDED_KINDS:
        raise InvalidInput(
            f"only creator and business agents learn from posts; @{handle} is a {agent.kind} agent"
        )
    return sync_owner_posts(session, models.embedder, agent)


def search(
    session: Session, owner: Account, handle: str, models: Models, query: str, k: int
) -> list[ScoredPassage]:
    """What the agent would retrieve for ``query``, with the scores behind each passage."""
    agent = owned_agent(session, owner, handle)
    retriever = KnowledgeRetriever(session, models.embedder, agent.id, cross=models.cross_embedder)
    return retriever.search_scored(query, k)


def forget_file(session: Session, owner: Account, handle: str, source_id: int) -> str:
    """Deletes an uploaded file's source and passages; returns the file's digest, for
    ``store.purge_upload`` once the caller has committed. A post is forgotten by deleting it."""
    agent = owned_agent(session, owner, handle)
    source = store.get_source(session, agent, source_id)
    if source.kind == "post":
        raise Conflict(f"source {source_id} is your post {source.post_id}; delete the post instead")
    digest = source.content_sha256
    store.delete_sources(session, [source])
    store.bump_version(session, agent.id)
    return digest


def _counted(session: Session, source: KnowledgeSource) -> CountedSource:
    return CountedSource(source, store.chunk_counts(session, [source.id]).get(source.id, 0))
