"""Races and verified email (issue 16): one thread per set of members, one creator agent per
person, an account's email trusted only once verified, and the tokens that verify it.

- ``threads.members_key`` (unique): the SHA-256 of the sorted member ids. Filled for existing
  threads; a duplicate that a race stored before this revision keeps ``NULL`` (its messages stay).
- ``uq_agents_one_creator_per_owner``: a partial unique index. A second creator agent of one
  owner, stored by a race before this revision, becomes a character agent.
- ``accounts.pending_email``: the address an account gave and has not verified; ``email``
  (still unique) holds only a verified one. Existing emails were never verified, so they move
  to ``pending_email``; their owners verify them with a new link (``POST /auth/email/resend``).
- ``email_tokens``: a verification link's token (only its SHA-256), its address and expiry.

Revision ID: 0009_races
Revises: 0008_work
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_races"
down_revision: str | None = "0009_rate"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)
_CREATOR = sa.text("kind = 'creator'")


def upgrade() -> None:
    connection = op.get_bind()
    op.add_column("threads", sa.Column("members_key", sa.String(length=64), nullable=True))
    members: dict[int, list[int]] = {}
    for thread_id, account_id in connection.execute(
        sa.text("SELECT thread_id, account_id FROM thread_members ORDER BY thread_id")
    ):
        members.setdefault(thread_id, []).append(account_id)
    seen: set[str] = set()
    for thread_id, ids in members.items():
        key = hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()
        if key not in seen:
            seen.add(key)
            connection.execute(
                sa.text("UPDATE threads SET members_key = :key WHERE id = :id"),
                {"key": key, "id": thread_id},
            )
    op.create_index("ix_threads_members_key", "threads", ["members_key"], unique=True)

    connection.execute(
        sa.text(
            "UPDATE agents SET kind = 'character' WHERE kind = 'creator' AND id NOT IN "
            "(SELECT min(id) FROM agents WHERE kind = 'creator' GROUP BY owner_id)"
        )
    )
    op.create_index(
        "uq_agents_one_creator_per_owner",
        "agents",
        ["owner_id"],
        unique=True,
        sqlite_where=_CREATOR,
        postgresql_where=_CREATOR,
    )

    op.add_column("accounts", sa.Column("pending_email", sa.String(length=254), nullable=True))
    connection.execute(sa.text("UPDATE accounts SET pending_email = email, email = NULL"))
    op.create_table(
        "email_tokens",
        sa.Column("id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("expires_at", _WHEN, nullable=False),
        sa.Column("used_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_email_tokens_account_id", "email_tokens", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_email_tokens_account_id", "email_tokens")
    op.drop_table("email_tokens")
    connection = op.get_bind()
    connection.execute(sa.text("UPDATE accounts SET email = pending_email WHERE email IS NULL"))
    op.drop_column("accounts", "pending_email")
    op.drop_index("uq_agents_one_creator_per_owner", "agents")
    op.drop_index("ix_threads_members_key", "threads")
    op.drop_column("threads", "members_key")
