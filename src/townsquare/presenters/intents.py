"""Public shapes of intents: an intent, its planning tree's nodes, its inbox items and the side
effects it caused, built from rows by the ``*_public`` functions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from townsquare.db.models import InboxItem, Intent, IntentEffect, IntentNode
from townsquare.tasks.intents import IntentDetail

IntentStatus = Literal[
    "pending", "running", "waiting", "watching", "asking", "paused", "done", "failed", "cancelled"
]


class NodeOut(BaseModel):
    key: str
    parent_key: str | None
    round: int
    depth: int
    action: dict[str, Any]
    score: float
    status: str
    reason: str


class InboxItemOut(BaseModel):
    id: int
    intent_id: int
    kind: str
    text: str
    choices: list[str]
    answer: str | None
    answered_at: datetime | None
    created_at: datetime


class EffectOut(BaseModel):
    key: str
    action: str
    result: dict[str, Any]
    created_at: datetime


class IntentOut(BaseModel):
    id: int
    goal: str
    status: IntentStatus
    requested: str | None = Field(description="A pause/resume/cancel the worker has yet to apply.")
    spec: dict[str, Any]
    autonomous: bool
    budget: dict[str, float]
    used: dict[str, float]
    result: str
    error: str
    created_at: datetime
    finished_at: datetime | None


class IntentDetailOut(IntentOut):
    tree: list[NodeOut]
    inbox: list[InboxItemOut]
    effects: list[EffectOut]


def _fields(row: object, shape: type[BaseModel]) -> dict[str, Any]:
    return {f: getattr(row, f) for f in shape.model_fields}


def intent_public(row: Intent) -> IntentOut:
    return IntentOut.model_validate(_fields(row, IntentOut))


def inbox_item_public(row: InboxItem) -> InboxItemOut:
    return InboxItemOut.model_validate(_fields(row, InboxItemOut))


def node_public(row: IntentNode) -> NodeOut:
    return NodeOut.model_validate(_fields(row, NodeOut))


def effect_public(row: IntentEffect) -> EffectOut:
    return EffectOut.model_validate(_fields(row, EffectOut))


def intent_detail_public(detail: IntentDetail) -> IntentDetailOut:
    """The intent with its planning tree, inbox items and effects."""
    return IntentDetailOut.model_validate(
        {
            **_fields(detail.intent, IntentOut),
            "tree": [node_public(n) for n in detail.nodes],
            "inbox": [inbox_item_public(i) for i in detail.inbox],
            "effects": [effect_public(e) for e in detail.effects],
        }
    )
