"""Rehearse: pick or describe a hard conversation, play it with the reply streaming, read the
feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from townsquare.db.models import Account
from townsquare.errors import TownsquareError
from townsquare.http import IdPath, event_stream, get_chat_model, wants_event_stream
from townsquare.presenters.rehearsals import (
    RehearsalCreate,
    TurnCreate,
    rehearsal_public,
    rehearsal_summary,
    scenario_public,
)
from townsquare.studio import rehearsal as rehearsals
from townsquare.studio import rehearsal_feedback
from townsquare.web.session import Csrf, Member, WebSession, render, sentence, web_router

router = web_router()


def _problem(error: ValidationError | TownsquareError) -> str:
    if isinstance(error, TownsquareError):
        return sentence(str(error))
    return sentence("; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in error.errors()))


def _start_page(
    request: Request,
    me: Account,
    session: WebSession,
    form: dict[str, str],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "rehearse.html",
        me,
        status_code=status_code,
        scenarios=[scenario_public(s) for s in rehearsals.SCENARIOS.values()],
        past=[
            rehearsal_summary(r)
            for r in rehearsals.list_rehearsals(session, me, cursor=None, limit=20).items
        ],
        form=form,
        error=error,
    )


@router.get("/rehearse")
def start_page(request: Request, me: Member, session: WebSession) -> Response:
    return _start_page(request, me, session, {"scenario": "raise"})


@router.post("/rehearse", dependencies=[Csrf])
def start(
    request: Request,
    me: Member,
    session: WebSession,
    scenario: Annotated[str, Form(max_length=32)] = "",
    other_person: Annotated[str, Form(max_length=rehearsals.MAX_DESCRIPTION_CHARS * 2)] = "",
    goal: Annotated[str, Form(max_length=rehearsals.MAX_GOAL_CHARS * 2)] = "",
    title: Annotated[str, Form(max_length=rehearsals.MAX_TITLE_CHARS * 2)] = "",
) -> Response:
    form = {"scenario": scenario, "other_person": other_person, "goal": goal, "title": title}
    try:
        body = RehearsalCreate(
            scenario=scenario,
            other_person=other_person.strip() or None,
            goal=goal,
            title=title.strip() or None,
        )
        started = rehearsals.start_rehearsal(
            session, me, model=get_chat_model(request), **body.model_dump()
        )
    except (ValidationError, TownsquareError) as error:
        session.rollback()
        return _start_page(request, me, session, form, _problem(error), 422)
    session.commit()
    return RedirectResponse(f"/rehearse/{started.id}", status_code=303)


def _play_page(
    request: Request,
    me: Account,
    session: WebSession,
    rehearsal_id: int,
    *,
    text: str = "",
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    shown = rehearsal_public(rehearsals.get_rehearsal(session, me, rehearsal_id))
    return render(
        request,
        "rehearsal.html",
        me,
        status_code=status_code,
        r=shown,
        text=text,
        error=error,
    )


@router.get("/rehearse/{rehearsal_id}")
def play(request: Request, rehearsal_id: IdPath, me: Member, session: WebSession) -> Response:
    return _play_page(request, me, session, rehearsal_id)


@router.post("/rehearse/{rehearsal_id}/say", dependencies=[Csrf])
def say(
    request: Request,
    rehearsal_id: IdPath,
    me: Member,
    session: WebSession,
    text: Annotated[str, Form(max_length=rehearsals.MAX_LINE_CHARS * 2)] = "",
) -> Response:
    """Your line; with ``Accept: text/event-stream`` the reply streams back."""
    try:
        body = TurnCreate(text=text)
        pending = rehearsals.begin_turn(session, me, rehearsal_id, body.text)
    except (ValidationError, TownsquareError) as error:
        session.rollback()
        return _play_page(
            request, me, session, rehearsal_id, text=text, error=_problem(error), status_code=422
        )
    session.commit()  # the line is kept before the model runs
    model = get_chat_model(request)
    if wants_event_stream(request):
        database = request.app.state.database
        return event_stream(rehearsals.reply_events(database, me, pending, model=model))
    rehearsals.answer_turn(session, me, pending, model=model)
    session.commit()
    return RedirectResponse(f"/rehearse/{rehearsal_id}#composer", status_code=303)


@router.post("/rehearse/{rehearsal_id}/finish", dependencies=[Csrf])
def finish(rehearsal_id: IdPath, me: Member, session: WebSession) -> Response:
    rehearsal_feedback.finish_rehearsal(session, me, rehearsal_id)
    session.commit()
    return RedirectResponse(f"/rehearse/{rehearsal_id}#feedback", status_code=303)
