"""Tables of AI Studio: agents, their knowledge, their state in a thread, drafts, rehearsals."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from townsquare.db.models.base import Base
from townsquare.db.types import BigId, UTCDateTime, utcnow


class Agent(Base):
    """An AI agent. It has an account of its own (kind 'agent': handle, name, avatar, DMs, posts)
    and an owner who builds and answers for it. The persona fields are what the owner wrote;
    the model only ever reads them."""

    __tablename__ = "agents"
    # A person has at most one creator agent (migration 0009): what decides two requests at once.
    __table_args__ = (
        Index(
            "uq_agents_one_creator_per_owner",
            "owner_id",
            unique=True,
            sqlite_where=text("kind = 'creator'"),
            postgresql_where=text("kind = 'creator'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # character | creator | business | assistant
    tagline: Mapped[str] = mapped_column(String(160), default="")
    personality: Mapped[str] = mapped_column(Text, default="")
    traits: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    tone: Mapped[str] = mapped_column(String(200), default="")
    scenario: Mapped[str] = mapped_column(Text, default="")
    greeting: Mapped[str] = mapped_column(Text, default="")
    alternate_greetings: Mapped[list[str]] = mapped_column(JSON, default=list)
    openers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [[{"speaker": "user" | "agent", "text": ...}, ...], ...]: one list per example dialogue.
    example_dialogues: Mapped[list[list[dict[str, str]]]] = mapped_column(JSON, default=list)
    instructions: Mapped[str] = mapped_column(Text, default="")
    # [{"topic": ..., "reply": ...}]: the owner's reply, given without calling the model.
    avoid_topics: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    visibility: Mapped[str] = mapped_column(String(16), default="public")  # public|unlisted|private
    reply_mode: Mapped[str] = mapped_column(String(16), default="send")  # off | drafts | send
    # The most sentences of a character's or assistant's reply (the owner's setting, 1-8).
    reply_sentences: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    # A Character Card character_book, kept as the card wrote it (unknown keys survive).
    lorebook: Mapped[dict[str, object] | None] = mapped_column(JSON)
    # Card fields Townsquare does not act on (creator_notes, tags, creator, extensions, ...),
    # kept so that an export gives back what was imported.
    card_extra: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # Bumped whenever the agent's knowledge changes, so cached indexes know they are stale.
    knowledge_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KnowledgeSource(Base):
    """Something an agent learned from: one of its owner's posts, or an uploaded file."""

    __tablename__ = "knowledge_sources"
    __table_args__ = (UniqueConstraint("agent_id", "post_id", name="uq_knowledge_agent_post"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # post | file
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255), default="")
    mime: Mapped[str] = mapped_column(String(100), default="")
    content_sha256: Mapped[str] = mapped_column(String(64), default="")
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")  # a file's
    status: Mapped[str] = mapped_column(
        String(16), default="queued"
    )  # queued|indexing|ready|failed
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    indexed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KnowledgeChunk(Base):
    """A retrievable passage of a source, with its embedding (float32 bytes)."""

    __tablename__ = "knowledge_chunks"
    __table_args__ = (Index("ix_knowledge_chunks_agent_id_id", "agent_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_sources.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    locator: Mapped[str] = mapped_column(String(120), default="")  # "page 12", "Shipping", ...
    embedding: Mapped[bytes] = mapped_column(LargeBinary)
    embedder: Mapped[str] = mapped_column(String(120))  # the model that made `embedding`
    # The cross-language embedder's vector of the same text, and that model's name; None
    # until it is embedded (``knowledge.reembed``; migration 0012).
    cross_embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    cross_embedder: Mapped[str | None] = mapped_column(String(120))
    # When its source was written, by what the source says (a post's date line, a file's
    # "updated" line); None: the upload's or post's own date stands in (migration 0009).
    dated: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgentThread(Base):
    """An agent's state in one DM thread with a member: its memory and who is answering."""

    __tablename__ = "agent_threads"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # Set while the owner answers in person; the agent stays silent until it is cleared.
    taken_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The rolling summary of the turns older than the recent window, and where it stops.
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_upto_message_id: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgentDraft(Base):
    """A reply an agent wrote for its owner to approve, edit or discard (reply mode 'drafts')."""

    __tablename__ = "agent_drafts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    reply_to_message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(Text)
    citations: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|discarded
    sent_message_id: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReplyClaim(Base):
    """A reply being written: which process holds the member message and until when. The row
    lives while the reply is written (``studio.dm.claims``); a holder that stops renewing it
    (a process that died) loses it at ``expires_at`` to whichever process sweeps next. No
    foreign key: the row outlives nothing and is deleted when the reply is done."""

    __tablename__ = "reply_claims"

    message_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Rehearsal(Base):
    """A practice run of a hard conversation: the model phrases the other person, then the
    member gets feedback computed from their lines."""

    __tablename__ = "rehearsals"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    scenario: Mapped[str] = mapped_column(String(32))  # raise | friend | boundary | custom
    title: Mapped[str] = mapped_column(String(200))
    other_person: Mapped[str] = mapped_column(Text)  # who the agent plays, as the member described
    goal: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | finished
    # [{"role": "member" | "other", "text": ...}]
    transcript: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # {"worked": [...], "try": [...], "better_phrasing": {"original": ..., "suggestion": ...}}
    feedback: Mapped[dict[str, object] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
