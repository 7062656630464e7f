"""A sliding-window attempt counter kept in the database, so that every server process on one
database (PostgreSQL, or SQLite on one host) shares it: sign-in failures per handle and per
client address, sign-ups per address.

Each counted attempt is a row of ``auth_attempts``; a key is over its limit when it has ``limit``
rows younger than its window. Each new attempt deletes every row older than ``KEPT_S`` (a day, at
least the longest window: an hour for verification emails), so the table holds a day of attempts.
"""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from townsquare.db.models import AuthAttempt
from townsquare.db.types import utcnow
from townsquare.errors import RateLimited

KEPT_S = 86_400


def check(session: Session, key: str, *, limit: int, window_s: int, message: str) -> None:
    """Raises ``RateLimited`` when ``key`` has ``limit`` attempts inside the window; the
    ``Retry-After`` is when its oldest attempt in the window leaves it."""
    now = utcnow()
    since = now - timedelta(seconds=window_s)
    count, oldest = session.execute(
        select(func.count(), func.min(AuthAttempt.at)).where(
            AuthAttempt.key == key, AuthAttempt.at > since
        )
    ).one()
    if count >= limit:
        wait = (oldest + timedelta(seconds=window_s) - now).total_seconds()
        retry_after = max(1, math.ceil(wait))
        raise RateLimited(f"{message}; retry in {retry_after} s", retry_after_s=retry_after)


def record(session: Session, *keys: str, window_s: int) -> None:
    """Counts one attempt under each key (and forgets those older than the window), then commits
    at once, so that the attempt stays counted when the request fails and is rolled back."""
    now = utcnow()
    kept = timedelta(seconds=max(window_s, KEPT_S))
    session.execute(delete(AuthAttempt).where(AuthAttempt.at <= now - kept))
    session.add_all(AuthAttempt(key=key[:120], at=now) for key in keys)
    session.commit()
