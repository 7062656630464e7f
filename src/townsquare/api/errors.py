"""Every failure becomes a JSON body ``{"detail": "..."}`` that says what is wrong.

Bad input is a 4xx; an unexpected error is logged with its traceback and answered with a 500 that
carries no internals, and so is an unreachable database or model (503): the reason, which names
internal addresses, goes to the log only.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from townsquare.ai.errors import ModelUnavailableError
from townsquare.api.deps import get_optional_account
from townsquare.api.raises import dependency_calls, errors_raised
from townsquare.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    TownsquareError,
)
from townsquare.http import validation_message
from townsquare.ratelimit import is_exempt

log = logging.getLogger(__name__)

# The 429 of every limited operation: the request rate (``townsquare.ratelimit``), a member's
# quota (``social.quotas``), the sign-in and sign-up throttle (``social.throttle``).
TOO_MANY_REQUESTS: dict[str, Any] = {
    "description": "A quota or rate limit of yours is spent; the message says which.",
    "headers": {
        "Retry-After": {
            "description": "Seconds until you may try again.",
            "schema": {"type": "integer"},
        }
    },
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


# The body of every 422, as the handlers below write it: FastAPI's default component describes
# its own shape (``detail`` a list), which this API never sends.
VALIDATION_ERROR: dict[str, Any] = {
    "title": "HTTPValidationError",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What is wrong, every bad field named."},
        "errors": {
            "type": "array",
            "description": "The bad fields one by one (a request that fails validation).",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["detail"],
}


ERROR: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What is wrong."}},
    "required": ["detail"],
}


def _error(description: str) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {"description": description, "content": content}


# How the document describes each error a service raises (its status is the class's own).
ERROR_DESCRIPTIONS: dict[type[TownsquareError], str] = {
    AuthenticationFailed: "Not signed in: no token, one that is unknown, expired or revoked, "
    "or (signing in) a wrong handle or password.",
    Forbidden: "You may not do this (for instance, only a business account has a catalog).",
    NotFound: "Nothing by that name or id that you may see.",
    Conflict: "This conflicts with what exists now (a name taken, a step that does not apply "
    "in the current state, a limit on live items); the message says which.",
    InvalidInput: "The request is well formed, but a value is refused; the message says why.",
}


def _responses_for(error: type[TownsquareError]) -> dict[int | str, dict[str, Any]]:
    if issubclass(error, RateLimited):
        return {429: TOO_MANY_REQUESTS}
    if issubclass(error, InvalidInput):
        schema = {"$ref": "#/components/schemas/HTTPValidationError"}
        content = {"application/json": {"schema": schema}}
        return {422: {"description": ERROR_DESCRIPTIONS[InvalidInput], "content": content}}
    described = [c for c in error.__mro__ if c in ERROR_DESCRIPTIONS and c.status == error.status]
    description = ERROR_DESCRIPTIONS[described[0]] if described else inspect.getdoc(error)
    return {error.status: _error(description or f"{error.__name__}; the message says why.")}


def _operation_errors(route: RouteContext) -> set[type[TownsquareError]]:
    """The errors the route's handler and dependencies may raise, as ``api.raises`` reads them."""
    return set(errors_raised(*dependency_calls(route.dependant)))


def _token_is_optional(route: RouteContext) -> bool:
    return get_optional_account in set(dependency_calls(route.dependant))


def _document_errors(spec: dict[str, Any], routes: list[RouteContext]) -> None:
    """Every operation lists the errors its code may raise (``api.raises``), 404 where its path
    names a resource (a path that does not match), 413 and 400 where it takes a body (over the
    size limit, or not parseable as its Content-Type says), 429 wherever the request rate is
    limited; an operation that also serves an anonymous reader says its token is optional; the
    422 body is this API's own."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    schemas["HTTPValidationError"] = VALIDATION_ERROR
    schemas.pop("ValidationError", None)
    for route in routes:
        for method in route.methods or ():
            path = str(route.path_format)
            operation = spec["paths"][path][method.lower()]
            responses = operation.setdefault("responses", {})
            if not is_exempt(path):  # the request-rate limit (townsquare.ratelimit)
                responses.setdefault("429", TOO_MANY_REQUESTS)
            for error in sorted(_operation_errors(route), key=lambda e: e.status):
                for status, response in _responses_for(error).items():
                    responses.setdefault(str(status), response)
            if _token_is_optional(route):
                operation["security"] = [{}, *operation.get("security", [])]
            if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                responses.setdefault("404", _error(ERROR_DESCRIPTIONS[NotFound]))
            if operation.get("requestBody"):
                responses.setdefault("413", _error("The request body is over the size limit."))
                responses.setdefault(
                    "400", _error("The body cannot be parsed as its Content-Type says.")
                )


def document_errors(app: FastAPI) -> None:
    """Makes ``app``'s OpenAPI document state the error answers this API really sends."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            routes = [
                route
                for route in iter_route_contexts(app.routes)
                if isinstance(route.original_route, APIRoute) and route.include_in_schema
            ]
            _document_errors(generate(), routes)
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


def allowed_methods(request: Request) -> str:
    """Every method some route serves at the request's path (Starlette's 405 names only the
    methods of the first route whose path matched)."""
    matched = [
        route
        for route in iter_route_contexts(request.app.router.routes)
        if route.methods and route.matches(request.scope)[0] != Match.NONE
    ]
    # As OpenAPI matches paths: a concrete path (``/catalog/import``) before a templated one
    # (``/catalog/{sku}``).
    fewest = min(((route.path_format or "").count("{") for route in matched), default=0)
    methods = {
        method
        for route in matched
        if (route.path_format or "").count("{") == fewest
        for method in route.methods or ()
    }
    return ", ".join(sorted(methods))


def install_error_handlers(app: FastAPI) -> None:
    document_errors(app)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 405:
            error.headers = {**(error.headers or {}), "Allow": allowed_methods(request)}
        return await http_exception_handler(request, error)

    @app.exception_handler(TownsquareError)
    async def _social(_: Request, error: TownsquareError) -> JSONResponse:
        status = error.status
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if isinstance(error, RateLimited):
            headers = {"Retry-After": str(error.retry_after_s)}
        return JSONResponse({"detail": str(error)}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        message, fields = validation_message(error)
        return JSONResponse({"detail": message, "errors": fields}, status_code=422)

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, error: IntegrityError) -> JSONResponse:
        log.info("integrity error answered with 409: %s", error.orig)
        return JSONResponse(
            {"detail": "this conflicts with something that already exists; reload and retry"},
            status_code=409,
        )

    @app.exception_handler(DataError)
    async def _data(_: Request, error: DataError) -> JSONResponse:
        log.info("data error answered with 422: %s", error.orig)
        return JSONResponse(
            {"detail": "a value is out of range or has characters that cannot be stored"},
            status_code=422,
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)  # every connection of this process busy too long
    async def _unavailable(_: Request, error: OperationalError | PoolTimeout) -> JSONResponse:
        log.error("database unavailable: %s", getattr(error, "orig", error))
        return JSONResponse(
            {"detail": "the database is busy or unreachable; retry shortly"},
            status_code=503,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(ModelUnavailableError)
    async def _model(_: Request, error: ModelUnavailableError) -> JSONResponse:
        # The reason names internal addresses and errors: for the operator's log only.
        log.error("model unavailable: %s", error)
        return JSONResponse(
            {"detail": "the AI model is unavailable right now; try again in a minute"},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=error)
        return JSONResponse({"detail": "internal error; it has been logged"}, status_code=500)
