"""Messages: DM threads, agent replies streamed as they are written, citations to open."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from townsquare.api.routers import agents as agents_api
from townsquare.api.routers import threads as threads_api
from townsquare.db.models import Account
from townsquare.errors import InvalidInput, TownsquareError
from townsquare.http import IdPath
from townsquare.social import accounts, messages
from townsquare.studio.agents import AGENT_ACCOUNT_KIND
from townsquare.studio.conversation import agent_threads
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


def _directory(session: WebSession, me: Account) -> list[agents_api.AgentPublic]:
    return agents_api.directory(session, me, None, None, 12).items


@router.get("/messages")
def threads(request: Request, me: Member, session: WebSession, handle: str = "") -> Response:
    page = threads_api.list_threads(me, session, None, 50)
    return render(
        request,
        "messages.html",
        me,
        threads=page.items,
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
        page = threads_api.list_threads(me, session, None, 50)
        message = str(error)
        return render(
            request,
            "messages.html",
            me,
            status_code=422,
            threads=page.items,
            handle=handle,
            error=sentence(message),
            directory=_directory(session, me),
        )
    return RedirectResponse(f"/messages/{thread_id}", status_code=303)


def thread_context(session: WebSession, me: Account, thread_id: int) -> dict[str, Any]:
    thread = threads_api.get_thread(thread_id, me, session)
    page = threads_api.list_messages(thread_id, me, session, None, 100)
    shown = list(reversed(page.items))
    if shown:
        messages.mark_read(session, me, thread_id, shown[-1].id)
        session.commit()
    others = [m for m in thread.members if m.id != me.id]
    agent = next((m for m in others if m.kind == AGENT_ACCOUNT_KIND), None)
    openers: list[str] = []
    if agent is not None:
        try:
            openers = agents_api.get(agent.handle, me, session).openers
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
    """Sends through the API's own handler: with ``Accept: text/event-stream`` (the page's
    script) the agent's reply streams back; a plain form post comes back to the thread."""
    try:
        if not text.strip():
            raise InvalidInput("write a message first")
        if len(text) > messages.MAX_MESSAGE:
            raise InvalidInput(f"a message is at most {messages.MAX_MESSAGE} characters")
        body = threads_api.MessageCreate(text=text)
        sent = threads_api.send_message(thread_id, body, me, session, request, Response())
    except TownsquareError as error:
        session.rollback()
        message = str(error)
        return render(
            request,
            "thread.html",
            me,
            status_code=422,
            text=text,
            error=sentence(message),
            **thread_context(session, me, thread_id),
        )
    if isinstance(sent, Response):
        return sent
    return RedirectResponse(f"/messages/{thread_id}#composer", status_code=303)


@router.get("/passages/{handle}/{chunk_id}")
def passage(
    request: Request, handle: str, chunk_id: IdPath, me: Member, session: WebSession
) -> Response:
    """A cited passage of an agent's uploaded file."""
    shown = agents_api.passage(handle, chunk_id, me, session)
    return render(request, "passage.html", me, passage=shown, handle=handle)
