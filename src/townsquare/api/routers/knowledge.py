"""An agent's knowledge, for its owner: upload files, watch them index, sync posts, search."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status
from pydantic import BaseModel

from townsquare.ai.runtime import Models
from townsquare.api.deps import CurrentAccount
from townsquare.http import Cursor, IdPath, Limit, SessionDep, SettingsDep
from townsquare.presenters import PageOut, page_out
from townsquare.presenters.knowledge import SearchHit, SourcePublic, search_hit, source_public
from townsquare.studio.knowledge import sources, store
from townsquare.studio.knowledge.extract import MAX_FILE_BYTES, SUPPORTED
from townsquare.studio.knowledge.worker import IngestWorker

router = APIRouter(prefix="/agents/{handle}/knowledge", tags=["knowledge"])

MAX_QUERY = 1_000
MAX_K = 50


class SyncResult(BaseModel):
    added: int
    updated: int
    removed: int


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=SourcePublic,
)
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
    added = sources.add_file(
        session,
        settings,
        me,
        handle,
        filename=file.filename or "",
        data=file.file.read(MAX_FILE_BYTES + 1),  # one byte more tells "too large"
    )
    session.commit()
    worker: IngestWorker = request.app.state.ingest_worker
    worker.wake()
    return source_public(added.source, added.chunk_count)


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
    page = sources.list_sources(session, me, handle, kind=kind, cursor=cursor, limit=limit)
    return page_out(page, lambda row: source_public(row.source, row.chunk_count))


@router.post("/sync", response_model=SyncResult)
def sync_posts(
    handle: str, me: CurrentAccount, session: SessionDep, request: Request
) -> SyncResult:
    """Brings the agent's knowledge of your posts up to date now (it also happens before
    every reply): new posts are learned, edited ones re-read, deleted ones forgotten."""
    models: Models = request.app.state.models
    report = sources.sync_posts(session, me, handle, models)
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
    models: Models = request.app.state.models
    return [search_hit(hit) for hit in sources.search(session, me, handle, models, q, k)]


@router.get("/{source_id:int}", response_model=SourcePublic)
def get_source(
    handle: str, source_id: IdPath, me: CurrentAccount, session: SessionDep
) -> SourcePublic:
    """One source: its status, indexing progress, error and chunk count."""
    found = sources.get_source(session, me, handle, source_id)
    return source_public(found.source, found.chunk_count)


@router.delete("/{source_id:int}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def delete_source(
    handle: str, source_id: IdPath, me: CurrentAccount, session: SessionDep, settings: SettingsDep
) -> Response:
    """Forgets an uploaded file: its passages are never retrieved or cited again, and the
    stored file is removed. A post is forgotten by deleting the post."""
    digest = sources.forget_file(session, me, handle, source_id)
    session.commit()
    store.purge_upload(session, settings, digest)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
