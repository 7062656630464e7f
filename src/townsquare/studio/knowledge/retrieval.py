"""Retrieval over one agent's knowledge: the ``Retriever`` the reply pipeline calls.

Two backends answer it with the same fusion. On PostgreSQL with pgvector, both lists are
queries (``pgindex``) and no process keeps an index; elsewhere (SQLite, or PostgreSQL without
the extension) the agent's chunks are indexed in memory (``HybridIndex``) and cached.

Only chunks of ``ready`` sources are indexed, so a file half-way through ingestion is invisible
until all of it is in. The index is cached per (agent, knowledge version); a post deleted since
the last sync is filtered out at query time as well, so it is never cited, even before the
sync that removes it runs.

A question in a language the embedder does not read (``ai.embeddings.for_question``) is
searched with the cross-language embedder against its own vectors of the chunks
(``cross_embedding``), in memory on either database; chunks that have none yet are embedded
first (a post synced since, knowledge from before the cross embedder was configured).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal, TypeVar, cast

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Engine, Select, select
from sqlalchemy.orm import Session

from townsquare.ai.embeddings import Embedder, for_question
from townsquare.ai.languages import detect_language
from townsquare.db import Database
from townsquare.db.models import Account, Agent, KnowledgeChunk, KnowledgeSource, Post
from townsquare.db.search import has_dense
from townsquare.studio.knowledge import pgindex
from townsquare.studio.knowledge.cache import IndexCache
from townsquare.studio.knowledge.chunking import searchable_text
from townsquare.studio.knowledge.index import CANDIDATES, Hit, HybridIndex, fuse, lexical_weight
from townsquare.studio.knowledge.passages import Passage
from townsquare.studio.knowledge.reembed import Slot, reembed

log = logging.getLogger(__name__)
T = TypeVar("T")
# Where an agent's chunks are searched: "auto" is PostgreSQL where it keeps pgvector
# embeddings, memory otherwise.
Backend = Literal["auto", "memory", "postgres"]


@dataclass(frozen=True)
class ScoredPassage:
    """A passage with the raw evidence behind its rank, for judging relevance."""

    passage: Passage
    dense: float  # cosine of the question and the chunk, in [-1, 1]
    lexical: float  # BM25 of the chunk for the question; 0 when no word is shared


class AgentKnowledge:
    """An agent's searchable chunks at one knowledge version: the index and the chunk id of
    each of its rows, all in numpy arrays. What a passage shows is read per search, for the
    few chunks it returns: kept here, every chunk's text and Python objects would take more
    memory than the index itself (1,000,000 chunks: ~2 GB more per process)."""

    def __init__(self, chunk_ids: NDArray[np.int64], index: HybridIndex) -> None:
        self.chunk_ids = chunk_ids  # (N,), the chunk of each index row
        self.index = index

    def __len__(self) -> int:
        return len(self.chunk_ids)


# One cache per database engine and slot: agent ids and versions only mean something within
# one database, and a test suite opens a fresh one (with reused ids) for every test.
_CACHES: weakref.WeakKeyDictionary[Engine, dict[Slot, IndexCache[AgentKnowledge]]] = (
    weakref.WeakKeyDictionary()
)
_CACHES_LOCK = threading.Lock()
READ_BATCH = 2_000  # chunks fetched at a time while an index is built


def shared_cache(engine: Engine, slot: Slot = "primary") -> IndexCache[AgentKnowledge]:
    with _CACHES_LOCK:
        caches = _CACHES.setdefault(engine, {})
        cache = caches.get(slot)
        if cache is None:
            cache = caches[slot] = IndexCache()
        return cache


def _visible(agent_id: int, *columns: Any) -> Select[Any]:
    """``columns`` of the agent's chunks of ready sources, deleted posts left out."""
    return (
        select(*columns)
        .select_from(KnowledgeChunk)
        .join(KnowledgeSource, KnowledgeSource.id == KnowledgeChunk.source_id)
        .outerjoin(Post, Post.id == KnowledgeSource.post_id)
        .where(
            KnowledgeChunk.agent_id == agent_id,
            KnowledgeSource.status == "ready",
            Post.deleted_at.is_(None),
        )
    )


