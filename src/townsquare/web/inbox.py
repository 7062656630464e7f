"""Inbox: what waits for you across your agents (drafts to approve, conversations), and each
agent's inbox, where you approve or edit drafts and take a conversation over or hand it back."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from townsquare.api.deps import IdPath
from townsquare.api.routers import agent_inbox as inbox_api
from townsquare.api.routers import agents as agents_api
from townsquare.db.models import Account
from townsquare.social.errors import InvalidInput, SocialError
from townsquare.social.messages import MAX_MESSAGE
from townsquare.studio import agents
from townsquare.web.session import Csrf, Member, WebSession, render, sentence, web_router

router = web_router()

Text = Annotated[str, Form(max_length=MAX_MESSAGE * 2)]


@router.get("/inbox")
def inbox(request: Request, me: Member, session: WebSession) -> Response:
    mine = agents.list_agents(session, me, owner=me, cursor=None, limit=100).items
    boxes = []
    for agent in mine:
        handle = agents.agent_account(session, agent).handle
        boxes.append(
            {
                "agent": agents_api.agent_public(session, agent),
                "drafts": inbox_api.list_drafts(handle, me, session, "pending", None, 20).items,
                "threads": inbox_api.list_threads(handle, me, session, None, 5).items,
            }
        )
    return render(request, "inbox.html", me, boxes=boxes)


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
        agent=agents_api.agent_public(session, agent),
        drafts=inbox_api.list_drafts(handle, me, session, "pending", None, 50).items,
        threads=inbox_api.list_threads(handle, me, session, None, 50).items,
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
        body = inbox_api.DraftApproval(text=text.strip() or None)
        inbox_api.approve_draft(handle, draft_id, body, me, session)
    except SocialError as error:
        session.rollback()
        return _agent_page(
            request, me, session, handle, error=sentence(str(error)), status_code=422
        )
    return RedirectResponse(f"/inbox/{handle}", status_code=303)


@router.post("/inbox/{handle}/drafts/{draft_id}/discard", dependencies=[Csrf])
def discard(handle: str, draft_id: IdPath, me: Member, session: WebSession) -> Response:
    inbox_api.discard_draft(handle, draft_id, me, session)
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
    state = next(
        (
            t
            for t in inbox_api.list_threads(handle, me, session, None, 100).items
            if t.thread_id == thread_id
        ),
        None,
    )
    shown = inbox_api.thread_messages(handle, thread_id, me, session, None, 100).items
    return render(
        request,
        "owner_thread.html",
        me,
        status_code=status_code,
        agent=agents_api.agent_public(session, agent),
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
    inbox_api.take_over(handle, thread_id, me, session)
    return RedirectResponse(f"/inbox/{handle}/threads/{thread_id}", status_code=303)


@router.post("/inbox/{handle}/threads/{thread_id}/handback", dependencies=[Csrf])
def hand_back(handle: str, thread_id: IdPath, me: Member, session: WebSession) -> Response:
    inbox_api.hand_back(handle, thread_id, me, session)
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
        if not text.strip():
            raise InvalidInput("write a message first")
        body = inbox_api.OwnerMessage(text=text)
        inbox_api.send_in_person(handle, thread_id, body, me, session)
    except SocialError as error:
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
