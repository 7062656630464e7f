"""What the two HTTP shells (the API and the web pages) share: the per-request database session,
the settings, path and query types, and how a validation error reads."""

from __future__ import annotations

import functools
import inspect
import json
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, TypeVar

from fastapi import BackgroundTasks, Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from townsquare.ai.chat import ChatModel
from townsquare.db import Database
from townsquare.settings import Settings
from townsquare.social.pagination import CURSOR_PATTERN, MAX_ID, MAX_LIMIT

if TYPE_CHECKING:
    from townsquare.feed.serving.service import FeedService
    from townsquare.tasks.digest import DigestScheduler

_T = TypeVar("_T")
# Reentrant: the digest writer is built under it and asks for the feed service.
_service_lock = threading.RLock()


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# Methods that only read: their requests' sessions never take SQLite's write lock.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """One session per request. Handlers commit before they answer, so a 2xx means durable.

    A request that only reads (``READING_METHODS``) gets a reading session: on SQLite its
    transactions begin deferred and never wait for, nor hold up, the one writer; a handler of
    such a request that writes calls ``db.begin_write`` first. Every other request's
    transactions take the write lock when they begin (``BEGIN IMMEDIATE``).

    A dependency ends its transaction before it returns (``commit``): FastAPI runs each
    dependency and then the handler in a worker thread of its own, which a busy server makes
    the request wait for. A writing transaction left open across that wait holds the write lock
    meanwhile; once all worker threads wait on the lock, none is left for the handler that
    would release it, until SQLite's busy timeout fails them (the abuse benchmark's 50 members
    saw 30-60 s stalls and 500s)."""
    database: Database = request.app.state.database
    with database.new_session(writes=request.method not in READING_METHODS) as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise


def end_transactions_in_handler_threads(app: FastAPI) -> None:
    """Has every synchronous handler of ``app`` end the request's transaction in its own worker
    thread, before it returns. Handlers commit what they write; what is left open when one
    returns is a read (or writes it chose not to keep), which the request's end would roll back
    anyway, but only after FastAPI has validated the answer in another worker thread: on SQLite
    a writing request's transaction holds the write lock meanwhile, and a request that waits
    for a worker thread holding it stalls every other, up to SQLite's busy timeout
    (``get_session``)."""
    for route in _api_routes(app.routes):
        call = route.endpoint
        if not inspect.iscoroutinefunction(call) and not hasattr(call, "__wrapped__"):
            # Routes of an included router are built from ``endpoint`` when first matched
            # (FastAPI >= 0.165); a route of the app itself already holds its ``dependant``.
            route.endpoint = route.dependant.call = _ending_transaction(call)


def _api_routes(routes: list[BaseRoute]) -> Iterator[APIRoute]:
    """The API routes among ``routes`` and inside the routers they include."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _api_routes(included.routes)


def _ending_transaction(handler: Callable[..., _T]) -> Callable[..., _T]:
    @functools.wraps(handler)
    def run(**values: object) -> _T:
        answer = handler(**values)
        for value in values.values():
            if isinstance(value, Session) and value.in_transaction():
                value.rollback()
        return answer

    return run


def _once_per_app(request: Request, name: str, build: Callable[[], _T]) -> _T:
    """``app.state.<name>``, built by ``build`` on first use, once even under concurrent
    requests."""
    state = request.app.state
    found: _T | None = getattr(state, name, None)
    if found is None:
        with _service_lock:
            found = getattr(state, name, None)
            if found is None:
                found = build()
                setattr(state, name, found)
    return found


def get_feed_service(request: Request) -> FeedService:
    """One feed service per app, created on first use (it imports torch, which the rest of the
    app does not need)."""

    def build() -> FeedService:
        from townsquare.feed.serving.service import FeedService

        models = request.app.state.models
        return FeedService(request.app.state.settings.data_dir, lambda: models.embedder)

    return _once_per_app(request, "feed", build)


def get_digest_scheduler(request: Request) -> DigestScheduler:
    """One digest writer per app, beside the feed service."""

    def build() -> DigestScheduler:
        from townsquare.tasks.digest import DigestScheduler

        models = request.app.state.models
        service = get_feed_service(request)
        return DigestScheduler(request.app.state.database, lambda: models.chat, service)

    return _once_per_app(request, "digests", build)


def get_chat_model(request: Request) -> ChatModel:
    """The app's chat model."""
    model: ChatModel = request.app.state.models.chat
    return model


def write_digest_after(
    session: Session, digests: DigestScheduler, background: BackgroundTasks, account_id: int
) -> None:
    """Has the member's digest for today written in ``background``, after the answer is sent,
    if one is due. The request's read transaction ends first (under SQLite, its lock), so the
    caller must not rely on rows it loaded staying fresh."""
    if digests.due(account_id):
        session.rollback()
        background.add_task(digests.run, account_id)


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "request"


def validation_message(error: RequestValidationError) -> tuple[str, list[dict[str, str]]]:
    """One sentence naming every bad field, and the fields one by one."""
    fields = [
        {"field": _location(tuple(item["loc"])), "message": str(item["msg"])}
        for item in error.errors()
    ]
    return "; ".join(f"{f['field']}: {f['message']}" for f in fields), fields


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a reverse proxy, run uvicorn with
    ``--proxy-headers`` and ``--forwarded-allow-ips`` so that this is the real client)."""
    return request.client.host if request.client else "unknown"


SettingsDep = Annotated[Settings, Depends(get_settings)]
ClientAddress = Annotated[str, Depends(client_address)]
SessionDep = Annotated[Session, Depends(get_session)]
# The pattern is the document's; the service (``social.pagination``) is what checks it.
Cursor = Annotated[
    str | None,
    Query(
        description="The next_cursor of the previous page; omit for the first.",
        json_schema_extra={"pattern": CURSOR_PATTERN},
    ),
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="A row id.")]
FeedServiceDep = Annotated["FeedService", Depends(get_feed_service)]
DigestSchedulerDep = Annotated["DigestScheduler", Depends(get_digest_scheduler)]


EVENT_STREAM = "text/event-stream"


def wants_event_stream(request: Request) -> bool:
    return EVENT_STREAM in request.headers.get("accept", "")


def event_stream(
    events: Iterator[tuple[str, BaseModel | dict[str, object]]], *, status_code: int = 200
) -> StreamingResponse:
    """Server-sent events, one ``event:``/``data:`` pair (the data as JSON) per item, sent as
    they come (no proxy buffering)."""
    return StreamingResponse(
        (f"event: {name}\ndata: {_json(data)}\n\n" for name, data in events),
        status_code=status_code,
        media_type=EVENT_STREAM,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _json(data: BaseModel | dict[str, object]) -> str:
    return data.model_dump_json() if isinstance(data, BaseModel) else json.dumps(data)
