"""PostgreSQL's own search structures on ``knowledge_chunks``, kept outside the ORM models.

Two columns exist only on PostgreSQL (migration 0010): ``search``, a stored ``tsvector``
generated from a chunk's heading and text (GIN-indexed), and ``dense``, the chunk's embedding
as a pgvector ``vector`` (HNSW-indexed for ``DENSE_DIMENSION``), present only where the
``vector`` extension could be had. SQLite has neither; the models do not declare them, since a
column of an extension's type cannot be declared for a server that lacks the extension.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
from numpy.typing import NDArray
from pgvector.sqlalchemy import VECTOR
from sqlalchemy import Engine, bindparam, text
from sqlalchemy.orm import Session

SEARCH_COLUMNS = frozenset({"search", "dense"})
SEARCH_INDEXES = frozenset({"ix_knowledge_chunks_search", "ix_knowledge_chunks_dense"})
# The dimension the HNSW index is built for: both packaged embedders' (MiniLM and e5-small).
# Vectors of another dimension are still searched, exactly and without the index.
DENSE_DIMENSION = 384
# The text search configuration: English stemming and stopwords, like the in-memory index's
# plural folding and stopword list.
TEXT_CONFIG = "english"
# HNSW candidates visited per search: the depth retrieval reads (``index.CANDIDATES``). The
# iterative scan walks on past them where one agent's filter leaves too few.
EF_SEARCH = 50
# Set once per connection (``db.engine``) rather than per search, which saves a round trip
# each time. On a server without pgvector they are placeholders that nothing reads.
SESSION_SETTINGS = f"SET hnsw.iterative_scan = relaxed_order; SET hnsw.ef_search = {EF_SEARCH}"

WRITE_DENSE = text("UPDATE knowledge_chunks SET dense = CAST(:dense AS vector) WHERE id = :id")
WRITE_DENSE = WRITE_DENSE.bindparams(bindparam("dense", type_=VECTOR()))

_HAS_DENSE: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def include_object(obj: object, name: str | None, kind: str, reflected: bool, _: object) -> bool:
    """Alembic's filter: what this module owns is not the models' business."""
    if kind == "column" and reflected and name in SEARCH_COLUMNS:
        return getattr(getattr(obj, "table", None), "name", None) != "knowledge_chunks"
    return not (kind == "index" and reflected and name in SEARCH_INDEXES)


def has_dense(engine: Engine) -> bool:
    """Whether this database keeps pgvector embeddings (PostgreSQL with the ``vector``
    extension at migration time). Asked once per engine."""
    with _LOCK:
        known = _HAS_DENSE.get(engine)
    if known is not None:
        return known
    found = False
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            found = bool(
                connection.scalar(
                    text(
                        "SELECT 1 FROM information_schema.columns WHERE table_schema = "
                        "current_schema() AND table_name = 'knowledge_chunks' "
                        "AND column_name = 'dense'"
                    )
                )
            )
    with _LOCK:
        _HAS_DENSE[engine] = found
    return found


def store_dense(session: Session, chunk_ids: list[int], vectors: NDArray[np.float32]) -> None:
    """Writes chunks' embeddings (N, D) into ``dense`` where the database keeps it."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    if not chunk_ids or not has_dense(engine):
        return
    session.execute(
        WRITE_DENSE,
        [{"id": i, "dense": vector} for i, vector in zip(chunk_ids, vectors, strict=True)],
    )
