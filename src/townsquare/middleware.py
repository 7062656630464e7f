"""What the app does to every HTTP request before any shell sees it: a limit on the size of the
request body (larger for the routes that take a file upload)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi.dependencies.models import Dependant
from fastapi.params import File
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _body_fields(dependant: Dependant) -> Iterator[object]:
    for field in dependant.body_params:
        yield field.field_info
    for dependency in dependant.dependencies:
        yield from _body_fields(dependency)


def takes_upload(route: object) -> bool:
    """Whether a route takes a file: any body field declared with ``File()``."""
    return isinstance(route, APIRoute) and any(
        isinstance(info, File) for info in _body_fields(route.dependant)
    )


def _mebibytes(limit: int) -> str:
    return f"{limit / 2**20:g} MiB" if limit >= 2**20 else f"{limit} bytes"


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(
        {"detail": f"the request body is larger than {_mebibytes(limit)}; send less"}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Answers 413 to a request whose body is over the limit. The limit is chosen when the
    routed app first reads the body (so the route is known); the body is refused before a byte
    is read when its ``Content-Length`` is over, else as soon as the streamed bytes pass the
    limit: the app then sees a disconnected client, and whatever it answers is replaced."""

    def __init__(self, app: ASGIApp, *, limit: int, upload_limit: int) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        limit: int | None = None
        received = 0
        exceeded = answered = started = False

        async def limited_receive() -> Message:
            nonlocal limit, received, exceeded
            if limit is None:
                limit = self.upload_limit if takes_upload(scope.get("route")) else self.limit
                if declared is not None and (not declared.isdigit() or int(declared) > limit):
                    exceeded = True
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                exceeded = received > limit
                if exceeded:
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal answered, started
            if not exceeded or started:  # once an answer has begun, it can only go on
                started = started or message["type"] == "http.response.start"
                await send(message)
            elif message["type"] == "http.response.start" and not answered:
                answered = True
                await _refuse(send, limit or self.limit)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not answered and not started:
            await _refuse(send, limit or self.limit)
