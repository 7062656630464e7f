"""Knowledge chunks carry the date their source says it was written, so that when two passages
disagree the newer answers.

Revision ID: 0009_answers
Revises: 0008_work
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_answers"
down_revision: str | None = "0009_shop_owner"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("knowledge_chunks") as batch:
        batch.add_column(sa.Column("dated", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("knowledge_chunks") as batch:
        batch.drop_column("dated")
