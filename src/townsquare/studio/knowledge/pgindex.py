"""Hybrid search inside PostgreSQL: full-text search for the lexical list, pgvector for the
dense one, fused in Python by the same reciprocal rank fusion as the in-memory index.

Each list is one query over the agent's ready chunks (deleted posts left out), read to the
same depth as in memory. The lexical half matches any of the question's words
(``websearch_to_tsquery`` over the words joined by ``or``, so a member's quotes or minus signs
are words, not syntax) and ranks with ``ts_rank`` normalised by document length, the part of
BM25 that matters most for chunks of similar size. The dense half walks the HNSW index with
pgvector's iterative scan, so filtering to one agent's chunks still yields ``depth`` rows. The
raw cosine and text rank of every fused row are then read exactly, as the in-memory index
gives them, because the grounding guard judges relevance by them.
"""

from __future__ import annotations

import re

import numpy as np
from numpy.typing import NDArray
from pgvector.sqlalchemy import VECTOR
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from townsquare.db.search import DENSE_DIMENSION, TEXT_CONFIG

Ranked = list[tuple[int, float]]  # (chunk id, score), best first
_WORD = re.compile(r"\w+")
# HNSW candidates visited per search: at least the depth read, and pgvector's default (40).
MIN_EF_SEARCH = 40

_VISIBLE = """
    FROM knowledge_chunks c
    JOIN knowledge_sources s ON s.id = c.source_id
    LEFT JOIN posts p ON p.id = s.post_id
    WHERE c.agent_id = :agent AND s.status = 'ready' AND p.deleted_at IS NULL
"""
_VECTOR = bindparam("vector", type_=VECTOR())
_TSQUERY = f"websearch_to_tsquery('{TEXT_CONFIG}', :words)"


def text_query(query: str) -> str:
    """The question's words as a web-search query that matches a chunk with any of them."""
    return " or ".join(_WORD.findall(query.lower()))


def lexical_ranked(session: Session, agent_id: int, query: str, depth: int) -> Ranked:
    words = text_query(query)
    if not words:
        return []
    rows = session.execute(
        text(
            f"SELECT c.id, ts_rank(c.search, {_TSQUERY}, 1) AS score {_VISIBLE}"
            f" AND c.search @@ {_TSQUERY} ORDER BY score DESC, c.id LIMIT :depth"
        ),
        {"agent": agent_id, "words": words, "depth": depth},
    )
    return [(int(chunk_id), float(score)) for chunk_id, score in rows if score > 0]


def dense_ranked(
    session: Session, agent_id: int, vector: NDArray[np.float32], embedder: str, depth: int
) -> Ranked:
    """The ``depth`` nearest chunks by cosine that ``embedder`` embedded, best first."""
    dimension = int(vector.shape[0])
    # The HNSW index is on the cast to its dimension; other dimensions are scanned exactly.
    typed = f"vector({dimension})" if dimension == DENSE_DIMENSION else "vector"
    distance = f"c.dense::{typed} <=> CAST(:vector AS {typed})"
    ef_search = max(MIN_EF_SEARCH, depth)
    session.execute(
        text(
            f"SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL hnsw.ef_search = {ef_search}"
        )
    )
    rows = session.execute(
        text(
            f"SELECT c.id, 1 - ({distance}) AS cosine {_VISIBLE}"
            f" AND c.embedder = :embedder AND vector_dims(c.dense) = {dimension}"
            f" ORDER BY {distance} LIMIT :depth"
        ).bindparams(_VECTOR),
        {"agent": agent_id, "vector": vector, "embedder": embedder, "depth": depth},
    )
    ranked = [(int(chunk_id), float(cosine)) for chunk_id, cosine in rows if cosine > 0]
    # A relaxed iterative scan may return neighbours slightly out of order.
    return sorted(ranked, key=lambda item: (-item[1], item[0]))


def raw_scores(
    session: Session,
    chunk_ids: list[int],
    query: str,
    vector: NDArray[np.float32] | None,
    embedder: str,
) -> dict[int, tuple[float, float]]:
    """(cosine, text rank) of each chunk: 0 for a cosine of another model's or dimension's
    embedding, and for a rank where no word is shared."""
    if not chunk_ids:
        return {}
    words = text_query(query)
    cosine = "0.0"
    params: dict[str, object] = {"ids": chunk_ids, "words": words, "embedder": embedder}
    if vector is not None:
        cosine = (
            "CASE WHEN c.embedder = :embedder AND vector_dims(c.dense) = :dimension "
            "THEN 1 - (c.dense <=> CAST(:vector AS vector)) ELSE 0.0 END"
        )
        params |= {"vector": vector, "dimension": int(vector.shape[0])}
    rank = f"ts_rank(c.search, {_TSQUERY}, 1)" if words else "0.0"
    statement = text(
        f"SELECT c.id, {cosine}, {rank} FROM knowledge_chunks c WHERE c.id = ANY(:ids)"
    )
    if vector is not None:
        statement = statement.bindparams(_VECTOR)
    rows = session.execute(statement, params)
    return {int(chunk_id): (float(dense), float(lexical)) for chunk_id, dense, lexical in rows}
