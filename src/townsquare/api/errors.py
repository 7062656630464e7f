"""Every failure becomes a JSON body ``{"detail": "..."}`` that says what is wrong.

Bad input is a 4xx; an unexpected error is logged with its traceback and answered with a 500 that
carries no internals, and so is an unreachable database or model (503): the reason, which names
internal addresses, goes to the log only.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from townsquare.ai.errors import ModelUnavailableError
from townsquare.errors import RateLimited, TownsquareError
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


def _document_errors(spec: dict[str, Any]) -> None:
    """Every operation lists the errors its shape implies: 401 where it takes a token, 404 where
        its path names a resource, 413 where it takes a body (and 400 where that body is multipart,
    which may not parse), 429 wherever the request rate is limited; the 422 body is this API's
    own."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    if "HTTPValidationError" in schemas:
        schemas["HTTPValidationError"] = VALIDATION_ERROR
        schemas.pop("ValidationError", None)
    for path, operations in spec.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if not is_exempt(path):  # the request-rate limit (townsquare.ratelimit)
                responses.setdefault("429", TOO_MANY_REQUESTS)
            if operation.get("security"):
                responses.setdefault(
                    "401", _error("No token, or one that is unknown, expired or revoked.")
                )
            if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                responses.setdefault("404", _error("Nothing by that name or id that you may see."))
            body = operation.get("requestBody")
            if body:
                responses.setdefault("413", _error("The request body is over the size limit."))
                responses.setdefault(
                    "400", _error("The body cannot be parsed as its Content-Type says.")
                )


def document_errors(app: FastAPI) -> None:
    """Makes ``app``'s OpenAPI document state the error answers this API really sends."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _document_errors(generate())
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    document_errors(app)

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
    async def _unavailable(_: Request, error: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", error.orig)
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
