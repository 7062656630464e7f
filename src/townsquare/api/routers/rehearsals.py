"""Rehearsals: practise a hard conversation with the model playing the other person, then get
feedback. Only the member who started a rehearsal can see it.

The model never runs while this request holds a database transaction: the member's line is
committed before the reply is generated, and the reply is stored in a second transaction.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Literal

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from townsquare.ai.chat import ChatModel, StructuredOutputError
from townsquare.api.deps import CurrentAccount
from townsquare.db import Database
from townsquare.db.models import Account, Rehearsal
from townsquare.http import Cursor, IdPath, Limit, SessionDep
from townsquare.presenters import PageOut, RequestModel
from townsquare.studio import rehearsal as rehearsals
from townsquare.studio.rehearsal import Feedback, PendingReply

router = APIRouter(prefix="/rehearsals", tags=["rehearsal"])

log = logging.getLogger(__name__)

EVENT_STREAM = "text/event-stream"


class ScenarioPublic(BaseModel):
    key: str
    title: str
    other_person: str = Field(description="Who the other person is, unless you describe them.")
    opens_with: str = Field(description="The kind of line the other person opens with.")
    watch_for: list[str] = Field(description="What the feedback looks at.")


class RehearsalCreate(RequestModel):
    scenario: str = Field(
        max_length=32, description="'raise', 'friend', 'boundary', or 'custom' (describe it)."
    )
    other_person: str | None = Field(
        None,
        max_length=rehearsals.MAX_DESCRIPTION_CHARS,
        description="Who the other person is and how they behave; required for 'custom'.",
    )
    goal: str = Field("", max_length=rehearsals.MAX_GOAL_CHARS, description="What you want.")
    title: str | None = Field(
        None, max_length=rehearsals.MAX_TITLE_CHARS, description="What the conversation is about."
    )


class Line(BaseModel):
    role: Literal["member", "other"]
    text: str


class RehearsalSummary(BaseModel):
    id: int
    scenario: str
    title: str
    status: str = Field(description="'active', or 'finished' once there is feedback.")
    lines: int
    created_at: datetime
    finished_at: datetime | None


class RehearsalPublic(RehearsalSummary):
    other_person: str
    goal: str
    lines_left: int = Field(description="Lines either of you may still say.")
    transcript: list[Line]
    feedback: Feedback | None


class TurnCreate(RequestModel):
    text: str = Field(min_length=1, max_length=rehearsals.MAX_LINE_CHARS)


class TurnOut(BaseModel):
    reply: str = Field(description="What the other person says back.")
    lines_left: int


def _summary(rehearsal: Rehearsal) -> RehearsalSummary:
    return RehearsalSummary(
        id=rehearsal.id,
        scenario=rehearsal.scenario,
        title=rehearsal.title,
        status=rehearsal.status,
        lines=len(rehearsal.transcript),
        created_at=rehearsal.created_at,
        finished_at=rehearsal.finished_at,
    )


def _public(rehearsal: Rehearsal) -> RehearsalPublic:
    return RehearsalPublic(
        **_summary(rehearsal).model_dump(),
        other_person=rehearsal.other_person,
        goal=rehearsal.goal,
        lines_left=_lines_left(len(rehearsal.transcript)),
        transcript=[Line.model_validate(line) for line in rehearsal.transcript],
        feedback=None
        if rehearsal.feedback is None
        else Feedback.model_validate(rehearsal.feedback),
    )


def _lines_left(lines: int) -> int:
    return max(0, rehearsals.MAX_LINES - lines)


def _chat(request: Request) -> ChatModel:
    model: ChatModel = request.app.state.models.chat
    return model


@router.get("/scenarios", response_model=list[ScenarioPublic])
def list_scenarios() -> list[ScenarioPublic]:
    """The preset conversations. For your own, start a rehearsal with scenario 'custom' and
    describe the other person in `other_person`."""
    return [
        ScenarioPublic(
            key=scenario.key,
            title=scenario.title,
            other_person=scenario.other_person,
            opens_with=scenario.opening_line,
            watch_for=list(scenario.watch_for),
        )
        for scenario in rehearsals.SCENARIOS.values()
    ]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RehearsalPublic)
def start_rehearsal(
    body: RehearsalCreate, me: CurrentAccount, session: SessionDep, request: Request
) -> RehearsalPublic:
    """Starts a rehearsal; the other person has already said their first line."""
    rehearsal = rehearsals.start_rehearsal(
        session,
        me,
        body.scenario,
        other_person=body.other_person,
        goal=body.goal,
        title=body.title,
        model=_chat(request),
    )
    session.commit()
    return _public(rehearsal)


@router.get("", response_model=PageOut[RehearsalSummary])
def list_rehearsals(
    me: CurrentAccount, session: SessionDep, cursor: Cursor = None, limit: Limit = 20
) -> PageOut[RehearsalSummary]:
    """Your rehearsals, newest first."""
    page = rehearsals.list_rehearsals(session, me, cursor=cursor, limit=limit)
    return PageOut(items=[_summary(r) for r in page.items], next_cursor=page.next_cursor)


@router.get("/{rehearsal_id}", response_model=RehearsalPublic)
def get_rehearsal(rehearsal_id: IdPath, me: CurrentAccount, session: SessionDep) -> RehearsalPublic:
    """One of your rehearsals, with its transcript and, once finished, the feedback."""
    return _public(rehearsals.get_rehearsal(session, me, rehearsal_id))


@router.post(
    "/{rehearsal_id}/turns",
    response_model=TurnOut,
    responses={
        200: {
            "content": {
                EVENT_STREAM: {
                    "example": 'event: delta\ndata: {"text": "Go on."}\n\n'
                    'event: done\ndata: {"reply": "Go on.", "lines_left": 37}\n\n'
                }
            }
        }
    },
)
def take_turn(
    rehearsal_id: IdPath,
    body: TurnCreate,
    me: CurrentAccount,
    session: SessionDep,
    request: Request,
) -> TurnOut | StreamingResponse:
    """Says your line; the answer is the other person's reply. With `Accept:
    text/event-stream` the reply streams as `delta` events (`{"text"}`), then one `done` event
    (the JSON answer), or an `error` event. Your line is stored before the reply starts, so it
    is kept even if the reply never arrives."""
    pending = rehearsals.begin_turn(session, me, rehearsal_id, body.text)
    session.commit()
    model = _chat(request)
    if EVENT_STREAM in request.headers.get("accept", ""):
        database: Database = request.app.state.database
        return StreamingResponse(
            _stream(database, me, pending, model),
            media_type=EVENT_STREAM,
            headers={"Cache-Control": "no-cache"},
        )
    reply = "".join(rehearsals.stream_reply(pending, model=model))
    rehearsals.record_reply(session, me, pending, reply)
    session.commit()
    return TurnOut(reply=reply, lines_left=_lines_left(len(pending.transcript) + 1))


def _stream(
    database: Database, me: Account, pending: PendingReply, model: ChatModel
) -> Iterator[str]:
    """The SSE body. The reply is stored in a session of its own: the request's may be closed
    by the time the stream ends."""
    pieces: list[str] = []
    try:
        for piece in rehearsals.stream_reply(pending, model=model):
            pieces.append(piece)
            yield _event("delta", {"text": piece})
        reply = "".join(pieces)
        with database.session() as session:
            rehearsals.record_reply(session, me, pending, reply)
    except Exception:
        log.exception("rehearsal %s: the reply failed", pending.rehearsal_id)
        yield _event("error", {"detail": "the other person could not answer; your line was kept"})
        return
    done = TurnOut(reply=reply, lines_left=_lines_left(len(pending.transcript) + 1))
    yield _event("done", done.model_dump())


def _event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


@router.post("/{rehearsal_id}/finish", response_model=Feedback)
def finish_rehearsal(
    rehearsal_id: IdPath, me: CurrentAccount, session: SessionDep, request: Request
) -> Feedback:
    """Ends the rehearsal with feedback: what worked, what to try, and a better way to say
    one of your lines. Finishing again returns the same feedback."""
    step = rehearsals.begin_finish(session, me, rehearsal_id)
    if isinstance(step, Feedback):
        return step
    session.commit()  # no transaction stays open while the model writes
    try:
        feedback = rehearsals.write_feedback(step, model=_chat(request))
    except StructuredOutputError as error:
        log.warning("rehearsal %s: unusable feedback: %s", rehearsal_id, error)
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "the model's feedback did not have the expected shape; finish again to retry",
        ) from error
    stored = rehearsals.store_feedback(session, me, step, feedback)
    session.commit()
    return stored
