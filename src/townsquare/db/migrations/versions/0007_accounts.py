"""Accounts hardening: expiring API tokens, server-side browser sessions, the sign-in throttle.

Existing tokens get 30 days from the upgrade, the default ``TOWNSQUARE_TOKEN_TTL_DAYS``.

Revision ID: 0007_accounts
Revises: 0006
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0007_accounts"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime(timezone=True)))
    op.execute(tokens.update().values(expires_at=datetime.now(UTC) + timedelta(days=30)))
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.alter_column("expires_at", nullable=False)
    op.create_table(
        "browser_sessions",
        sa.Column("id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("secret_hash"),
    )
    op.create_table(
        "auth_attempts",
        sa.Column("id", _ID, nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_auth_attempts_key_at", "auth_attempts", ["key", "at"])


def downgrade() -> None:
    op.drop_index("ix_auth_attempts_key_at", table_name="auth_attempts")
    op.drop_table("auth_attempts")
    op.drop_table("browser_sessions")
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.drop_column("expires_at")
