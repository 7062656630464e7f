"""The owner's side of a shop: an order's dated steps (paid, shipped with carrier and tracking
number, delivered, returned, refunded, cancelled), one live booking per slot guarded by the
database, and the owner's own changes in the audit log of tool calls (no agent, no thread).

Revision ID: 0009_shop_owner
Revises: 0008_work
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_shop_owner"
down_revision: str | None = "0009_races"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)
_STEPS = ("paid_at", "shipped_at", "returned_at", "refunded_at", "cancelled_at")
_LIVE = sa.text("status = 'booked'")


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        for name in _STEPS:
            batch.add_column(sa.Column(name, _WHEN, nullable=True))
        batch.add_column(sa.Column("carrier", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("tracking_number", sa.String(length=64), nullable=True))
    # A slot booked twice before this constraint keeps its oldest booking.
    op.execute(
        "UPDATE bookings SET status = 'cancelled' WHERE status = 'booked' AND id NOT IN"
        " (SELECT MIN(id) FROM bookings WHERE status = 'booked' GROUP BY slot_id)"
    )
    op.create_index(
        "uq_bookings_live_slot",
        "bookings",
        ["slot_id"],
        unique=True,
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    )
    with op.batch_alter_table("tool_calls") as batch:
        batch.alter_column("agent_id", existing_type=_ID, nullable=True)
        batch.alter_column("thread_id", existing_type=_ID, nullable=True)
        batch.add_column(sa.Column("owner_id", _ID, nullable=True))
        batch.create_foreign_key(
            "fk_tool_calls_owner_id", "accounts", ["owner_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_tool_calls_owner_id", ["owner_id"])


def downgrade() -> None:
    op.execute("DELETE FROM tool_calls WHERE agent_id IS NULL OR thread_id IS NULL")
    with op.batch_alter_table("tool_calls") as batch:
        batch.drop_index("ix_tool_calls_owner_id")
        batch.drop_constraint("fk_tool_calls_owner_id", type_="foreignkey")
        batch.drop_column("owner_id")
        batch.alter_column("thread_id", existing_type=_ID, nullable=False)
        batch.alter_column("agent_id", existing_type=_ID, nullable=False)
    op.drop_index("uq_bookings_live_slot", "bookings")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("tracking_number")
        batch.drop_column("carrier")
        for name in reversed(_STEPS):
            batch.drop_column(name)
