"""Request-rate limits in front of the services: per credential and per client address.

A client that ignores ``Retry-After`` must not be answered as fast as it can ask: every quota
refusal (``social.quotas``) still costs a token lookup and a count in the database. So before
any route runs, each request is counted, in the ``limits`` library's sliding-window counters,
against the address it comes from and, when it presents one, against its credential (the bearer
token or the browser session cookie, as presented: only its SHA-256 is kept). Each key has a
burst rate (a second) and a sustained one (a minute); the first one spent answers ``429`` with
``Retry-After`` and ``{"detail": ...}``, with no database touched. Authentication stays where it
is: an invented token is limited like a real one, and still answered 401 by the route.

The counters live in ``TOWNSQUARE_RATE_LIMIT_STORAGE``: ``memory://`` (this process) by
default, or any storage ``limits`` supports (``redis://host:6379``, ``memcached://...``) so that
several server processes share them; when a shared storage cannot be reached, requests go
through unlimited (and the error is logged): the quotas and throttles in the database still
hold. ``/health`` and the static files are not limited.

A rate bounds how often a client asks, not how much of the server it holds at once: one client
with many requests in flight takes that many of the worker threads, and on SQLite queues that
many writers for its one write lock. So each key also has a limit on its requests in flight
(from the first byte of the request to the last of its answer), and a lower one on those that
may write (every method but GET, HEAD and OPTIONS); a request over either is answered ``429``
with ``Retry-After: 1`` before its body is read. These counts are this process's own (a request
is in flight in one process), whatever the rate storage.

When the app itself answers a token ``429`` (a quota, a throttle: the database counted), the
answer is remembered for its ``Retry-After`` (at most ``remember_refusals_s``): the same request
from the same token (method, path, query and the body's declared length) is answered the same,
with the seconds left, before its body is read or the database touched. Those are the refusals
a flooding client sends most, and the app would answer them the same anyway; anonymous ones are
not remembered (an address throttled for one handle's sign-ins must still reach the others).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import ConfigurationError
from limits.storage import storage_from_string
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from townsquare.http import READING_METHODS

log = logging.getLogger(__name__)

EXEMPT_PATHS = frozenset({"/health"})
EXEMPT_PREFIXES = ("/static/",)


def is_exempt(path: str) -> bool:
    """Whether requests to ``path`` are never limited: the health check and static files."""
    return path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES)


@dataclass(frozen=True)
class Rates:
    """Requests one key may make a second (the burst) and a minute (the sustained rate);
    0 turns that rate off."""

    per_second: int
    per_minute: int

    def items(self) -> list[tuple[RateLimitItem, str]]:
        rates = (
            (self.per_second, RateLimitItemPerSecond, "a second"),
            (self.per_minute, RateLimitItemPerMinute, "a minute"),
        )
        return [(item(amount), f"{amount} requests {per}") for amount, item, per in rates if amount]


@dataclass(frozen=True)
class InFlight:
    """Requests one key may have in flight at once: any (``requests``), and those that may
    write (``writes``); 0 turns that limit off."""

    requests: int
    writes: int


Key = tuple[str, str]  # (kind: "token" or "address", the key)


class InFlightCounts:
    """Each key's requests in flight in this process, and how many of them may write."""

    def __init__(self, limits: dict[str, InFlight]) -> None:
        self.limits = limits
        self.requests: Counter[Key] = Counter()
        self.writes: Counter[Key] = Counter()
        self._lock = threading.Lock()  # a test client may run requests on several loops

    def enter(self, keys: list[Key], writes: bool) -> tuple[str, str] | None:
        """Counts a request in for every key, or, when one key is at a limit, for none:
        (kind, the limit spent) of that key."""
        with self._lock:
            for key in keys:
                limit = self.limits[key[0]]
                if limit.requests and self.requests[key] >= limit.requests:
                    return key[0], _at_once(limit.requests, "request")
                if writes and limit.writes and self.writes[key] >= limit.writes:
                    return key[0], _at_once(limit.writes, "writing request")
            for key in keys:
                self.requests[key] += 1
                self.writes[key] += writes
        return None

    def leave(self, keys: list[Key], writes: bool) -> None:
        with self._lock:
            for key in keys:
                self.requests[key] -= 1
                self.writes[key] -= writes
                if not self.requests[key]:  # idle keys are forgotten: the counts stay small
                    del self.requests[key]
                    self.writes.pop(key, None)


# (token, method, path, query, the body's declared length): a body of another size (a smaller
# file after a storage refusal, another handle's sign-in) is the app's to answer again.
Request = tuple[str, str, str, bytes, str]
_MEMORY_CAP = 10_000  # remembered refusals before the expired ones are dropped
_BODY_CAP = 64 * 1024  # a refusal with a larger body is not remembered


