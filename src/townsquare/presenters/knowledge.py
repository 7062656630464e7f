"""An agent's knowledge sources and search hits, as their owner sees them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from townsquare.db.models import KnowledgeSource

if TYPE_CHECKING:
    from townsquare.studio.knowledge.retrieval import ScoredPassage


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


def source_public(source: KnowledgeSource, chunk_count: int) -> SourcePublic:
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


def search_hit(hit: ScoredPassage) -> SearchHit:
    return SearchHit(
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
