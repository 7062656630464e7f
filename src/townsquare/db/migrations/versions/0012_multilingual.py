"""Each knowledge chunk keeps a second embedding, by the cross-language embedder (a
multilingual model, ``TOWNSQUARE_CROSS_EMBEDDER``), beside the first, with that model's name: a
question in a language the first embedder does not read is matched against these. Existing
rows have none; the ingest worker (or `townsquare agent reembed`) embeds them.

Revision ID: 0012_multilingual
Revises: 0011_abuse
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_multilingual"
down_revision: str | None = "0011_abuse"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("knowledge_chunks") as batch:
        batch.add_column(sa.Column("cross_embedding", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("cross_embedder", sa.String(120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("knowledge_chunks") as batch:
        batch.drop_column("cross_embedder")
        batch.drop_column("cross_embedding")
