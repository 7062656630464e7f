"""The event log: clients report what members saw and did."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from townsquare.api.deps import CurrentAccount
from townsquare.db.models import Event
from townsquare.http import Cursor, Limit, SessionDep
from townsquare.presenters import PageOut, RequestModel, RowId
from townsquare.social import events

router = APIRouter(prefix="/events", tags=["events"])

MAX_BATCH = 500

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
    extra: dict[str, Any] = Field(default_factory=dict, description="Free-form context.")


class EventBatch(RequestModel):
    events: list[EventIn] = Field(min_length=1, max_length=MAX_BATCH)


class EventOut(EventIn):
    id: int
    created_at: datetime


class Recorded(BaseModel):
    ids: list[int]


def _out(event: Event) -> EventOut:
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


@router.post("", status_code=status.HTTP_201_CREATED, response_model=Recorded)
def record(body: EventBatch, me: CurrentAccount, session: SessionDep) -> Recorded:
    """Appends a batch of events, all or none. Likes, comments and follows made through the
    API are logged by the server; report impressions, opens, dwell, shares, hides and reports."""
    recorded = [events.record_event(session, me, **item.model_dump()) for item in body.events]
    session.commit()
    return Recorded(ids=[e.id for e in recorded])


@router.get("", response_model=PageOut[EventOut])
def list_events(
    me: CurrentAccount, session: SessionDep, cursor: Cursor = None, limit: Limit = 50
) -> PageOut[EventOut]:
    """Your own events, newest first."""
    page = events.list_events(session, me, cursor=cursor, limit=limit)
    return PageOut(items=[_out(e) for e in page.items], next_cursor=page.next_cursor)
