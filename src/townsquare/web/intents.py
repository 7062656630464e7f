"""Intents: give your assistant a goal, follow what it does, pause, resume or cancel it, and
inspect its planning tree (each step it considered, its score, kept or pruned and why). The
server's intent worker picks up what these pages write; questions and approvals it sends back
are answered from the inbox (``web.inbox``) or from the intent's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from townsquare.db.models import Account
from townsquare.errors import Conflict, TownsquareError
from townsquare.http import IdPath
from townsquare.tasks import intents
from townsquare.web.session import Csrf, Member, WebSession, render, sentence, web_router

router = web_router()

LIVE = ("pending", "running", "waiting", "watching", "asking")
MAX_OPTIONS_TEXT = intents.MAX_OPTIONS * 200


@dataclass(frozen=True)
class NewIntent:
    """What the member typed into the new-intent form."""

    goal: str = ""
    options: str = ""  # one thing to choose among per line
    autonomous: bool = False

    def option_list(self) -> list[dict[str, str]]:
        return [{"name": line.strip()} for line in self.options.splitlines() if line.strip()]


@dataclass(frozen=True)
class Typed:
    """An answer the member typed for one inbox item, shown again when it was refused."""

    item_id: int
    answer: str
    error: str


def _list_page(
    request: Request,
    me: Account,
    session: WebSession,
    *,
    form: NewIntent | None = None,
    error: str | None = None,
    status_code: int = 200,
    cursor: str | None = None,
) -> Response:
    page = intents.list_intents(session, me, cursor=cursor, limit=20)
    return render(
        request,
        "intents.html",
        me,
        status_code=status_code,
        intents=page.items,
        next_cursor=page.next_cursor,
        form=form or NewIntent(),
        error=error,
        live=LIVE,
    )


@router.get("/goals")
def intents_page(
    request: Request, me: Member, session: WebSession, cursor: str | None = None
) -> Response:
    return _list_page(request, me, session, cursor=cursor)


@router.post("/goals", dependencies=[Csrf])
def create(
    request: Request,
    me: Member,
    session: WebSession,
    goal: Annotated[str, Form(max_length=intents.MAX_GOAL * 2)] = "",
    options: Annotated[str, Form(max_length=MAX_OPTIONS_TEXT)] = "",
    autonomous: Annotated[bool, Form()] = False,
) -> Response:
    form = NewIntent(goal, options, autonomous)
    options_given = form.option_list()
    spec = {"options": options_given} if options_given else {}
    try:
        row = intents.create_intent(session, me, goal, spec=spec, autonomous=autonomous)
    except TownsquareError as error:
        session.rollback()
        return _list_page(
            request,
            me,
            session,
            form=form,
            error=sentence(str(error)),
            status_code=error.status,
        )
    session.commit()
    return RedirectResponse(f"/goals/{row.id}", status_code=303)


def intent_page(
    request: Request,
    me: Account,
    session: WebSession,
    intent_id: int,
    *,
    error: str | None = None,
    typed: Typed | None = None,
    status_code: int = 200,
) -> Response:
    """One intent with its tree, inbox items and effects (also shown again by the inbox's
    answer form when an answer is refused)."""
    detail = intents.inspect_intent(session, me, intent_id)
    return render(
        request,
        "intent.html",
        me,
        status_code=status_code,
        intent=detail.intent,
        nodes=detail.nodes,
        items=detail.inbox,
        effects=detail.effects,
        error=error,
        typed=typed,
        live=LIVE,
    )


@router.get("/goals/{intent_id}")
def intent(request: Request, intent_id: IdPath, me: Member, session: WebSession) -> Response:
    return intent_page(request, me, session, intent_id)


def _command(command: str) -> None:
    def endpoint(request: Request, intent_id: IdPath, me: Member, session: WebSession) -> Response:
        try:
            intents.request(session, me, intent_id, command)
        except Conflict as error:
            session.rollback()
            return intent_page(
                request, me, session, intent_id, error=sentence(str(error)), status_code=409
            )
        session.commit()
        return RedirectResponse(f"/goals/{intent_id}", status_code=303)

    endpoint.__name__ = f"{command}_intent"
    router.post(f"/goals/{{intent_id}}/{command}", dependencies=[Csrf])(endpoint)


for _name in intents.COMMANDS:
    _command(_name)
