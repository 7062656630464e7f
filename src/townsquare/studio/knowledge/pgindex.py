"""Hybrid search inside PostgreSQL: full-text search for the lexical list, pgvector for the
dense one, fused in Python by the same reciprocal rank fusion as the in-memory index.

One statement per search (``search``): each list is a common table expression over the
agent's ready chunks (deleted posts left out), read to the same depth as in memory, and the
outer query returns every chunk of either list with its raw scores and what a passage shows.
The lexical list matches any of the question's words (``websearch_to_tsquery`` over the words
joined by ``or``, so a member's quotes or minus signs are words, not syntax) and ranks with
``ts_rank`` normalised by document length, the part of BM25 that matters most for chunks of
similar size. The dense list walks the HNSW index with pgvector's iterative scan (set once per
connection, ``db.search.SESSION_SETTINGS``), so filtering to one agent's chunks still yields
``depth`` rows. The raw cosine and text rank of every returned chunk are read exactly, as the
in-memory index gives them, because the grounding guard judges relevance by them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from numpy.typing import NDArray
from pgvector.sqlalchemy import VECTOR
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from townsquare.db.search import DENSE_DIMENSION, TEXT_CONFIG

Ranked = list[tuple[int, float]]  # (chunk id, score), best first
_WORD = re.compile(r"\w+")

# The agent's chunks of ready sources, deleted posts left out. The sources are an array read
# once (an init plan), not a join: joined, the planner sorts the HNSW scan's output instead of
# stopping at the limit, and the iterative scan reads up to its 20,000-tuple cap (1.9 s instead
# of 2 ms at 100,000 chunks).
_VISIBLE = """
    FROM knowledge_chunks c
    WHERE c.agent_id = :agent AND c.source_id = ANY(ARRAY(
        SELECT s.id FROM knowledge_sources s LEFT JOIN posts p ON p.id = s.post_id
        WHERE s.agent_id = :agent AND s.status = 'ready' AND p.deleted_at IS NULL))
"""
_NOTHING = "SELECT NULL::integer AS id, NULL::float8 AS score WHERE false"
_VECTOR = bindparam("vector", type_=VECTOR())
_TSQUERY = f"websearch_to_tsquery('{TEXT_CONFIG}', :words)"


@dataclass(frozen=True)
class Chunk:
    """What a passage shows of one chunk, as the search read it."""

    chunk_id: int
    source_id: int
    text: str
    locator: str
    dated: date | None
    posted: datetime | None  # when its post was written, for a post's chunk
    kind: str
    title: str
    post_id: int | None
    handle: str  # the agent's


@dataclass(frozen=True)
class Found:
    """One search's lists, raw scores and chunks."""

    lexical: Ranked  # by text rank, best first
    dense: Ranked  # by cosine, best first
    scores: dict[int, tuple[float, float]]  # chunk id -> (cosine, text rank), 0 where none
    chunks: dict[int, Chunk]  # every chunk of either list


def text_query(query: str) -> str:
    """The question's words as a web-search query that matches a chunk with any of them."""
    return " or ".join(_WORD.findall(query.lower()))


def search(
    session: Session,
    agent_id: int,
    query: str,
    vector: NDArray[np.float32] | None,
    embedder: str,
    depth: int,
) -> Found:
    """The top ``depth`` of each list for ``query`` (and ``vector``, the query's embedding by
    ``embedder``; None skips the dense list), in one round trip."""
    words = text_query(query)
    params: dict[str, object] = {"agent": agent_id, "words": words, "depth": depth}
    lexical = _NOTHING
    rank = "0.0"
    if words:
        rank = f"ts_rank(c.search, {_TSQUERY}, 1)"
        lexical = (
            f"SELECT c.id, {rank} AS score {_VISIBLE} AND c.search @@ {_TSQUERY}"
            " ORDER BY score DESC, c.id LIMIT :depth"
        )
    dense = _NOTHING
    cosine = "0.0"
    if vector is not None:
        dimension = int(vector.shape[0])
        # The HNSW index is on the cast to its dimension; other dimensions are scanned exactly.
        typed = f"vector({dimension})" if dimension == DENSE_DIMENSION else "vector"
        distance = f"c.dense::{typed} <=> CAST(:vector AS {typed})"
        dense = (
            f"SELECT c.id, 1 - ({distance}) AS score {_VISIBLE} AND c.embedder = :embedder"
            f" AND vector_dims(c.dense) = {dimension} ORDER BY {distance} LIMIT :depth"
        )
        # Another model's or dimension's embedding has no cosine with this one: 0.
        cosine = (
            f"CASE WHEN c.embedder = :embedder AND vector_dims(c.dense) = {dimension} "
            "THEN 1 - (c.dense <=> CAST(:vector AS vector)) ELSE 0.0 END"
        )
        params |= {"vector": vector, "embedder": embedder}
    statement = text(
        f"WITH lexical AS ({lexical}), dense AS ({dense})"
        f" SELECT c.id, l.score, d.score, {cosine}, {rank}, c.source_id, c.text, c.locator,"
        "  c.dated, p.created_at, s.kind, s.title, s.post_id, a.handle"
        " FROM knowledge_chunks c"
        " JOIN knowledge_sources s ON s.id = c.source_id"
        " LEFT JOIN posts p ON p.id = s.post_id"
        " JOIN agents g ON g.id = c.agent_id JOIN accounts a ON a.id = g.account_id"
        " LEFT JOIN lexical l ON l.id = c.id LEFT JOIN dense d ON d.id = c.id"
        " WHERE c.id IN (SELECT id FROM lexical UNION ALL SELECT id FROM dense)"
    )
    if vector is not None:
        statement = statement.bindparams(_VECTOR)
    lexical_ranked: Ranked = []
    dense_ranked: Ranked = []
    scores: dict[int, tuple[float, float]] = {}
    chunks: dict[int, Chunk] = {}
    for chunk_id, in_lexical, in_dense, raw_cosine, raw_rank, *shown in session.execute(
        statement, params
    ):
        if in_lexical is not None and in_lexical > 0:
            lexical_ranked.append((chunk_id, float(in_lexical)))
        if in_dense is not None and in_dense > 0:
            dense_ranked.append((chunk_id, float(in_dense)))
        scores[chunk_id] = (float(raw_cosine), float(raw_rank))
        chunks[chunk_id] = Chunk(chunk_id, *shown)
    # Best first, ties by id; a relaxed iterative scan may return neighbours out of order.
    lexical_ranked.sort(key=lambda item: (-item[1], item[0]))
    dense_ranked.sort(key=lambda item: (-item[1], item[0]))
    return Found(lexical_ranked, dense_ranked, scores, chunks)
