"""Rehearse: pick or describe a hard conversation, play it with the reply streaming, read the
feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from townsquare.api.routers import rehearsals as rehearsals_api
from townsquare.db.models import Account
from townsquare.errors import TownsquareError
from townsquare.http import IdPath
from townsquare.studio import rehearsal as rehearsals
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
        scenarios=rehearsals_api.list_scenarios(),
        past=rehearsals_api.list_rehearsals(me, session, None, 20).items,
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
        body = rehearsals_api.RehearsalCreate(
            scenario=scenario,
            other_person=other_person.strip() or None,
            goal=goal,
            title=title.strip() or None,
        )
        started = rehearsals_api.start_rehearsal(body, me, session, request)
    except (ValidationError, TownsquareError) as error:
        session.rollback()
        return _start_page(request, me, session, form, _problem(error), 422)
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
    shown = rehearsals_api.get_rehearsal(rehearsal_id, me, session)
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
        body = rehearsals_api.TurnCreate(text=text)
        answer = rehearsals_api.take_turn(rehearsal_id, body, me, session, request)
    except (ValidationError, TownsquareError) as error:
        session.rollback()
        return _play_page(
            request, me, session, rehearsal_id, text=text, error=_problem(error), status_code=422
        )
    if isinstance(answer, Response):
        return answer
    return RedirectResponse(f"/rehearse/{rehearsal_id}#composer", status_code=303)


@router.post("/rehearse/{rehearsal_id}/finish", dependencies=[Csrf])
def finish(request: Request, rehearsal_id: IdPath, me: Member, session: WebSession) -> Response:
    try:
        rehearsals_api.finish_rehearsal(rehearsal_id, me, session, request)
    except HTTPException as error:
        session.rollback()
        return _play_page(
            request,
            me,
            session,
            rehearsal_id,
            error=sentence(str(error.detail)),
            status_code=error.status_code,
        )
    return RedirectResponse(f"/rehearse/{rehearsal_id}#feedback", status_code=303)
