"""An agent's knowledge, for its owner: upload files, watch them index, sync posts, search."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from townsquare.ai.runtime import Models
from townsquare.api.deps import CurrentAccount
from townsquare.db.models import KnowledgeSource
from townsquare.errors import Conflict, InvalidInput
from townsquare.http import Cursor, IdPath, Limit, SessionDep, SettingsDep
from townsquare.presenters import PageOut
from townsquare.social.pagination import paginate
from townsquare.studio.agents import owned_agent
from townsquare.studio.knowledge import store
from townsquare.studio.knowledge.extract import MAX_FILE_BYTES, SUPPORTED
from townsquare.studio.knowledge.ingest import enqueue_file
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever
from townsquare.studio.knowledge.sync import sync_owner_posts
from townsquare.studio.knowledge.worker import IngestWorker
from townsquare.studio.spec import GROUNDED_KINDS

router = APIRouter(prefix="/agents/{handle}/knowledge", tags=["knowledge"])

MAX_QUERY = 1_000
MAX_K = 50


class SourcePublic(BaseModel):
    id: int
    kind: str = Field(description="post | file")
    title: str
    filename: str = Field(description="The uploaded file's name; empty for a post.")
    mime: str
    post_id: int | None
    status: str = Field(description="queued | indexing | ready | failed")
    progress_done: int = Field(description="Chunks indexed so far.")
    progress_total: int = Field(description="Chunks in all; 0 until the file has been read.")
    progress_percent: float
    chunk_count: int
    error: str = Field(description="Why indexing failed; empty otherwise.")
    indexed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class SyncResult(BaseModel):
    added: int
    updated: int
    removed: int


class SearchHit(BaseModel):
    chunk_id: int
    source_id: int
    source_kind: str
    title: str
    locator: str
    text: str
    url: str
    score: float = Field(description="Fused rank score (reciprocal rank fusion).")
    dense: float = Field(description="Cosine similarity of the query and the chunk.")
    lexical: float = Field(description="BM25 score of the chunk; 0 when no word is shared.")


def _public(source: KnowledgeSource, chunk_count: int) -> SourcePublic:
    if source.status == "ready":
        percent = 100.0
    elif source.progress_total:
        percent = round(100 * source.progress_done / source.progress_total, 1)
    else:
        percent = 0.0
    return SourcePublic(
        id=source.id,
        kind=source.kind,
        title=source.title,
        filename=source.filename,
        mime=source.mime,
        post_id=source.post_id,
        status=source.status,
        progress_done=source.progress_done,
        progress_total=source.progress_total,
        progress_percent=percent,
        chunk_count=chunk_count,
        error=source.error,
        indexed_at=source.indexed_at,
        created_at=source.created_at,
        updated_at=source.updated_at,
    )


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=SourcePublic)
def upload(
    handle: str,
    me: CurrentAccount,
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    file: UploadFile = File(description=f"{SUPPORTED}; at most {MAX_FILE_BYTES // 2**20} MiB."),
) -> SourcePublic:
    """Accepts a file for the agent to learn from and indexes it in the background: poll
    `GET .../knowledge/{source_id}` for progress. The file is stored before this answers;
    uploading the same file again returns its existing source."""
    agent = owned_agent(session, me, handle)
    data = file.file.read(MAX_FILE_BYTES + 1)  # one byte more tells "too large"
    source = enqueue_file(session, settings, agent, file.filename or "", data)
    session.commit()
    worker: IngestWorker = request.app.state.ingest_worker
    worker.wake()
    return _public(source, store.chunk_counts(session, [source.id]).get(source.id, 0))


@router.get("", response_model=PageOut[SourcePublic])
def list_sources(
    handle: str,
    me: CurrentAccount,
    session: SessionDep,
    cursor: Cursor = None,
    limit: Limit = 20,
    kind: Annotated[Literal["post", "file"] | None, Query(description="Only this kind.")] = None,
) -> PageOut[SourcePublic]:
    """The agent's sources, newest first: its owner's posts and the uploaded files."""
    agent = owned_agent(session, me, handle)
    query = select(KnowledgeSource).where(KnowledgeSource.agent_id == agent.id)
    if kind is not None:
        query = query.where(KnowledgeSource.kind == kind)
    page = paginate(session, query, KnowledgeSource.id, cursor=cursor, limit=limit)
    counts = store.chunk_counts(session, [source.id for source in page.items])
    return PageOut(
        items=[_public(source, counts.get(source.id, 0)) for source in page.items],
        next_cursor=page.next_cursor,
    )


@router.post("/sync", response_model=SyncResult)
def sync_posts(
    handle: str, me: CurrentAccount, session: SessionDep, request: Request
) -> SyncResult:
    """Brings the agent's knowledge of your posts up to date now (it also happens before
    every reply): new posts are learned, edited ones re-read, deleted ones forgotten."""
    agent = owned_agent(session, me, handle)
    if agent.kind not in GROUNDED_KINDS:
        raise InvalidInput(
            f"only creator and business agents learn from posts; @{handle} is a {agent.kind} agent"
        )
    models: Models = request.app.state.models
    report = sync_owner_posts(session, models.embedder, agent)
    session.commit()
    return SyncResult(added=report.added, updated=report.updated, removed=report.removed)


@router.get("/search", response_model=list[SearchHit])
def search(
    handle: str,
    me: CurrentAccount,
    session: SessionDep,
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="The question.")],
    k: Annotated[int, Query(ge=1, le=MAX_K, description="How many passages.")] = 5,
) -> list[SearchHit]:
    """What the agent would retrieve for a question, with the scores behind each passage:
    the owner's view for checking what the agent knows."""
    agent = owned_agent(session, me, handle)
    models: Models = request.app.state.models
    retriever = KnowledgeRetriever(session, models.embedder, agent.id)
    return [
        SearchHit(
            chunk_id=hit.passage.chunk_id,
            source_id=hit.passage.source_id,
            source_kind=hit.passage.source_kind,
            title=hit.passage.title,
            locator=hit.passage.locator,
            text=hit.passage.text,
            url=hit.passage.url,
            score=hit.passage.score,
            dense=hit.dense,
            lexical=hit.lexical,
        )
        for hit in retriever.search_scored(q, k)
    ]


@router.get("/{source_id}", response_model=SourcePublic)
def get_source(
    handle: str, source_id: IdPath, me: CurrentAccount, session: SessionDep
) -> SourcePublic:
    """One source: its status, indexing progress, error and chunk count."""
    source = store.get_source(session, owned_agent(session, me, handle), source_id)
    return _public(source, store.chunk_counts(session, [source.id]).get(source.id, 0))


@router.delete("/{source_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def delete_source(
    handle: str, source_id: IdPath, me: CurrentAccount, session: SessionDep, settings: SettingsDep
) -> Response:
    """Forgets an uploaded file: its passages are never retrieved or cited again, and the
    stored file is removed. A post is forgotten by deleting the post."""
    agent = owned_agent(session, me, handle)
    source = store.get_source(session, agent, source_id)
    if source.kind == "post":
        raise Conflict(f"source {source_id} is your post {source.post_id}; delete the post instead")
    digest = source.content_sha256
    store.delete_sources(session, [source])
    store.bump_version(session, agent.id)
    session.commit()
    store.purge_upload(session, settings, digest)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
