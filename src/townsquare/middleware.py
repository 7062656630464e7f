"""What the app does to every HTTP request before any shell sees it: a limit on the size of the
request body (larger for the routes that take a file upload), and the security headers every
response carries."""

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
                if declared is not None and (
                    not (declared.isascii() and declared.isdigit()) or int(declared) > limit
                ):
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


# The pages load only the app's own files: htmx, townsquare.js, townsquare.css and media; fetch,
# XMLHttpRequest and server-sent events go to the app itself. No inline script or style anywhere.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "media-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# FastAPI's /docs and /redoc load their viewer from a CDN and start it with an inline script.
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; base-uri 'none'; "
    "frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeaders:
    """Adds the Content-Security-Policy, ``X-Frame-Options``, ``X-Content-Type-Options`` and
    ``Referrer-Policy`` to every response that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope["path"] in DOCS_PATHS else PAGE_POLICY
        added = (*HEADERS, (b"content-security-policy", policy.encode()))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in added if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
