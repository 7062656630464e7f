"""Studio: create and edit agents (every field), preview the greeting, upload knowledge with a
progress bar, import and export character cards, and try the agent in a side chat."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from townsquare.db.models import Account
from townsquare.errors import InvalidInput, RateLimited, TownsquareError
from townsquare.presenters.agents import AgentPublic, agent_public
from townsquare.presenters.knowledge import SourcePublic, source_public
from townsquare.social.media import MAX_UPLOAD_BYTES
from townsquare.social.quotas import Quotas
from townsquare.studio import agent_cards, agents
from townsquare.studio.agent_cards import MAX_CARD_BYTES
from townsquare.studio.cards.convert import CardFormat
from townsquare.studio.knowledge import sources as knowledge
from townsquare.studio.knowledge.extract import MAX_FILE_BYTES
from townsquare.studio.knowledge.worker import IngestWorker
from townsquare.studio.spec import (
    AGENT_KINDS,
    DEFAULT_REPLY_SENTENCES,
    AgentKind,
    AgentSpec,
)
from townsquare.web.agent_form import book_text, form_from_profile, profile_from_form
from townsquare.web.messages import open_with, thread_context
from townsquare.web.session import Csrf, Member, WebSession, render, sentence, web_router

router = web_router()

CARD_FORMATS = (("png_v3", "PNG card (V3)"), ("json_v2", "JSON card (V2)"), ("charx", "CHARX"))


def _problem(error: ValidationError | TownsquareError) -> str:
    if isinstance(error, TownsquareError):
        return sentence(str(error))
    parts = []
    for item in error.errors():
        where = " ".join(str(p) for p in item["loc"] if not isinstance(p, int)) or "the form"
        parts.append(f"{where.replace('_', ' ')}: {item['msg']}")
    return "Please fix: " + "; ".join(parts) + "."


def _my_agents(session: WebSession, me: Account) -> list[AgentPublic]:
    page = agents.list_agents(session, me, owner=me, cursor=None, limit=100)
    return [agent_public(session, a) for a in page.items]


def _sources(session: WebSession, me: Account, handle: str) -> list[SourcePublic]:
    page = knowledge.list_sources(session, me, handle, limit=50)
    return [source_public(row.source, row.chunk_count) for row in page.items]


@router.get("/studio")
def studio(request: Request, me: Member, session: WebSession) -> Response:
    return render(
        request, "studio.html", me, agents=_my_agents(session, me), kinds=AGENT_KINDS, error=None
    )


def _editor(
    request: Request,
    me: Account,
    session: WebSession,
    *,
    handle: str | None,
    form: dict[str, str],
    error: str | None = None,
    status_code: int = 200,
    saved: bool = False,
) -> Response:
    context: dict[str, Any] = {}
    if handle is not None:
        thread_id = open_with(session, me, handle)
        context = thread_context(session, me, thread_id)
        context["sources"] = _sources(session, me, handle)
    return render(
        request,
        "agent_edit.html",
        me,
        status_code=status_code,
        handle=handle,
        form=form,
        error=error,
        saved=saved,
        kinds=AGENT_KINDS,
        card_formats=CARD_FORMATS,
        text="",
        **context,
    )


@router.get("/studio/new")
def new_agent(
    request: Request, me: Member, session: WebSession, kind: str = "character"
) -> Response:
    form = {
        "kind": kind,
        "visibility": "public",
        "reply_mode": "send",
        "reply_sentences": str(DEFAULT_REPLY_SENTENCES),
    }
    return _editor(request, me, session, handle=None, form=form)


@router.post("/studio/new", dependencies=[Csrf])
async def create(request: Request, me: Member, session: WebSession) -> Response:
    form = await request.form()
    typed = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        spec = AgentSpec.model_validate(
            {
                **profile_from_form(form),
                "handle": typed.get("handle", ""),
                "kind": typed.get("kind", "character"),
            }
        )
        agent = agents.create_agent(session, me, spec)
    except (ValidationError, TownsquareError) as error:
        session.rollback()
        return _editor(
            request, me, session, handle=None, form=typed, error=_problem(error), status_code=422
        )
    session.commit()
    handle = agents.agent_account(session, agent).handle
    return RedirectResponse(f"/studio/{handle}?saved=1", status_code=303)


@router.post("/studio/preview", dependencies=[Csrf])
async def preview(request: Request, me: Member) -> Response:
    """The greeting and openers as a member will see them, before saving (an htmx fragment)."""
    form = await request.form()
    values = profile_from_form(form)
    return render(
        request,
        "_preview.html",
        me,
        name=values["name"] or "Your agent",
        greeting=values["greeting"],
        openers=values["openers"],
    )


@router.post("/studio/import", dependencies=[Csrf])
def import_card(
    request: Request,
    me: Member,
    session: WebSession,
    file: UploadFile = File(),
    handle: Annotated[str, Form(max_length=64)] = "",
    kind: Annotated[AgentKind, Form()] = "character",
) -> Response:
    settings = request.app.state.settings
    try:
        agent, _ = agent_cards.import_agent(
            session,
            me,
            data=file.file.read(MAX_CARD_BYTES + 1),
            filename=file.filename or "",
            kind=kind,
            handle=handle.strip() or None,
            media_dir=settings.media_dir,
            quotas=Quotas.from_settings(settings),
        )
    except (ValidationError, TownsquareError) as error:
        session.rollback()
        message = _problem(error)
        return render(
            request,
            "studio.html",
            me,
            status_code=422,
            agents=_my_agents(session, me),
            kinds=AGENT_KINDS,
            error=f"The card could not be imported. {message}",
            import_handle=handle,
        )
    session.commit()
    imported = agents.agent_account(session, agent).handle
    return RedirectResponse(f"/studio/{imported}?saved=1", status_code=303)


def _edit_page(
    request: Request,
    me: Account,
    session: WebSession,
    handle: str,
    *,
    saved: bool = False,
    error: str | None = None,
    status_code: int = 200,
    book: str | None = None,
) -> Response:
    agent = agents.owned_agent(session, me, handle)
    form = form_from_profile(agents.agent_profile(session, agent))
    form["kind"] = agent.kind
    form["book"] = book if book is not None else book_text(agent.lorebook)
    account = agents.agent_account(session, agent)
    return _editor(
        request,
        me,
        session,
        handle=account.handle,
        form=form,
        saved=saved,
        error=error,
        status_code=status_code,
    )


@router.get("/studio/{handle}")
def edit(
    request: Request, handle: str, me: Member, session: WebSession, saved: bool = False
) -> Response:
    return _edit_page(request, me, session, handle, saved=saved)


@router.post("/studio/{handle}", dependencies=[Csrf])
async def save(request: Request, handle: str, me: Member, session: WebSession) -> Response:
    form = await request.form()
    typed = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    agent = agents.owned_agent(session, me, handle)
    typed["kind"] = agent.kind
    typed["book"] = book_text(agent.lorebook)
    try:
        agents.update_agent(session, me, handle, profile_from_form(form))
    except (ValidationError, TownsquareError) as error:
        session.rollback()
        return _editor(
            request, me, session, handle=handle, form=typed, error=_problem(error), status_code=422
        )
    session.commit()
    return RedirectResponse(f"/studio/{handle}?saved=1", status_code=303)


@router.post("/studio/{handle}/knowledge", dependencies=[Csrf])
def upload(
    request: Request,
    handle: str,
    me: Member,
    session: WebSession,
    file: UploadFile = File(),
) -> Response:
    """Takes a file for the agent to learn (the page shows the upload's progress bar, then
    each source's indexing progress)."""
    settings = request.app.state.settings
    try:
        knowledge.add_file(
            session,
            settings,
            me,
            handle,
            filename=file.filename or "",
            data=file.file.read(MAX_FILE_BYTES + 1),
        )
    except TownsquareError as error:
        session.rollback()
        if not isinstance(error, RateLimited):
            return render(
                request, "_error_fragment.html", me, status_code=422, message=_problem(error)
            )
        page = render(request, "_error_fragment.html", me, status_code=429, message=_problem(error))
        page.headers["Retry-After"] = str(error.retry_after_s)
        return page
    session.commit()
    worker: IngestWorker = request.app.state.ingest_worker
    worker.wake()
    if request.headers.get("hx-request"):
        sources = _sources(session, me, handle)
        return render(request, "_sources.html", me, sources=sources, handle=handle)
    return RedirectResponse(f"/studio/{handle}#knowledge", status_code=303)


@router.post("/studio/{handle}/avatar", dependencies=[Csrf])
def avatar(
    request: Request, handle: str, me: Member, session: WebSession, file: UploadFile = File()
) -> Response:
    settings = request.app.state.settings
    try:
        agents.change_avatar(
            session,
            me,
            handle,
            data=file.file.read(MAX_UPLOAD_BYTES + 1),
            media_dir=settings.media_dir,
            quotas=Quotas.from_settings(settings),
        )
    except TownsquareError as error:
        session.rollback()
        return _edit_page(request, me, session, handle, error=_problem(error), status_code=422)
    session.commit()
    return RedirectResponse(f"/studio/{handle}?saved=1", status_code=303)


@router.post("/studio/{handle}/lorebook", dependencies=[Csrf])
def lorebook(
    request: Request,
    handle: str,
    me: Member,
    session: WebSession,
    book: Annotated[str, Form(max_length=2_000_000)] = "",
) -> Response:
    """The lorebook as Character Card ``character_book`` JSON; empty removes it."""
    try:
        parsed = json.loads(book) if book.strip() else None
        if parsed is not None and not isinstance(parsed, dict):
            raise InvalidInput("the lorebook must be a JSON object")
        agents.set_lorebook(session, me, handle, parsed)
    except json.JSONDecodeError as error:
        return _edit_page(
            request,
            me,
            session,
            handle,
            error=f"The lorebook is not valid JSON: {error.msg} (line {error.lineno}).",
            status_code=422,
            book=book,
        )
    except TownsquareError as error:
        session.rollback()
        return _edit_page(
            request, me, session, handle, error=_problem(error), status_code=422, book=book
        )
    session.commit()
    return RedirectResponse(f"/studio/{handle}?saved=1#lorebook", status_code=303)


@router.get("/studio/{handle}/sources")
def sources(request: Request, handle: str, me: Member, session: WebSession) -> Response:
    """The sources list alone, polled while files are being indexed."""
    return render(
        request, "_sources.html", me, sources=_sources(session, me, handle), handle=handle
    )


@router.get("/studio/{handle}/card")
def export_card(
    handle: str, me: Member, session: WebSession, request: Request, format: CardFormat = "png_v3"
) -> Response:
    card = agent_cards.export_agent(
        session, me, handle, fmt=format, media_dir=request.app.state.settings.media_dir
    )
    return Response(
        card.data,
        media_type=card.media_type,
        headers={"Content-Disposition": f'attachment; filename="{card.filename}"'},
    )