def _read_chunks(
    session: Session, agent_id: int, embedder: Embedder, slot: Slot
) -> tuple[NDArray[np.int64], list[str], NDArray[np.float32]]:
    """The agent's visible chunks, streamed: their ids, the text to index for each, and their
    stored embeddings in ``slot`` as one (N, D) matrix. A chunk another model embedded (the
    embedder was changed under an existing index, and ``reembed`` has not reached it yet) gets
    a zero row, since vectors of two models are never compared: lexical search still finds it.
    """
    statement = _visible(
        agent_id,
        KnowledgeChunk.id,
        KnowledgeChunk.text,
        KnowledgeChunk.locator,
        KnowledgeChunk.embedding if slot == "primary" else KnowledgeChunk.cross_embedding,
        KnowledgeChunk.embedder if slot == "primary" else KnowledgeChunk.cross_embedder,
    ).order_by(KnowledgeChunk.id)
    expected = embedder.dimension * 4  # a server behind one model name may change models
    nothing = bytes(expected)
    ids: list[int] = []
    texts: list[str] = []
    matrix = bytearray()  # grown in place: no list of a million small buffers to join
    stale = 0
    rows = session.execute(statement.execution_options(yield_per=READ_BATCH))
    for chunk_id, text, locator, blob, made_by in rows:
        ids.append(chunk_id)
        texts.append(searchable_text(text, locator))
        if made_by == embedder.name and blob is not None and len(blob) == expected:
            matrix += blob
        else:
            matrix += nothing
            stale += 1
    if stale:
        log.warning(
            "agent %d: %d chunks were embedded with another model; they are found by their "
            "words only until the ingest worker (or `townsquare agent reembed`) embeds them "
            "again",
            agent_id,
            stale,
        )
    vectors = np.frombuffer(matrix, dtype=np.float32).reshape(len(ids), embedder.dimension)
    return np.array(ids, dtype=np.int64), texts, vectors  # (N,), N texts, (N, D)


def _passages(session: Session, agent_id: int, chunk_ids: list[int]) -> dict[int, Passage]:
    """The passages of those of ``chunk_ids`` still visible, by chunk id: one statement."""
    statement = _visible(
        agent_id,
        KnowledgeChunk.id,
        KnowledgeChunk.source_id,
        KnowledgeChunk.text,
        KnowledgeChunk.locator,
        KnowledgeChunk.dated,
        Post.created_at,
        KnowledgeSource.kind,
        KnowledgeSource.title,
        KnowledgeSource.post_id,
        Account.handle,
    )
    statement = (
        statement.join(Agent, Agent.id == KnowledgeChunk.agent_id)
        .join(Account, Account.id == Agent.account_id)
        .where(KnowledgeChunk.id.in_(chunk_ids))
    )
    return {row[0]: _passage(pgindex.Chunk(*row)) for row in session.execute(statement)}


def _passage(chunk: pgindex.Chunk) -> Passage:
    url = (
        f"/posts/{chunk.post_id}"
        if chunk.post_id is not None
        else f"/agents/{chunk.handle}/passages/{chunk.chunk_id}"
    )
    # Undated by its text: the post's date; an undated file stays undated (older than any
    # dated source: its upload's date says when it was uploaded, not when it was written).
    when = chunk.dated or (chunk.posted.date() if chunk.posted else None)
    return Passage(
        chunk.chunk_id,
        chunk.source_id,
        chunk.kind,
        chunk.title,
        chunk.locator,
        chunk.text,
        0.0,
        url,
        when,
    )


