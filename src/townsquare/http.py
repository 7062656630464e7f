"""What the two HTTP shells (the API and the web pages) share: the per-request database session,
the settings, path and query types, and how a validation error reads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from townsquare.db import Database
from townsquare.settings import Settings
from townsquare.social.pagination import MAX_ID, MAX_LIMIT


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request. Handlers commit before they answer, so a 2xx means durable."""
    database: Database = request.app.state.database
    with database.new_session() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "request"


def validation_message(error: RequestValidationError) -> tuple[str, list[dict[str, str]]]:
    """One sentence naming every bad field, and the fields one by one."""
    fields = [
        {"field": _location(tuple(item["loc"])), "message": str(item["msg"])}
        for item in error.errors()
    ]
    return "; ".join(f"{f['field']}: {f['message']}" for f in fields), fields


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
Cursor = Annotated[
    str | None, Query(description="The next_cursor of the previous page; omit for the first.")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="A row id.")]


EVENT_STREAM = "text/event-stream"


def wants_event_stream(request: Request) -> bool:
    return EVENT_STREAM in request.headers.get("accept", "")


def event_stream(events: Iterator[tuple[str, object]]) -> StreamingResponse:
    """Server-sent events, one ``event:``/``data:`` pair (the data as JSON) per item."""
    return StreamingResponse(
        (f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events),
        media_type=EVENT_STREAM,
        headers={"Cache-Control": "no-cache"},
    )
