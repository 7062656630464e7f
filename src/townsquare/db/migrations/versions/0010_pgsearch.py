"""Retrieval inside PostgreSQL: a full-text column and, where pgvector is installed, an
embedding column, both indexed, so a deployment on PostgreSQL keeps no per-process index.

SQLite is untouched: it keeps the in-memory index. On PostgreSQL, ``search`` is a generated
``tsvector`` (GIN); ``dense`` is a pgvector ``vector`` (HNSW, cosine), filled from the stored
embeddings here and by every writer after. The ``vector`` extension is created if the server
has it and this role may; otherwise ``dense`` is left out and retrieval stays in memory.

Revision ID: 0010_pgsearch
Revises: 0010_processes
"""

from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from alembic import op

from townsquare.db.search import DENSE_DIMENSION, TEXT_CONFIG, WRITE_DENSE

revision: str = "0010_pgsearch"
down_revision: str | None = "0010_processes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE knowledge_chunks ADD COLUMN search tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('{TEXT_CONFIG}'::regconfig, locator || ' ' || text)) STORED"
    )
    op.execute("CREATE INDEX ix_knowledge_chunks_search ON knowledge_chunks USING gin (search)")
    if not _vector_extension(bind):
        return
    op.execute("ALTER TABLE knowledge_chunks ADD COLUMN dense vector")
    _backfill(bind)
    op.execute(
        "CREATE INDEX ix_knowledge_chunks_dense ON knowledge_chunks USING hnsw "
        f"((dense::vector({DENSE_DIMENSION})) vector_cosine_ops) "
        f"WHERE vector_dims(dense) = {DENSE_DIMENSION}"
    )


def _vector_extension(bind: sa.Connection) -> bool:
    """True once ``vector`` is installed in this database (created here if need be)."""
    installed = "SELECT 1 FROM pg_extension WHERE extname = 'vector'"
    if bind.scalar(sa.text(installed)):
        return True
    if not bind.scalar(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")):
        return False
    try:
        with bind.begin_nested():  # a role that may not create it leaves the rest intact
            bind.execute(sa.text("CREATE EXTENSION vector"))
    except sa.exc.DBAPIError:
        return False
    return True


def _backfill(bind: sa.Connection) -> None:
    rows = bind.execute(sa.text("SELECT id, embedding FROM knowledge_chunks"))
    batch = [{"id": i, "dense": np.frombuffer(blob, dtype=np.float32)} for i, blob in rows]
    if batch:
        bind.execute(WRITE_DENSE, batch)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE knowledge_chunks DROP COLUMN IF EXISTS dense")
    op.execute("ALTER TABLE knowledge_chunks DROP COLUMN search")
