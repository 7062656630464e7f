"""The web app: server-rendered pages over the same services as the API, served by the same
process at ``/``. No build step: Jinja2 templates, one CSS file, htmx and a little plain JS."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from townsquare.errors import RateLimited, TownsquareError
from townsquare.http import validation_message
from townsquare.web import (
    auth,
    email,
    feed,
    inbox,
    intents,
    messages,
    rehearse,
    shop,
    shop_bookings,
    shop_customer,
    shop_orders,
    shop_records,
    studio,
)
from townsquare.web.session import (
    WEB_TAG,
    CsrfRejected,
    SignInRequired,
    optional_member,
    render,
    sentence,
)

ROUTERS = (
    auth,
    email,
    feed,
    messages,
    studio,
    rehearse,
    inbox,
    intents,
    shop,
    shop_orders,
    shop_bookings,
    shop_customer,
    shop_records,
)


def _is_web(request: Request) -> bool:
    route = request.scope.get("route")
    return WEB_TAG in (getattr(route, "tags", None) or [])


def _error_page(request: Request, status_code: int, message: str) -> Response:
    me = None
    database = request.app.state.database
    with database.new_session() as session:
        me = optional_member(request, session)
        return render(request, "error.html", me, status_code=status_code, message=message)


async def _answer(result: Response | Awaitable[Response]) -> Response:
    """What an exception handler answered (they may be plain or async functions)."""
    return await result if inspect.isawaitable(result) else result


def mount(app: FastAPI) -> None:
    """Adds the pages, the static files and HTML error pages for web routes (API routes keep
    their JSON errors)."""
    for module in ROUTERS:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")

    social_json = app.exception_handlers[TownsquareError]
    validation_json = app.exception_handlers[RequestValidationError]
    unexpected_json = app.exception_handlers[Exception]
    http_json = app.exception_handlers[StarletteHTTPException]

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, _: SignInRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/signin"})
        return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)

    @app.exception_handler(CsrfRejected)
    async def _csrf(request: Request, _: CsrfRejected) -> Response:
        return _error_page(
            request, 403, "This form has expired. Go back, reload the page and try again."
        )

    @app.exception_handler(TownsquareError)
    async def _social(request: Request, error: TownsquareError) -> Response:
        if not _is_web(request):
            return await _answer(social_json(request, error))
        page = _error_page(request, error.status, sentence(str(error)))
        if isinstance(error, RateLimited):
            page.headers["Retry-After"] = str(error.retry_after_s)
        return page

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        if not _is_web(request):
            return await _answer(validation_json(request, error))
        message, _ = validation_message(error)
        return _error_page(request, 422, f"Something in the request is not right: {message}")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        response = await _answer(unexpected_json(request, error))  # logs it
        if not _is_web(request):
            return response
        return _error_page(
            request, 500, "Something went wrong on our side. It has been logged; try again."
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        accepts_html = "text/html" in request.headers.get("accept", "")
        if error.status_code == 404 and accepts_html:
            return _error_page(request, 404, "There is no page at this address.")
        return await _answer(http_json(request, error))
