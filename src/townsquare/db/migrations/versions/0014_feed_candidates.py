"""The served feed asks for the most liked posts of the last weeks by the likes' time: an index
on it, so that query reads the recent likes only, not every like ever given
(`feed.serving.candidates.popular_ids`).

Revision ID: 0014_feed_candidates
Revises: 0013_intents_notify
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_feed_candidates"
down_revision: str | None = "0013_intents_notify"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_likes_created_at", "likes", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_likes_created_at", table_name="likes")
