"""Short turns (issue 17): ``agents.reply_sentences``, the most sentences a character's or an
assistant's reply may have, set by its owner (1 to 8; 3 for every existing agent).

Revision ID: 0010_characters
Revises: 0010_abuse
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_characters"
down_revision: str | None = "0010_abuse"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.add_column(
            sa.Column("reply_sentences", sa.Integer(), nullable=False, server_default="3")
        )


def downgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("reply_sentences")
