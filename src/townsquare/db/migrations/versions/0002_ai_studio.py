"""AI Studio: agents, their knowledge, their DM threads, drafts, rehearsals; AI labels on messages.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(
            sa.Column("ai_generated", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("written_by_id", _ID, nullable=True))
        batch.add_column(sa.Column("citations", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("reply_to_id", _ID, nullable=True))
        batch.create_unique_constraint("uq_messages_reply_to_id", ["reply_to_id"])
        batch.create_foreign_key(
            "fk_messages_reply_to_id_messages",
            "messages",
            ["reply_to_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            "fk_messages_written_by_id_accounts",
            "accounts",
            ["written_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "agents",
        sa.Column("id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("owner_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("tagline", sa.String(length=160), nullable=False),
        sa.Column("personality", sa.Text(), nullable=False),
        sa.Column("traits", sa.JSON(), nullable=False),
        sa.Column("interests", sa.JSON(), nullable=False),
        sa.Column("tone", sa.String(length=200), nullable=False),
        sa.Column("scenario", sa.Text(), nullable=False),
        sa.Column("greeting", sa.Text(), nullable=False),
        sa.Column("alternate_greetings", sa.JSON(), nullable=False),
        sa.Column("openers", sa.JSON(), nullable=False),
        sa.Column("example_dialogues", sa.JSON(), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("avoid_topics", sa.JSON(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("reply_mode", sa.String(length=16), nullable=False),
        sa.Column("lorebook", sa.JSON(), nullable=True),
        sa.Column("card_extra", sa.JSON(), nullable=False),
        sa.Column("knowledge_version", sa.Integer(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id"),
    )
    op.create_index("ix_agents_owner_id", "agents", ["owner_id"])

    op.create_table(
        "knowledge_sources",
        sa.Column("id", _ID, nullable=False),
        sa.Column("agent_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("post_id", _ID, nullable=True),
        sa.Column("media_id", _ID, nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress_done", sa.Integer(), nullable=False),
        sa.Column("progress_total", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("indexed_at", _WHEN, nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["media_id"], ["media.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agent_id", "post_id", name="uq_knowledge_agent_post"),
    )
    op.create_index("ix_knowledge_sources_agent_id", "knowledge_sources", ["agent_id"])

    op.create_table(
        "knowledge_chunks",
        sa.Column("id", _ID, nullable=False),
        sa.Column("source_id", _ID, nullable=False),
        sa.Column("agent_id", _ID, nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("locator", sa.String(length=120), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["knowledge_sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_knowledge_chunks_source_id", "knowledge_chunks", ["source_id"])
    op.create_index("ix_knowledge_chunks_agent_id_id", "knowledge_chunks", ["agent_id", "id"])

    op.create_table(
        "agent_threads",
        sa.Column("thread_id", _ID, nullable=False),
        sa.Column("agent_id", _ID, nullable=False),
        sa.Column("member_id", _ID, nullable=False),
        sa.Column("taken_over_at", _WHEN, nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("summary_upto_message_id", _ID, nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("thread_id"),
    )
    op.create_index("ix_agent_threads_agent_id", "agent_threads", ["agent_id"])

    op.create_table(
        "agent_drafts",
        sa.Column("id", _ID, nullable=False),
        sa.Column("thread_id", _ID, nullable=False),
        sa.Column("agent_id", _ID, nullable=False),
        sa.Column("reply_to_message_id", _ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("citations", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sent_message_id", _ID, nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("decided_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reply_to_message_id"], ["messages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reply_to_message_id"),
    )
    op.create_index("ix_agent_drafts_thread_id", "agent_drafts", ["thread_id"])
    op.create_index("ix_agent_drafts_agent_id", "agent_drafts", ["agent_id"])

    op.create_table(
        "rehearsals",
        sa.Column("id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("scenario", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("other_person", sa.Text(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("transcript", sa.JSON(), nullable=False),
        sa.Column("feedback", sa.JSON(), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("finished_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rehearsals_account_id", "rehearsals", ["account_id"])


def downgrade() -> None:
    for table in (
        "rehearsals",
        "agent_drafts",
        "agent_threads",
        "knowledge_chunks",
        "knowledge_sources",
        "agents",
    ):
        op.drop_table(table)
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint("fk_messages_reply_to_id_messages", type_="foreignkey")
        batch.drop_constraint("uq_messages_reply_to_id", type_="unique")
        batch.drop_constraint("fk_messages_written_by_id_accounts", type_="foreignkey")
        for column in ("reply_to_id", "citations", "written_by_id", "ai_generated"):
            batch.drop_column(column)
