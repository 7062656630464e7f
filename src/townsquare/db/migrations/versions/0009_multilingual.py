"""Each knowledge chunk names the embedding model that made its vector, so that vectors of two
models are never compared and a changed ``TOWNSQUARE_EMBEDDER`` re-embeds what the old one made.

Rows from before this revision were made by the only embedded model there was, all-MiniLM-L6-v2.

Revision ID: 0009_multilingual
Revises: 0009_answers
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_multilingual"
down_revision: str | None = "0009_answers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("knowledge_chunks") as batch:
        batch.add_column(
            sa.Column("embedder", sa.String(120), nullable=False, server_default="all-MiniLM-L6-v2")
        )


def downgrade() -> None:
    with op.batch_alter_table("knowledge_chunks") as batch:
        batch.drop_column("embedder")
