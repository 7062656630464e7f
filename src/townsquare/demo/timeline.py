"""What happens in the demo month, as plain records: who publishes, follows, reacts and writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from townsquare.demo.content import PostSpec


@dataclass(frozen=True)
class PostRef:
    """A post before it has an id: its author and its place in the author's content."""

    author: str
    index: int


@dataclass(frozen=True)
class Publish:
    at: datetime
    ref: PostRef
    spec: PostSpec


@dataclass(frozen=True)
class Follow:
    at: datetime
    follower: str
    followee: str
    surface: str


@dataclass(frozen=True)
class Interaction:
    """An event on a post; ``like`` and ``comment`` go through the post service."""

    at: datetime
    actor: str
    ref: PostRef
    type: str
    surface: str
    dwell_ms: int | None = None
    comment: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DirectMessage:
    at: datetime
    sender: str
    participants: tuple[str, ...]
    text: str


Action = Publish | Follow | Interaction | DirectMessage
