"""Rehearsals: practise a hard conversation with the model playing the other person, then get
feedback. Only the member who started a rehearsal can see it.

The model never runs while this request holds a database transaction: the member's line is
committed before the reply is generated, and the reply is stored in a second transaction.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from fastapi.responses import StreamingResponse

from townsquare.api.deps import CurrentAccount
from townsquare.http import (
    EVENT_STREAM,
    Cursor,
    IdPath,
    Limit,
    SessionDep,
    event_stream,
    get_chat_model,
    wants_event_stream,
)
from townsquare.presenters import PageOut, page_out
from townsquare.presenters.rehearsals import (
    RehearsalCreate,
    RehearsalPublic,
    RehearsalSummary,
    ScenarioPublic,
    TurnCreate,
    TurnOut,
    rehearsal_public,
    rehearsal_summary,
    scenario_public,
)
from townsquare.studio import rehearsal as rehearsals
from townsquare.studio import rehearsal_feedback
from townsquare.studio.rehearsal_feedback import Feedback

router = APIRouter(prefix="/rehearsals", tags=["rehearsal"])


@router.get("/scenarios", response_model=list[ScenarioPublic])
def list_scenarios() -> list[ScenarioPublic]:
    """The preset conversations. For your own, start a rehearsal with scenario 'custom' and
    describe the other person in `other_person`."""
    return [scenario_public(scenario) for scenario in rehearsals.SCENARIOS.values()]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RehearsalPublic)
def start_rehearsal(
    body: RehearsalCreate, me: CurrentAccount, session: SessionDep, request: Request
) -> RehearsalPublic:
    """Starts a rehearsal; the other person has already said their first line."""
    rehearsal = rehearsals.start_rehearsal(
        session, me, model=get_chat_model(request), **body.model_dump()
    )
    session.commit()
    return rehearsal_public(rehearsal)


@router.get("", response_model=PageOut[RehearsalSummary])
def list_rehearsals(
    me: CurrentAccount, session: SessionDep, cursor: Cursor = None, limit: Limit = 20
) -> PageOut[RehearsalSummary]:
    """Your rehearsals, newest first."""
    page = rehearsals.list_rehearsals(session, me, cursor=cursor, limit=limit)
    return page_out(page, rehearsal_summary)


@router.get("/{rehearsal_id:int}", response_model=RehearsalPublic)
def get_rehearsal(rehearsal_id: IdPath, me: CurrentAccount, session: SessionDep) -> RehearsalPublic:
    """One of your rehearsals, with its transcript and, once finished, the feedback."""
    return rehearsal_public(rehearsals.get_rehearsal(session, me, rehearsal_id))


@router.post(
    "/{rehearsal_id:int}/turns",
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
    model = get_chat_model(request)
    if wants_event_stream(request):
        database = request.app.state.database
        return event_stream(rehearsals.reply_events(database, me, pending, model=model))
    reply = rehearsals.answer_turn(session, me, pending, model=model)
    session.commit()
    return TurnOut(reply=reply, lines_left=rehearsals.lines_left(len(pending.transcript) + 1))


@router.post("/{rehearsal_id:int}/finish", response_model=Feedback)
def finish_rehearsal(rehearsal_id: IdPath, me: CurrentAccount, session: SessionDep) -> Feedback:
    """Ends the rehearsal with feedback: what worked, what to try, and a better way to say
    one of your lines. Finishing again returns the same feedback."""
    feedback = rehearsal_feedback.finish_rehearsal(session, me, rehearsal_id)
    session.commit()
    return feedback
