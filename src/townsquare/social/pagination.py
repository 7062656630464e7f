"""Keyset pagination over descending ids: stable while new rows arrive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, false
from sqlalchemy.orm import InstrumentedAttribute, Session

from townsquare.errors import InvalidInput

T = TypeVar("T")

MAX_LIMIT = 100
# The largest id a request may name: every JSON client reads it exactly (a JavaScript number,
# a float-parsing fuzzer), and it is far inside a BIGINT column.
MAX_ID = 2**53 - 1


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


MAX_CURSOR_DIGITS = 19  # every id fits, and a longer cursor is refused before int() reads it
CURSOR_PATTERN = f"^[0-9]{{0,{MAX_CURSOR_DIGITS}}}$"


def parse_cursor(cursor: str | None) -> int | None:
    """The id a cursor names (up to 19 ASCII digits; above every id is allowed), or None for
    the first page."""
    if cursor is None or cursor == "":
        return None
    # isdigit() alone accepts digits int() refuses ('¹', '²'): ASCII digits only.
    if not (cursor.isascii() and cursor.isdigit()) or len(cursor) > MAX_CURSOR_DIGITS:
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
    if after is not None and after > MAX_ID:  # beyond every id (and every database integer)
        query = query.where(false()) if not newest_first else query
    elif after is not None:
        query = query.where(id_column < after if newest_first else id_column > after)
    query = query.order_by(id_column.desc() if newest_first else id_column.asc()).limit(limit + 1)
    rows = list(session.scalars(query))
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = str(getattr(rows[-1], id_column.key)) if has_more and rows else None
    return Page(items=rows, next_cursor=next_cursor)
