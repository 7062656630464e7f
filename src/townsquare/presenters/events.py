"""Events as clients report them and read them back."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from townsquare.db.models import Event
from townsquare.presenters import RequestModel, RowId
from townsquare.social import events

EventType = Literal[
    "impression", "open", "dwell", "like", "comment", "share", "follow", "hide", "report"
]
ExposureType = Literal["impression", "open", "dwell"]
Surface = Literal["feed", "profile", "post", "search", "messages", "notifications", "studio", "api"]


class EventIn(RequestModel):
    """What a client saw: actions are logged by the server when they happen."""

    type: ExposureType
    surface: Surface
    post_id: RowId
    dwell_ms: int | None = Field(
        None, ge=0, le=events.MAX_DWELL_MS, description="For dwell events only."
    )


class EventOut(BaseModel):
    id: int
    type: EventType
    surface: Surface
    post_id: int | None
    target_account_id: int | None
    dwell_ms: int | None
    extra: dict[str, Any] = Field(description="Server-written context (a comment's id).")
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