class Refusals:
    """The app's own 429s to tokens, each kept until its ``Retry-After`` (at most ``cap_s``)."""

    def __init__(self, cap_s: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.cap_s = cap_s
        self.clock = clock
        self.kept: dict[Request, tuple[float, bytes, bytes]] = {}  # until, content type, body
        self._lock = threading.Lock()

    def find(self, request: Request) -> tuple[int, bytes, bytes] | None:
        """(seconds left, content type, body) of the refusal kept for ``request``, if any."""
        with self._lock:
            kept = self.kept.get(request)
            if kept is None:
                return None
            left = kept[0] - self.clock()
            if left <= 0:
                del self.kept[request]
                return None
        return max(1, math.ceil(left)), kept[1], kept[2]

    def keep(self, request: Request, wait_s: int, content_type: bytes, body: bytes) -> None:
        now = self.clock()
        with self._lock:
            if len(self.kept) >= _MEMORY_CAP:
                self.kept = {r: k for r, k in self.kept.items() if k[0] > now}
            self.kept[request] = (now + min(wait_s, self.cap_s), content_type, body)


def _length(scope: Scope) -> str:
    return Headers(scope=scope).get("content-length", "")


def _at_once(limit: int, what: str) -> str:
    return f"{limit} {what}{'s' if limit > 1 else ''} at once"


def _limiter(uri: str) -> SlidingWindowCounterRateLimiter:
    """Sliding-window counters in the storage ``uri`` names (its async variant: ``memory://``
    becomes ``async+memory://``), or a ``ValueError`` naming the setting."""
    try:
        storage = storage_from_string(uri if uri.startswith("async+") else f"async+{uri}")
    except ConfigurationError as error:
        raise ValueError(
            f"TOWNSQUARE_RATE_LIMIT_STORAGE={uri!r} cannot be used: {error}"
        ) from error
    return SlidingWindowCounterRateLimiter(storage)


class RateLimit:
    """ASGI middleware: answers 429 to a request over its address's or its credential's rate,
    or over their requests in flight, before the app (and so the database) sees it."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_token: Rates,
        per_address: Rates,
        in_flight_token: InFlight,
        in_flight_address: InFlight,
        remember_refusals_s: int,
        storage_uri: str,
        session_cookie: str,
    ) -> None:
        self.app = app
        self.session_cookie = session_cookie
        self.token_items = per_token.items()
        self.address_items = per_address.items()
        self.limiter = _limiter(storage_uri)
        self.in_flight = InFlightCounts({"token": in_flight_token, "address": in_flight_address})
        self.refusals = Refusals(remember_refusals_s)
        self.count_token = (
            bool(self.token_items) or in_flight_token != InFlight(0, 0) or remember_refusals_s > 0
        )

    def credential(self, scope: Scope) -> str | None:
        """The SHA-256 of the request's bearer token, else of its session cookie, if any."""
        headers = Headers(scope=scope)
        value = headers.get("authorization") or cookie_parser(headers.get("cookie", "")).get(
            self.session_cookie
        )
        return hashlib.sha256(value.encode()).hexdigest() if value else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_exempt(scope["path"]):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        keys = [("address", client[0] if client else "unknown", self.address_items)]
        token = self.credential(scope) if self.count_token else None
        if token is not None:
            keys.insert(0, ("token", token, self.token_items))
        try:
            refusal = await self._over(keys)
        except Exception:  # a shared storage away (Redis down): let requests through
            log.exception("the request-rate counters are unavailable; the request is not limited")
            refusal = None
        if refusal is not None:
            await _refuse(send, *refusal)
            return
        request = (
            (token, scope["method"], scope["path"], scope["query_string"], _length(scope))
            if token
            else None
        )
        kept = self.refusals.find(request) if request and self.refusals.cap_s else None
        if kept is not None:
            await _answer(send, *kept)
            return
        held = [(kind, key) for kind, key, _ in keys]
        writes = scope["method"] not in READING_METHODS
        busy = self.in_flight.enter(held, writes)
        if busy is not None:
            await _refuse(send, *busy, 1)
            return
        refused: list[tuple[int, bytes, bytearray]] = []  # the app's 429, if it answers one

        async def watching(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 429:
                headers = Headers(raw=message["headers"])
                wait = headers.get("retry-after", "")
                if wait.isdigit():
                    refused.append(
                        (int(wait), headers.get("content-type", "").encode(), bytearray())
                    )
            elif refused and message["type"] == "http.response.body":
                refused[0][2].extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, watching if request and self.refusals.cap_s else send)
        finally:
            self.in_flight.leave(held, writes)
        if request and refused and len(refused[0][2]) <= _BODY_CAP:
            wait, content_type, body = refused[0]
            self.refusals.keep(request, wait, content_type, bytes(body))

    async def _over(
        self, keys: list[tuple[str, str, list[tuple[RateLimitItem, str]]]]
    ) -> tuple[str, str, int] | None:
        """Counts the request against each key; (kind, the rate spent, seconds to wait) for the
        first rate it is over, else None."""
        for kind, key, items in keys:
            for item, what in items:
                if not await self.limiter.hit(item, kind, key):
                    stats = await self.limiter.get_window_stats(item, kind, key)
                    return kind, what, max(1, math.ceil(stats.reset_time - time.time()))
        return None


async def _refuse(send: Send, kind: str, what: str, wait: int) -> None:
    whose = "this token or session" if kind == "token" else "your address"
    detail = f"too many requests from {whose} (the limit is {what}); retry in {wait} s"
    await _answer(send, wait, b"application/json", json.dumps({"detail": detail}).encode())


async def _answer(send: Send, wait: int, content_type: bytes, body: bytes) -> None:
    """A 429 with ``Retry-After: wait``."""
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(wait).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