class KnowledgeRetriever:
    """Searches one agent's knowledge (the ``Retriever`` protocol). Give it a ``Database``
    to open a short session per search, or a ``Session`` to search inside the caller's.
    Indexes are shared through the engine's cache unless a ``cache`` is given (for the
    embedder's; the ``cross`` embedder's are always the engine's)."""

    def __init__(
        self,
        store: Database | Session,
        embedder: Embedder,
        agent_id: int,
        *,
        cross: Embedder | None = None,
        cache: IndexCache[AgentKnowledge] | None = None,
        backend: Backend = "auto",
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.cross = cross
        self.agent_id = agent_id
        bind = store.get_bind() if isinstance(store, Session) else store.engine
        engine = bind if isinstance(bind, Engine) else bind.engine
        self.caches: dict[Slot, IndexCache[AgentKnowledge]] = {
            "primary": cache if cache is not None else shared_cache(engine),
            "cross": shared_cache(engine, "cross"),
        }
        if backend == "postgres" and not has_dense(engine):
            raise ValueError("this database has no pgvector embeddings to search")
        self.in_database = backend == "postgres" or (backend == "auto" and has_dense(engine))

    def search(self, query: str, k: int) -> list[Passage]:
        return [scored.passage for scored in self.search_scored(query, k)]

    def search_scored(self, query: str, k: int) -> list[ScoredPassage]:
        """The best ``k`` passages with their fused score, cosine and BM25."""
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        if not query.strip():
            return []
        version = self._in_session(
            lambda s: s.scalar(select(Agent.knowledge_version).where(Agent.id == self.agent_id))
        )
        if not version:
            return []  # no such agent, or it never learned anything: skip embedding the query
        embedder = for_question(self.embedder, self.cross, query)
        slot: Slot = "primary" if embedder is self.embedder else "cross"
        # Chunks the cross embedder has not read yet (each embedding bumps the version).
        if (
            slot == "cross"
            and isinstance(self.store, Database)
            and reembed(self.store, embedder, slot="cross", agent_id=self.agent_id)
        ):
            version = self._in_session(
                lambda s: s.scalar(select(Agent.knowledge_version).where(Agent.id == self.agent_id))
            )
        # Embedded outside any session: on SQLite a session holds the write lock.
        vector = embedder.embed([query], "query")[0]  # (D,)
        depth = max(CANDIDATES, k)
        in_database = self.in_database and slot == "primary"
        if in_database:
            hits, passages = self._in_session(
                lambda s: self._search_database(s, query, vector, depth)
            )
        else:
            knowledge = self.caches[slot].get_or_build(
                (self.agent_id, version or 0), lambda: self._build(embedder, slot)
            )
            hits = [  # keyed by chunk id, as the database's are
                replace(hit, row=int(knowledge.chunk_ids[hit.row]))
                for hit in knowledge.index.search(query, vector, depth)
            ]
            # A cached index may be older than a post's deletion or a source's change: the
            # passages read now leave those out.
            wanted = [hit.row for hit in hits]
            passages = self._in_session(lambda s: _passages(s, self.agent_id, wanted))
        results = []
        for hit in hits:
            found = passages.get(hit.row)
            if found is None:
                continue
            passage = replace(found, score=hit.fused)
            results.append(ScoredPassage(passage, hit.dense, hit.lexical))
            if len(results) == k:
                break
        return results

    def _search_database(
        self, session: Session, query: str, vector: NDArray[np.float32], depth: int
    ) -> tuple[list[Hit], dict[int, Passage]]:
        """Hits keyed by chunk id, and the rows they name: one statement."""
        usable = vector if vector.shape == (self.embedder.dimension,) else None
        found = pgindex.search(session, self.agent_id, query, usable, self.embedder.name, depth)
        asked_in = detect_language(query)
        hits = fuse(
            found.lexical,
            found.dense,
            lambda chunk_id: lexical_weight(
                asked_in, _language(chunk_id, _searchable(found.chunks[chunk_id]))
            ),
            dense=lambda chunk_id: found.scores[chunk_id][0],
            lexical=lambda chunk_id: found.scores[chunk_id][1],
        )
        return hits, {chunk_id: _passage(chunk) for chunk_id, chunk in found.chunks.items()}

    def _build(self, embedder: Embedder, slot: Slot) -> AgentKnowledge:
        """Reads in a session, then tokenises and indexes after it has closed."""
        chunk_ids, texts, vectors = self._in_session(
            lambda s: _read_chunks(s, self.agent_id, embedder, slot)
        )
        index = HybridIndex(texts, vectors)
        del texts
        return_freed_memory()
        return AgentKnowledge(chunk_ids, index)

    def _in_session(self, work: Callable[[Session], T]) -> T:
        if isinstance(self.store, Session):
            return work(self.store)
        with self.store.new_session(writes=False) as session:  # a search only reads
            return work(session)


@functools.lru_cache(maxsize=1 << 16)
def _language(chunk_id: int, text: str) -> str | None:
    """A chunk's language, remembered: the in-database search asks about the same popular
    chunks query after query, and telling a language costs milliseconds."""
    return detect_language(text)


def _searchable(chunk: pgindex.Chunk) -> str:
    return searchable_text(chunk.text, chunk.locator)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    found = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(found), "malloc_trim", None) if found else None
    return cast("Callable[[int], int] | None", trim)


def return_freed_memory() -> bool:
    """Hands the memory a build freed back to the operating system; whether it could.
    Tokenising leaves the freed token lists in the C library's heap between live objects,
    where glibc keeps them, counted in the process's resident memory, until asked:
    ``malloc_trim(0)`` returns them (30,000 chunks: the index's growth 148 -> 25 MiB). A
    C library without it (musl, macOS) keeps them."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
