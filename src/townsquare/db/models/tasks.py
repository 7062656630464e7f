"""Tables of intents (tasks/): goals an agent carries out over hours or weeks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from townsquare.db.models.base import Base
from townsquare.db.types import BigId, UTCDateTime, utcnow


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
