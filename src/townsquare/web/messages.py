"""Messages: DM threads, agent replies streamed as they are written, citations to open."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from townsquare.db.models import Account
from townsquare.errors import RateLimited, TownsquareError
from townsquare.http import IdPath, event_stream, wants_event_stream
from townsquare.presenters.agents import AgentPublic, agent_public, passage_public
from townsquare.presenters.messages import (
    ThreadPublic,
    message_public,
    reply_events,
    thread_public,
)
from townsquare.social import accounts, messages
from townsquare.studio import agents
from townsquare.studio.agents import AGENT_ACCOUNT_KIND
from townsquare.studio.dm import agent_threads, sending
from townsquare.web.session import Csrf, Member, WebSession, render, sentence, web_router

router = web_router()

MessageText = Annotated[str, Form(max_length=messages.MAX_MESSAGE * 2)]


def open_with(session: WebSession, me: Account, handle: str) -> int:
    """The thread id of ``me``'s DM with ``handle``; an agent greets a new one."""
    other = accounts.get_account(session, handle.strip())
    if other.kind == AGENT_ACCOUNT_KIND:
        thread_id = agent_threads.open_agent_thread(session, me, other.handle).thread.id
    else:
        thread_id = messages.open_thread(session, me, [other]).id
    session.commit()
    return thread_id


def _directory(session: WebSession, me: Account) -> list[AgentPublic]:
    page = agents.list_agents(session, me, owner=None, cursor=None, limit=12)
    return [agent_public(session, a) for a in page.items]


def _threads(session: WebSession, me: Account) -> list[ThreadPublic]:
    page = messages.list_threads(session, me, cursor=None, limit=50)
    return [thread_public(session, me, t) for t in page.items]


@router.get("/messages")
def threads(request: Request, me: Member, session: WebSession, handle: str = "") -> Response:
    return render(
        request,
        "messages.html",
        me,
        threads=_threads(session, me),
        handle=handle,
        error=None,
        directory=_directory(session, me),
    )


@router.post("/messages/new", dependencies=[Csrf])
def new_thread(
    request: Request,
    me: Member,
    session: WebSession,
    handle: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    try:
        thread_id = open_with(session, me, handle)
    except TownsquareError as error:
        session.rollback()
        message = str(error)
        return render(
            request,
            "messages.html",
            me,
            status_code=422,
            threads=_threads(session, me),
            handle=handle,
            error=sentence(message),
            directory=_directory(session, me),
        )
    return RedirectResponse(f"/messages/{thread_id}", status_code=303)


def thread_context(session: WebSession, me: Account, thread_id: int) -> dict[str, Any]:
    thread = thread_public(session, me, messages.member_thread(session, me, thread_id))
    page = messages.list_messages(session, me, thread_id, cursor=None, limit=100)
    shown = [message_public(session, m) for m in reversed(page.items)]
    if shown:
        messages.mark_read(session, me, thread_id, shown[-1].id)
        session.commit()
    others = [m for m in thread.members if m.id != me.id]
    agent = next((m for m in others if m.kind == AGENT_ACCOUNT_KIND), None)
    openers: list[str] = []
    if agent is not None:
        try:
            openers = agents.visible_agent(session, me, agent.handle).openers
        except TownsquareError:  # the agent went private or was deleted: the thread stays readable
            openers = []
    return {
        "openers": openers,
        "thread": thread,
        "others": others,
        "messages": shown,
        "with_agent": any(m.kind == AGENT_ACCOUNT_KIND for m in others),
    }


@router.get("/messages/{thread_id}")
def thread_page(request: Request, thread_id: IdPath, me: Member, session: WebSession) -> Response:
    return render(
        request, "thread.html", me, text="", error=None, **thread_context(session, me, thread_id)
    )


@router.post("/messages/{thread_id}/send", dependencies=[Csrf])
def send(
    request: Request,
    thread_id: IdPath,
    me: Member,
    session: WebSession,
    text: MessageText = "",
) -> Response:
    """Sends through the same service as the API: with ``Accept: text/event-stream`` (the
    page's script) the agent's reply streams back; a plain form post comes back to the thread."""
    stream = wants_event_stream(request)
    worker = request.app.state.reply_worker
    try:
        sent = sending.send(session, worker, me, thread_id=thread_id, text=text, follow=stream)
    except TownsquareError as error:
        session.rollback()
        page = render(
            request,
            "thread.html",
            me,
            status_code=error.status if isinstance(error, RateLimited) else 422,
            text=text,
            error=sentence(str(error)),
            **thread_context(session, me, thread_id),
        )
        if isinstance(error, RateLimited):
            page.headers["Retry-After"] = str(error.retry_after_s)
        return page
    if stream:
        return event_stream(
            reply_events(
                request.app.state.database, worker, sent, message_public(session, sent.message)
            ),
            status_code=201 if sent.created else 200,
        )
    return RedirectResponse(f"/messages/{thread_id}#composer", status_code=303)


@router.get("/passages/{handle}/{chunk_id}")
def passage(
    request: Request, handle: str, chunk_id: IdPath, me: Member, session: WebSession
) -> Response:
    """A cited passage of an agent's uploaded file."""
    shown = passage_public(*agents.cited_passage(session, me, handle, chunk_id))
    return render(request, "passage.html", me, passage=shown, handle=handle)
