"""Inbox: what waits for you across your agents (drafts to approve, conversations) and your
intents (questions and approvals to answer, results), and each agent's inbox, where you approve
or edit drafts and take a conversation over or hand it back."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from townsquare.db.models import Account
from townsquare.errors import Conflict, InvalidInput, TownsquareError
from townsquare.http import IdPath
from townsquare.presenters.agents import agent_public
from townsquare.presenters.messages import (
    AgentThreadPublic,
    DraftPublic,
    agent_thread_public,
    draft_public,
    message_public,
)
from townsquare.social.messages import MAX_MESSAGE
from townsquare.studio import agents, owner_inbox
from townsquare.tasks import inbox as intent_inbox
from townsquare.web.intents import Typed, intent_page
from townsquare.web.session import Csrf, Member, WebSession, render, sentence, web_router

router = web_router()

Text = Annotated[str, Form(max_length=MAX_MESSAGE * 2)]


INTENT_ITEMS = 20


def _drafts(session: WebSession, me: Account, handle: str, limit: int) -> list[DraftPublic]:
    page = owner_inbox.list_drafts(session, me, handle, status="pending", cursor=None, limit=limit)
    return [draft_public(session, d) for d in page.items]


def _threads(session: WebSession, me: Account, handle: str, limit: int) -> list[AgentThreadPublic]:
    page = owner_inbox.list_agent_threads(session, me, handle, cursor=None, limit=limit)
    return [agent_thread_public(session, t) for t in page.items]


def _inbox_page(
    request: Request,
    me: Account,
    session: WebSession,
    *,
    typed: Typed | None = None,
    status_code: int = 200,
) -> Response:
    mine = agents.list_agents(session, me, owner=me, cursor=None, limit=100).items
    boxes = []
    for agent in mine:
        handle = agents.agent_account(session, agent).handle
        boxes.append(
            {
                "agent": agent_public(session, agent),
                "drafts": _drafts(session, me, handle, 20),
                "threads": _threads(session, me, handle, 5),
            }
        )
    waiting = intent_inbox.list_inbox(session, me, unanswered=True, limit=INTENT_ITEMS).items
    recent = [
        item
        for item in intent_inbox.list_inbox(session, me, limit=INTENT_ITEMS).items
        if item not in waiting
    ]
    return render(
        request,
        "inbox.html",
        me,
        status_code=status_code,
        boxes=boxes,
        waiting=waiting,
        recent=recent,
        typed=typed,
    )


@router.get("/inbox")
def inbox(request: Request, me: Member, session: WebSession) -> Response:
    return _inbox_page(request, me, session)


@router.post("/inbox/answers/{item_id}", dependencies=[Csrf])
def answer(
    request: Request,
    item_id: IdPath,
    me: Member,
    session: WebSession,
    answer: Annotated[str, Form(max_length=intent_inbox.MAX_ANSWER * 2)] = "",
    back: Annotated[Literal["inbox", "intent"], Form()] = "inbox",
) -> Response:
    """Answers an intent's question or approval (the API's answer function): the worker hands
    the answer to the waiting intent, which goes on."""
    try:
        item = intent_inbox.answer_item(session, me, item_id, answer)
    except (InvalidInput, Conflict) as error:
        session.rollback()
        typed, code = Typed(item_id, answer, sentence(str(error))), error.status
        if back == "intent":
            intent_id = intent_inbox.get_item(session, me, item_id).intent_id
            return intent_page(request, me, session, intent_id, typed=typed, status_code=code)
        return _inbox_page(request, me, session, typed=typed, status_code=code)
    session.commit()
    if back == "intent":
        return RedirectResponse(f"/goals/{item.intent_id}#item-{item.id}", status_code=303)
    return RedirectResponse("/inbox#intents", status_code=303)


def _agent_page(
    request: Request,
    me: Account,
    session: WebSession,
    handle: str,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    agent = agents.owned_agent(session, me, handle)
    return render(
        request,
        "agent_inbox.html",
        me,
        status_code=status_code,
        agent=agent_public(session, agent),
        drafts=_drafts(session, me, handle, 50),
        threads=_threads(session, me, handle, 50),
        error=error,
    )


@router.get("/inbox/{handle}")
def agent_inbox(request: Request, handle: str, me: Member, session: WebSession) -> Response:
    return _agent_page(request, me, session, handle)


@router.post("/inbox/{handle}/drafts/{draft_id}/approve", dependencies=[Csrf])
def approve(
    request: Request,
    handle: str,
    draft_id: IdPath,
    me: Member,
    session: WebSession,
    text: Text = "",
) -> Response:
    try:
        owner_inbox.approve_draft(session, me, handle, draft_id, text=text.strip() or None)
        session.commit()
    except TownsquareError as error:
        session.rollback()
        return _agent_page(
            request, me, session, handle, error=sentence(str(error)), status_code=422
        )
    return RedirectResponse(f"/inbox/{handle}", status_code=303)


@router.post("/inbox/{handle}/drafts/{draft_id}/discard", dependencies=[Csrf])
def discard(handle: str, draft_id: IdPath, me: Member, session: WebSession) -> Response:
    owner_inbox.discard_draft(session, me, handle, draft_id)
    session.commit()
    return RedirectResponse(f"/inbox/{handle}", status_code=303)


def _thread_page(
    request: Request,
    me: Account,
    session: WebSession,
    handle: str,
    thread_id: int,
    *,
    text: str = "",
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    agent = agents.owned_agent(session, me, handle)
    state = next((t for t in _threads(session, me, handle, 100) if t.thread_id == thread_id), None)
    page = owner_inbox.thread_messages(session, me, handle, thread_id, cursor=None, limit=100)
    shown = [message_public(session, m) for m in page.items]
    return render(
        request,
        "owner_thread.html",
        me,
        status_code=status_code,
        agent=agent_public(session, agent),
        state=state,
        thread_id=thread_id,
        messages=list(reversed(shown)),
        text=text,
        error=error,
    )


@router.get("/inbox/{handle}/threads/{thread_id}")
def owner_thread(
    request: Request, handle: str, thread_id: IdPath, me: Member, session: WebSession
) -> Response:
    return _thread_page(request, me, session, handle, thread_id)


@router.post("/inbox/{handle}/threads/{thread_id}/takeover", dependencies=[Csrf])
def take_over(handle: str, thread_id: IdPath, me: Member, session: WebSession) -> Response:
    owner_inbox.take_over(session, me, handle, thread_id)
    session.commit()
    return RedirectResponse(f"/inbox/{handle}/threads/{thread_id}", status_code=303)


@router.post("/inbox/{handle}/threads/{thread_id}/handback", dependencies=[Csrf])
def hand_back(handle: str, thread_id: IdPath, me: Member, session: WebSession) -> Response:
    owner_inbox.hand_back(session, me, handle, thread_id)
    session.commit()
    return RedirectResponse(f"/inbox/{handle}/threads/{thread_id}", status_code=303)


@router.post("/inbox/{handle}/threads/{thread_id}/send", dependencies=[Csrf])
def send_in_person(
    request: Request,
    handle: str,
    thread_id: IdPath,
    me: Member,
    session: WebSession,
    text: Text = "",
) -> Response:
    try:
        owner_inbox.owner_send(session, me, handle, thread_id, text)
        session.commit()
    except TownsquareError as error:
        session.rollback()
        return _thread_page(
            request,
            me,
            session,
            handle,
            thread_id,
            text=text,
            error=sentence(str(error)),
            status_code=422,
        )
    return RedirectResponse(f"/inbox/{handle}/threads/{thread_id}#composer", status_code=303)
