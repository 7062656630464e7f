"""Queued knowledge files charged up front: an ingest charge may be held for a queued file
(the read limit) until the ingest worker settles it with what the file really cost.

Revision ID: 0011_abuse
Revises: 0010_pgsearch
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_abuse"
down_revision: str | None = "0010_pgsearch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("ingest_charges") as batch:
        batch.add_column(sa.Column("held_for", _ID, nullable=True))
        batch.create_foreign_key(
            "fk_ingest_charges_held_for_knowledge_sources",
            "knowledge_sources",
            ["held_for"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index("ix_ingest_charges_held_for", "ingest_charges", ["held_for"])


def downgrade() -> None:
    op.drop_index("ix_ingest_charges_held_for", "ingest_charges")
    with op.batch_alter_table("ingest_charges") as batch:
        batch.drop_constraint("fk_ingest_charges_held_for_knowledge_sources", type_="foreignkey")
        batch.drop_column("held_for")
