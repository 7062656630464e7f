"""Fair ingest: the seconds of work each knowledge file cost, charged to the member who owns its
agent (the ingest quota and the ingest worker's order of ``social.quotas``).

Revision ID: 0010_abuse
Revises: 0009_multilingual
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_abuse"
down_revision: str | None = "0009_multilingual"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ingest_charges",
        sa.Column("id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_ingest_charges_account_id_created_at", "ingest_charges", ["account_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_ingest_charges_account_id_created_at", "ingest_charges")
    op.drop_table("ingest_charges")
