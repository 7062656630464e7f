"""Several server processes on one database: a reply being written is claimed by one process
for a lease it renews, so no two processes answer the same message and a dead process's
message is taken over when its lease runs out (``studio.dm.claims``).

Revision ID: 0010_processes
Revises: 0010_characters
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_processes"
down_revision: str | None = "0010_characters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reply_claims",
        sa.Column(
            "message_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("holder", sa.String(120), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("message_id"),
    )
    op.create_index("ix_reply_claims_expires_at", "reply_claims", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_reply_claims_expires_at", "reply_claims")
    op.drop_table("reply_claims")
