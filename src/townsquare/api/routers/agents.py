"""AI agents: build one, import or export it as a character card, and start a conversation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from townsquare.api.deps import CurrentAccount
from townsquare.db.models import Account, Agent, KnowledgeChunk, KnowledgeSource
from townsquare.errors import InvalidInput, NotFound
from townsquare.http import Cursor, IdPath, Limit, SessionDep, SettingsDep
from townsquare.presenters import AccountSummary, PageOut, RequestModel, account_summary
from townsquare.social import accounts, media
from townsquare.studio import agents
from townsquare.studio.cards import CardFormat, export_card, import_card
from townsquare.studio.conversation import agent_threads
from townsquare.studio.lorebook import validate_lorebook
from townsquare.studio.spec import AgentKind, AgentProfile, AgentSpec

router = APIRouter(prefix="/agents", tags=["agents"])

AI_LABEL = "AI"
MAX_CARD_BYTES = 20 * 1024 * 1024

_CARD_MEDIA_TYPES: dict[str, tuple[str, str]] = {
    "json_v2": ("application/json", "json"),
    "json_v3": ("application/json", "json"),
    "png_v2": ("image/png", "png"),
    "png_v3": ("image/png", "png"),
    "charx": ("application/zip", "charx"),
}


class AgentPublic(BaseModel):
    """What anyone who can see the agent sees. ``label`` is always "AI"."""

    handle: str
    name: str
    kind: str
    label: str = AI_LABEL
    tagline: str
    owner: AccountSummary
    avatar_url: str | None
    greeting: str
    openers: list[str]
    traits: list[str]
    interests: list[str]
    tone: str
    visibility: str


class AgentDetail(AgentPublic):
    """The owner's view: every field, the lorebook and the knowledge version."""

    profile: AgentProfile
    lorebook: dict[str, Any] | None
    knowledge_version: int


class AgentUpdate(RequestModel):
    """Fields to change; the rest stay as they are."""

    changes: dict[str, Any] = Field(
        description='Profile fields to change, e.g. {"tone": "warm", "reply_mode": "drafts"}'
    )


class Lorebook(RequestModel):
    character_book: dict[str, Any] | None = Field(
        description="A Character Card character_book; null removes the lorebook."
    )


class PassagePublic(BaseModel):
    """A passage an agent cited: what a citation link shows."""

    chunk_id: int
    source_id: int
    title: str
    locator: str
    text: str


class ThreadOpened(BaseModel):
    thread_id: int
    created: bool


def agent_public(session: SessionDep, agent: Agent) -> AgentPublic:
    account = agents.agent_account(session, agent)
    owner = session.get(Account, agent.owner_id)
    assert owner is not None
    return AgentPublic(
        handle=account.handle,
        name=account.display_name,
        kind=agent.kind,
        tagline=agent.tagline,
        owner=account_summary(owner),
        avatar_url=f"/media/{account.avatar_media_id}/file" if account.avatar_media_id else None,
        greeting=agent.greeting,
        openers=agent.openers,
        traits=agent.traits,
        interests=agent.interests,
        tone=agent.tone,
        visibility=agent.visibility,
    )


def agent_detail(session: SessionDep, agent: Agent) -> AgentDetail:
    return AgentDetail(
        **agent_public(session, agent).model_dump(),
        profile=agents.agent_profile(session, agent),
        lorebook=agent.lorebook,
        knowledge_version=agent.knowledge_version,
    )


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
    return PageOut(
        items=[agent_public(session, a) for a in page.items], next_cursor=page.next_cursor
    )


@router.post(
    "/import",
    status_code=status.HTTP_201_CREATED,
    response_model=AgentDetail,
    responses={422: {"description": "The card is malformed; the message names the field."}},
)
def import_(
    me: CurrentAccount,
    session: SessionDep,
    settings: SettingsDep,
    file: UploadFile = File(description="A Character Card V1/V2/V3: JSON, PNG or CHARX."),
    handle: Annotated[str | None, Form(description="The new agent's handle.")] = None,
    kind: Annotated[AgentKind, Form(description="What kind of agent it becomes.")] = "character",
) -> AgentDetail:
    """Creates an agent from a character card made in another tool (lorebook included)."""
    data = file.file.read(MAX_CARD_BYTES + 1)
    if len(data) > MAX_CARD_BYTES:
        raise InvalidInput(f"a card is at most {MAX_CARD_BYTES // (1024 * 1024)} MB")
    card = import_card(data, filename=file.filename or "", kind=kind)
    spec = card.spec if handle is None else card.spec.model_copy(update={"handle": handle})
    agent = agents.create_agent(
        session, me, spec, lorebook=card.lorebook, card_extra=card.card_extra
    )
    if card.avatar is not None:
        account = agents.agent_account(session, agent)
        avatar = media.store_media(session, settings.media_dir, account, card.avatar)
        account.avatar_media_id = avatar.id
    session.commit()
    return agent_detail(session, agent)


@router.get("/{handle}", response_model=AgentPublic | AgentDetail)
def get(handle: str, me: CurrentAccount, session: SessionDep) -> AgentPublic | AgentDetail:
    """An agent; its owner gets every field."""
    agent = agents.visible_agent(session, me, handle)
    return agent_detail(session, agent) if agent.owner_id == me.id else agent_public(session, agent)


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
    book = validate_lorebook(body.character_book) if body.character_book is not None else None
    agent = agents.set_lorebook(session, me, handle, book)
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
    agent = agents.owned_agent(session, me, handle)
    account = agents.agent_account(session, agent)
    stored = media.store_media(
        session, settings.media_dir, account, file.file.read(media.MAX_UPLOAD_BYTES + 1)
    )
    agents.set_avatar(session, agent, stored)
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
    agent = agents.owned_agent(session, me, handle)
    account = agents.agent_account(session, agent)
    avatar = None
    if account.avatar_media_id is not None:
        row = media.get_media(session, account.avatar_media_id)
        path = settings.media_dir / row.path
        avatar = path.read_bytes() if path.is_file() else None
    data = export_card(
        agents.agent_profile(session, agent),
        handle=account.handle,
        kind=agent.kind,
        lorebook=agent.lorebook,
        card_extra=agent.card_extra,
        avatar=avatar,
        fmt=format,
    )
    media_type, extension = _CARD_MEDIA_TYPES[format]
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{account.handle}.{extension}"'},
    )


@router.post("/{handle}/threads", status_code=status.HTTP_201_CREATED, response_model=ThreadOpened)
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


@router.get("/{handle}/passages/{chunk_id}", response_model=PassagePublic)
def passage(
    handle: str, chunk_id: IdPath, me: CurrentAccount, session: SessionDep
) -> PassagePublic:
    """A passage of an uploaded file that the agent may cite (where its citations link).
    Anyone who can talk to the agent can read what it cites; posts link to the post itself."""
    agent = agents.visible_agent(session, me, handle)
    row = session.execute(
        select(KnowledgeChunk, KnowledgeSource)
        .join(KnowledgeSource, KnowledgeSource.id == KnowledgeChunk.source_id)
        .where(
            KnowledgeChunk.id == chunk_id,
            KnowledgeChunk.agent_id == agent.id,
            KnowledgeSource.kind == "file",
            KnowledgeSource.status == "ready",
        )
    ).first()
    if row is None:
        raise NotFound(f"@{handle.lstrip('@')} has no passage {chunk_id}")
    chunk, source = row
    return PassagePublic(
        chunk_id=chunk.id,
        source_id=source.id,
        title=source.title,
        locator=chunk.locator,
        text=chunk.text,
    )
