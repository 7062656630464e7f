"""Keyset pagination over descending ids: stable while new rows arrive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from townsquare.errors import InvalidInput

T = TypeVar("T")

MAX_LIMIT = 100
MAX_ID = 2**63 - 1  # the largest id a BIGINT column holds


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def parse_cursor(cursor: str | None) -> int | None:
    if cursor is None or cursor == "":
        return None
    # isdigit() alone accepts digits int() refuses ('¹', '²'): ASCII digits only.
    if not (cursor.isascii() and cursor.isdigit()) or int(cursor) > MAX_ID:
        raise InvalidInput(f"cursor must be a value returned as next_cursor, got {cursor!r}")
    return int(cursor)


def paginate(
    session: Session,
    query: Select[Any],
    id_column: InstrumentedAttribute[int],
    *,
    cursor: str | None,
    limit: int,
    newest_first: bool = True,
) -> Page[Any]:
    """Runs ``query`` for one page; ``cursor`` is the last id of the previous page."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    after = parse_cursor(cursor)
    if after is not None:
        query = query.where(id_column < after if newest_first else id_column > after)
    query = query.order_by(id_column.desc() if newest_first else id_column.asc()).limit(limit + 1)
    rows = list(session.scalars(query))
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = str(getattr(rows[-1], id_column.key)) if has_more and rows else None
    return Page(items=rows, next_cursor=next_cursor)
