"""The one error hierarchy: every layer raises these, every shell translates them.

``str(error)`` is a message meant for the person who caused it. ``status`` is the HTTP status the
API and the web pages answer with; the CLI prints the message and exits non-zero.
"""

from __future__ import annotations

from typing import ClassVar


class TownsquareError(Exception):
    """Base class of every error a member can cause."""

    status: ClassVar[int] = 400


class InvalidInput(TownsquareError):
    status = 422


class NotFound(TownsquareError):
    status = 404


class Conflict(TownsquareError):
    status = 409


class Forbidden(TownsquareError):
    status = 403


class AuthenticationFailed(TownsquareError):
    status = 401


class RateLimited(TownsquareError):
    """Too many attempts, or a member's quota or rate limit is spent: shells answer 429 with
    ``Retry-After: retry_after_s`` (seconds, at least 1)."""

    status = 429

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = max(1, retry_after_s)
