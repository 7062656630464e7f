"""Fair use and honest signals: a knowledge file's size, so that the storage quota
(``social.quotas``) counts knowledge files as well as media; and the post a message shares, so
that a ``share`` event is written by the server from a real share.

Files uploaded before this revision keep size 0 (the migration cannot see the data directory
where their bytes are): they count once uploaded again.

Revision ID: 0009_rate
Revises: 0008_work
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_rate"
down_revision: str | None = "0008_work"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("knowledge_sources") as batch:
        batch.add_column(
            sa.Column("size_bytes", sa.BigInteger(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("shared_post_id", _ID, nullable=True))
        batch.create_foreign_key(
            "fk_messages_shared_post_id_posts",
            "posts",
            ["shared_post_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint("fk_messages_shared_post_id_posts", type_="foreignkey")
        batch.drop_column("shared_post_id")
    with op.batch_alter_table("knowledge_sources") as batch:
        batch.drop_column("size_bytes")
