"""The event log: clients report what members saw and did."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from townsquare.api.deps import CurrentAccount
from townsquare.http import Cursor, Limit, SessionDep
from townsquare.presenters import PageOut, RequestModel, page_out
from townsquare.presenters.events import EventIn, EventOut, event_public
from townsquare.social import events

router = APIRouter(prefix="/events", tags=["events"])

MAX_BATCH = 500


class EventBatch(RequestModel):
    events: list[EventIn] = Field(min_length=1, max_length=MAX_BATCH)


class Recorded(BaseModel):
    ids: list[int]


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
    return page_out(page, event_public)
