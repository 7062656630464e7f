"""AI agents: build one, import or export it as a character card, and start a conversation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status
from pydantic import BaseModel, Field

from townsquare.api.deps import CurrentAccount
from townsquare.http import Cursor, IdPath, Limit, SessionDep, SettingsDep
from townsquare.presenters import JsonBounds, PageOut, RequestModel, page_out
from townsquare.presenters.agents import (
    AgentDetail,
    AgentPublic,
    PassagePublic,
    agent_detail,
    agent_public,
    agent_seen_by,
    passage_public,
)
from townsquare.social import accounts, media
from townsquare.social.quotas import Quotas
from townsquare.studio import agent_cards, agents
from townsquare.studio.agent_cards import MAX_CARD_BYTES
from townsquare.studio.cards import CardFormat
from townsquare.studio.dm import agent_threads
from townsquare.studio.spec import AgentKind, AgentSpec

router = APIRouter(prefix="/agents", tags=["agents"])


class AgentUpdate(RequestModel):
    """Fields to change; the rest stay as they are."""

    changes: Annotated[
        dict[str, Any], JsonBounds(max_keys=32, max_depth=4, max_bytes=512 * 1024)
    ] = Field(description='Profile fields to change, e.g. {"tone": "warm", "reply_mode": "drafts"}')


class Lorebook(RequestModel):
    character_book: (
        Annotated[dict[str, Any], JsonBounds(max_keys=64, max_depth=8, max_bytes=2**20)] | None
    ) = Field(description="A Character Card character_book; null removes the lorebook.")


class ThreadOpened(BaseModel):
    thread_id: int
    created: bool


@router.post("", status_code=status.HTTP_201_CREATED, response_model=AgentDetail)
def create(body: AgentSpec, me: CurrentAccount, session: SessionDep) -> AgentDetail:
    """Creates an agent you own. A `creator` agent is an AI of you (one per person); a
    `business` agent needs a business account."""
    agent = agents.create_agent(session, me, body)
    session.commit()
    return agent_detail(session, agent)


@router.get("", response_model=PageOut[AgentPublic])
def directory(
    session: SessionDep,
    me: CurrentAccount,
    owner: Annotated[str | None, Query(description="Only this account's agents.")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> PageOut[AgentPublic]:
    """Public agents, newest first; with `owner`, one account's (all of them, if it is you)."""
    owner_account = accounts.get_account(session, owner) if owner else None
    page = agents.list_agents(session, me, owner=owner_account, cursor=cursor, limit=limit)
    return page_out(page, lambda a: agent_public(session, a))


@router.post(
    "/import",
    status_code=status.HTTP_201_CREATED,
    response_model=AgentDetail,
    responses={
        422: {"description": "The card is malformed; the message names the field."},
    },
)
def import_(
    me: CurrentAccount,
    session: SessionDep,
    settings: SettingsDep,
    file: UploadFile = File(description="A Character Card V1/V2/V3: JSON, PNG or CHARX."),
    handle: Annotated[
        str | None, Form(max_length=64, description="The new agent's handle.")
    ] = None,
    kind: Annotated[AgentKind, Form(description="What kind of agent it becomes.")] = "character",
) -> AgentDetail:
    """Creates an agent from a character card made in another tool (lorebook included)."""
    agent, _ = agent_cards.import_agent(
        session,
        me,
        data=file.file.read(MAX_CARD_BYTES + 1),  # one byte more tells "too large"
        filename=file.filename or "",
        kind=kind,
        handle=handle,
        media_dir=settings.media_dir,
        quotas=Quotas.from_settings(settings),
    )
    session.commit()
    return agent_detail(session, agent)


@router.get("/{handle}", response_model=AgentPublic | AgentDetail)
def get(handle: str, me: CurrentAccount, session: SessionDep) -> AgentPublic | AgentDetail:
    """An agent; its owner gets every field."""
    return agent_seen_by(session, agents.visible_agent(session, me, handle), me)


@router.patch("/{handle}", response_model=AgentDetail)
def update(handle: str, body: AgentUpdate, me: CurrentAccount, session: SessionDep) -> AgentDetail:
    """Changes your agent's profile (name, persona, avoided topics, visibility, reply mode...)."""
    agent = agents.update_agent(session, me, handle, body.changes)
    session.commit()
    return agent_detail(session, agent)


@router.put("/{handle}/lorebook", response_model=AgentDetail)
def put_lorebook(
    handle: str, body: Lorebook, me: CurrentAccount, session: SessionDep
) -> AgentDetail:
    """Replaces your agent's lorebook (entries fire on their keys at reply time)."""
    agent = agents.set_lorebook(session, me, handle, body.character_book)
    session.commit()
    return agent_detail(session, agent)


@router.put("/{handle}/avatar", response_model=AgentDetail)
def put_avatar(
    handle: str,
    me: CurrentAccount,
    session: SessionDep,
    settings: SettingsDep,
    file: UploadFile = File(description="PNG, JPEG, GIF or WebP."),
) -> AgentDetail:
    """Sets your agent's picture."""
    agent = agents.change_avatar(
        session,
        me,
        handle,
        data=file.file.read(media.MAX_UPLOAD_BYTES + 1),
        media_dir=settings.media_dir,
        quotas=Quotas.from_settings(settings),
    )
    session.commit()
    return agent_detail(session, agent)


@router.delete("/{handle}", status_code=status.HTTP_204_NO_CONTENT)
def delete(handle: str, me: CurrentAccount, session: SessionDep) -> None:
    """Deletes your agent; messages it already sent stay in their threads."""
    agents.delete_agent(session, me, handle)
    session.commit()


@router.get(
    "/{handle}/card",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "image/png": {}, "application/zip": {}}}},
)
def export(
    handle: str,
    me: CurrentAccount,
    session: SessionDep,
    settings: SettingsDep,
    format: Annotated[CardFormat, Query(description="Card version and container.")] = "png_v3",
) -> Response:
    """Your agent as a character card, for other tools (or another Townsquare)."""
    card = agent_cards.export_agent(session, me, handle, fmt=format, media_dir=settings.media_dir)
    return Response(
        card.data,
        media_type=card.media_type,
        headers={"Content-Disposition": f'attachment; filename="{card.filename}"'},
    )


@router.post(
    "/{handle}/threads",
    status_code=status.HTTP_201_CREATED,
    response_model=ThreadOpened,
    responses={200: {"model": ThreadOpened, "description": "Your thread, already open."}},
)
def open_thread(
    handle: str, me: CurrentAccount, session: SessionDep, response: Response
) -> ThreadOpened:
    """Opens your DM thread with an agent (it greets you in a new one). Then send messages with
    `POST /threads/{thread_id}/messages`; ask for `text/event-stream` to watch the reply stream."""
    opened = agent_threads.open_agent_thread(session, me, handle)
    session.commit()
    if not opened.created:
        response.status_code = status.HTTP_200_OK
    return ThreadOpened(thread_id=opened.thread.id, created=opened.created)


@router.get("/{handle}/passages/{chunk_id:int}", response_model=PassagePublic)
def passage(
    handle: str, chunk_id: IdPath, me: CurrentAccount, session: SessionDep
) -> PassagePublic:
    """A passage of an uploaded file that the agent cited (where its citations link): for the
    agent's owner, or a member it was cited to in their thread; anyone else gets 404. Posts
    link to the post itself."""
    chunk, source = agents.cited_passage(session, me, handle, chunk_id)
    return passage_public(chunk, source)
