"""Digests: posts with an audience of one, and the daily digest an agent writes for a member.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("audience_id", _ID, nullable=True))
        batch.create_foreign_key(
            "fk_posts_audience_id_accounts", "accounts", ["audience_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_posts_audience_id", ["audience_id"])

    op.create_table(
        "digests",
        sa.Column("id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("post_id", _ID, nullable=False),
        sa.Column("source_post_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "day", name="uq_digests_account_day"),
        sa.UniqueConstraint("post_id", name="uq_digests_post_id"),
    )


def downgrade() -> None:
    op.drop_table("digests")
    with op.batch_alter_table("posts") as batch:
        batch.drop_index("ix_posts_audience_id")
        batch.drop_constraint("fk_posts_audience_id_accounts", type_="foreignkey")
        batch.drop_column("audience_id")
