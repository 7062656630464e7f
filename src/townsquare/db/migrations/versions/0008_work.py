"""Fair use: the model calls each member caused, and indexes for counting a member's recent
messages and uploads (the per-member quotas of ``social.quotas``).

Revision ID: 0008_work
Revises: 0007_accounts
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_work"
down_revision: str | None = "0007_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "model_calls",
        sa.Column("id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_model_calls_account_id_created_at", "model_calls", ["account_id", "created_at"]
    )
    op.create_index("ix_messages_sender_id_created_at", "messages", ["sender_id", "created_at"])
    op.create_index("ix_media_owner_id_created_at", "media", ["owner_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_media_owner_id_created_at", "media")
    op.drop_index("ix_messages_sender_id_created_at", "messages")
    op.drop_table("model_calls")
