"""Tables of the social substrate: accounts, media, posts, the graph, messages, the event log.

Kinds (post kinds, event types, ...) are plain strings checked by the service layer, so that a
later migration adds a kind without altering an enum type.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from townsquare.db.models.base import Base
from townsquare.db.types import BigId, UTCDateTime, utcnow


class Account(Base):
    """A member or a business; the profile fields live here too."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    handle: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="person")  # person | business | agent
    display_name: Mapped[str] = mapped_column(String(80))
    # The verified address (unique: one account per address); ``pending_email`` is the one given
    # and not yet verified (``social.verification``). Only ``email`` is ever trusted.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    pending_email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    bio: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(80), default="")
    # An IANA name; a shop's appointment times are offered and read on it.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    website: Mapped[str] = mapped_column(String(2048), default="")
    # No foreign key: media rows point back at accounts, and the service checks ownership.
    avatar_media_id: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # moves forward on use
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BrowserSession(Base):
    """A signed-in browser: the cookie carries a random id whose SHA-256 is stored here."""

    __tablename__ = "browser_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # moves forward on use
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EmailToken(Base):
    """A verification link's token for one address of one account: only its SHA-256 is stored;
    it verifies once, before ``expires_at``."""

    __tablename__ = "email_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuthAttempt(Base):
    """One counted sign-in failure or sign-up, under a key such as ``handle:ada`` or
    ``address:203.0.113.9``; the throttle counts a key's rows inside its window."""

    __tablename__ = "auth_attempts"
    __table_args__ = (Index("ix_auth_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Media(Base):
    """An uploaded file, stored under the data directory by content hash."""

    __tablename__ = "media"
    __table_args__ = (Index("ix_media_owner_id_created_at", "owner_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(255))  # relative to the media directory
    mime: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (Index("ix_posts_author_created", "author_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # text | image | short_video | long_video | link
    text: Mapped[str] = mapped_column(Text, default="")
    link_url: Mapped[str | None] = mapped_column(String(2048))
    media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id"))
    ai_generated: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set for a post only one account may see (a digest written for them); None: public.
    audience_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Digest(Base):
    """The daily digest written for one member: its post (audience: that member) and the
    posts it summarises, in the order it lists them."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("account_id", "day", name="uq_digests_account_day"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)  # the UTC day it was written for
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    source_post_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Follow(Base):
    __tablename__ = "follows"

    follower_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    followee_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Like(Base):
    __tablename__ = "likes"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Comment(Base):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Thread(Base):
    """A direct-message thread between two or more accounts."""

    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # SHA-256 of the sorted member ids (``messages.members_key``): one thread per set of members.
    # None only for a duplicate that a race stored before migration 0009.
    members_key: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ThreadMember(Base):
    __tablename__ = "thread_members"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    last_read_message_id: Mapped[int | None] = mapped_column(BigId)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("sender_id", "client_key", name="uq_messages_sender_client_key"),
        Index("ix_messages_thread_id_id", "thread_id", "id"),
        Index("ix_messages_sender_id_created_at", "sender_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    # Set by the client so that a retried send is stored once.
    client_key: Mapped[str | None] = mapped_column(String(64))
    # Set by the server only: an agent wrote this. Rendered as an "AI" label that cannot be removed.
    ai_generated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The human who wrote a message sent as an agent's account (an owner who took a thread over).
    written_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    # The passages an agent's reply drew on: [{chunk_id, source_id, title, locator, quote, url}].
    citations: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)
    # The member message an agent's reply answers: unique, so no message is ever answered twice.
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), unique=True
    )
    # A post the sender shared with this message (``social.messages.send_message``).
    shared_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Event(Base):
    """One row of the append-only event log (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_account_id_id", "account_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    type: Mapped[str] = mapped_column(String(16))
    surface: Mapped[str] = mapped_column(String(32))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), index=True)
    target_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    dwell_ms: Mapped[int | None] = mapped_column(Integer)
    extra: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ModelCall(Base):
    """One model call a member caused (a DM an agent answers, a chat completion): what the
    per-member model quota counts, in the database so that it holds across processes."""

    __tablename__ = "model_calls"
    __table_args__ = (Index("ix_model_calls_account_id_created_at", "account_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IngestCharge(Base):
    """Seconds of work one knowledge file cost while it was read and indexed, charged to the
    member who owns its agent: what the per-member ingest quota counts and the ingest worker
    schedules by. A row of its own, so forgetting the file does not refund the work.

    A file is charged when it is queued: the read limit, held for it (``held_for``) until the
    ingest worker has read it and puts what it really cost in its place."""

    __tablename__ = "ingest_charges"
    __table_args__ = (Index("ix_ingest_charges_account_id_created_at", "account_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    seconds: Mapped[float] = mapped_column(Float)
    # The queued file this charge is held for; None once settled (or the file forgotten).
    held_for: Mapped[int | None] = mapped_column(
        ForeignKey("knowledge_sources.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
