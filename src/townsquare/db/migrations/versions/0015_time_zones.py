"""Each account has a time zone (an IANA name, "UTC" until its owner sets one): a shop's
appointment times are offered, read and listed on its own clock.

Revision ID: 0015_time_zones
Revises: 0014_feed_candidates
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_time_zones"
down_revision: str | None = "0014_feed_candidates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column("time_zone", sa.String(64), nullable=False, server_default="UTC")
        )


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("time_zone")
