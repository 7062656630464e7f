"""Tables of the social substrate: what happens on Townsquare, recorded once.

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
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from townsquare.db.types import BigId, UTCDateTime, utcnow


class Base(DeclarativeBase):
    pass


class Account(Base):
    """A member or a business; the profile fields live here too."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    handle: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="person")  # person | business | agent
    display_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    bio: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(80), default="")
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
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Media(Base):
    """An uploaded file, stored under the data directory by content hash."""

    __tablename__ = "media"

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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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


class Agent(Base):
    """An AI agent. It has an account of its own (kind 'agent': handle, name, avatar, DMs, posts)
    and an owner who builds and answers for it. The persona fields are what the owner wrote;
    the model only ever reads them."""

    __tablename__ = "agents"

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


class Rehearsal(Base):
    """A practice run of a hard conversation: the model plays the other person, then coaches."""

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


# --- Intents (tasks/): goals an agent carries out over hours or weeks -------------------------


class Intent(Base):
    """A member's goal, run as a durable workflow (id ``intent-<installation>-<id>``). This row is
    the member-facing record; the workflow engine's own tables hold the checkpoints."""

    __tablename__ = "intents"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    goal: Mapped[str] = mapped_column(Text)
    # pending | running | waiting | watching | asking | paused | done | failed | cancelled
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    # A command the worker has still to carry out on the workflow: pause | resume | cancel.
    requested: Mapped[str | None] = mapped_column(String(16))
    # {"options": [...], "wait_until": iso, "watch": {...}, "schedule": {...}, "plan": [...]}
    spec: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # Publishing or messaging on the member's behalf without asking first.
    autonomous: Mapped[bool] = mapped_column(Boolean, default=False)
    # {"model_calls": n, "steps": n, "wall_seconds": s}; used counts the same keys.
    budget: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    used: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    # The watch has seen every event up to this id.
    watch_after_event_id: Mapped[int] = mapped_column(BigId, default=0)
    result: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IntentNode(Base):
    """One node of an intent's planning tree: a proposed action, its score, kept or pruned."""

    __tablename__ = "intent_nodes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    intent_id: Mapped[int] = mapped_column(ForeignKey("intents.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=0)  # scheduled intents plan each run
    key: Mapped[str] = mapped_column(String(64))  # "0", "0.2", "0.2.1": its path in the tree
    parent_key: Mapped[str | None] = mapped_column(String(64))
    depth: Mapped[int] = mapped_column(Integer)
    action: Mapped[dict[str, object]] = mapped_column(JSON)  # {"name": ..., "args": {...}}
    score: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(16))  # chosen | kept | pruned | unexplored
    reason: Mapped[str] = mapped_column(Text, default="")


class InboxItem(Base):
    """Something an intent brings back to its member: a result, a question or an approval."""

    __tablename__ = "inbox_items"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    intent_id: Mapped[int] = mapped_column(ForeignKey("intents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # result | question | approval | notice
    # Makes the workflow's "post to the inbox" step idempotent.
    key: Mapped[str] = mapped_column(String(120), unique=True)
    text: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The answer has been handed to the waiting workflow.
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IntentEffect(Base):
    """A side effect an intent caused (a post, a message), stored in the same transaction as the
    effect under its idempotency key, so a step replayed after a crash finds it and stops."""

    __tablename__ = "intent_effects"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    intent_id: Mapped[int] = mapped_column(ForeignKey("intents.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- Business agents: the shop's data, and what its agent did -------------------------------


class BusinessPolicy(Base):
    """What a business wrote for its agent: returns window, identity checks, what it may never
    do. Hard limits are parsed from the text (``studio.business.policy``), enforced in code."""

    __tablename__ = "business_policies"

    business_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Product(Base):
    """A product or service a business sells."""

    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("business_id", "sku", name="uq_products_business_sku"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    price_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    stock: Mapped[int | None] = mapped_column(Integer)  # None: a service, never out of stock
    # {"size": ["small", "large"], ...}: the choices a customer makes when ordering.
    options: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Customer(Base):
    """A business's customer, linked to the platform account that talks to its agent."""

    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("business_id", "account_id", name="uq_customers_business_account"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120))
    # What the customer must repeat before the agent touches an order.
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("business_id", "number", name="uq_orders_business_number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(32))  # what the customer quotes, e.g. "B-1001"
    # pending | shipped | delivered | cancelled | return_requested | exchange_requested
    status: Mapped[str] = mapped_column(String(24), default="pending")
    total_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))  # as sold, whatever the catalog says later
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    options: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


class OrderEvent(Base):
    """One line of an order's history."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # placed | cancelled | return_requested | ...
    detail: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(16))  # agent | owner | customer
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AppointmentSlot(Base):
    __tablename__ = "appointment_slots"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer, default=30)
    service: Mapped[str] = mapped_column(String(200), default="")


class Booking(Base):
    """A customer's appointment; a slot has at most one booking that is not cancelled."""

    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slot_id: Mapped[int] = mapped_column(
        ForeignKey("appointment_slots.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="booked")  # booked | cancelled
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Ticket(Base):
    """A support ticket: a complaint, a return to handle, a conversation handed to a person."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # support | handoff
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ToolCall(Base):
    """The audit log: every tool a business agent called, why, and what came of it. A change
    that needs the customer's yes is first stored as ``proposed``, and done only after it."""

    __tablename__ = "tool_calls"
    __table_args__ = (Index("ix_tool_calls_thread_id_id", "thread_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    tool: Mapped[str] = mapped_column(String(40))
    arguments: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # ok | refused | error | proposed | confirmed | declined
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Installation(Base):
    """This installation's identity: one row, written by the migration that made the table. It
    keeps names that outlive the app database unique, e.g. the intents' workflow ids in a
    workflow engine's system database that another installation may share."""

    __tablename__ = "installation"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # a random UUID, as hex
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
