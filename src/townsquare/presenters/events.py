"""Events as clients report them and read them back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from townsquare.db.models import Event
from townsquare.presenters import JsonBounds, RequestModel, RowId
from townsquare.social import events

EventType = Literal[
    "impression", "open", "dwell", "like", "comment", "share", "follow", "hide", "report"
]
Surface = Literal["feed", "profile", "post", "search", "messages", "notifications", "studio", "api"]


class EventIn(RequestModel):
    type: EventType
    surface: Surface
    post_id: RowId | None = None
    target_account_id: RowId | None = None
    dwell_ms: int | None = Field(None, ge=0, le=events.MAX_DWELL_MS)
    extra: Annotated[dict[str, Any], JsonBounds(max_keys=16, max_depth=2, max_bytes=2048)] = Field(
        default_factory=dict, description="Free-form context."
    )


class EventOut(EventIn):
    id: int
    created_at: datetime


def event_public(event: Event) -> EventOut:
    return EventOut.model_validate(
        {
            "id": event.id,
            "type": event.type,
            "surface": event.surface,
            "post_id": event.post_id,
            "target_account_id": event.target_account_id,
            "dwell_ms": event.dwell_ms,
            "extra": event.extra,
            "created_at": event.created_at,
        }
    )
