"""The append-only event log: what each account saw and did, where, and when.

The feed learns from this log; the database refuses UPDATE and DELETE on it (see the migration).
Clients report only what the server cannot see, exposures (``record_exposure``: an impression,
an open, a dwell on a post they may see); every action (like, comment, follow, hide, report) is
written by the server from the action itself (``record_event``, called by ``posts`` and
``graph``), so nobody can log a like that never happened.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Event, Post
from townsquare.errors import InvalidInput, NotFound
from townsquare.social.pagination import Page, paginate

EVENT_TYPES = (
    "impression",
    "open",
    "dwell",
    "like",
    "comment",
    "share",
    "follow",
    "hide",
    "report",
)
SURFACES = ("feed", "profile", "post", "search", "messages", "notifications", "studio", "api")
# Types that are about a post; "follow" is about an account; hide/report may be about either.
_POST_EVENTS = frozenset({"impression", "open", "dwell", "like", "comment", "share"})
_EITHER_EVENTS = frozenset({"hide", "report"})
# What a client may report: what it showed, and for how long.
EXPOSURE_TYPES = ("impression", "open", "dwell")
# A dwell longer than an hour is a tab left open, not attention.
MAX_DWELL_MS = 60 * 60 * 1000


def record_event(
    session: Session,
    account: Account,
    type: str,
    *,
    surface: str,
    post_id: int | None = None,
    target_account_id: int | None = None,
    dwell_ms: int | None = None,
    extra: Mapping[str, object] | None = None,
) -> Event:
    """Validates and appends one event."""
    if type not in EVENT_TYPES:
        raise InvalidInput(f"type must be one of {', '.join(EVENT_TYPES)}; got {type!r}")
    if surface not in SURFACES:
        raise InvalidInput(f"surface must be one of {', '.join(SURFACES)}; got {surface!r}")
    if type in _POST_EVENTS and post_id is None:
        raise InvalidInput(f"a {type} event needs post_id")
    if type == "follow" and target_account_id is None:
        raise InvalidInput("a follow event needs target_account_id")
    if type in _EITHER_EVENTS and post_id is None and target_account_id is None:
        raise InvalidInput(f"a {type} event needs post_id or target_account_id")
    if type == "dwell":
        if dwell_ms is None or not 0 <= dwell_ms <= MAX_DWELL_MS:
            raise InvalidInput(f"a dwell event needs dwell_ms between 0 and {MAX_DWELL_MS}")
    elif dwell_ms is not None:
        raise InvalidInput("dwell_ms is only for dwell events")
    post = None if post_id is None else session.get(Post, post_id)
    if post_id is not None and (
        post is None or post.deleted_at is not None or post.audience_id not in (None, account.id)
    ):
        raise NotFound(f"no post {post_id}")  # deleted, or someone else's alone: as if missing
    if target_account_id is not None and session.get(Account, target_account_id) is None:
        raise NotFound(f"no account {target_account_id}")
    event = Event(
        account_id=account.id,
        type=type,
        surface=surface,
        post_id=post_id,
        target_account_id=target_account_id,
        dwell_ms=dwell_ms,
        extra=dict(extra or {}),
    )
    session.add(event)
    session.flush()
    return event


def record_exposure(
    session: Session,
    account: Account,
    type: str,
    *,
    surface: str,
    post_id: int,
    dwell_ms: int | None = None,
) -> Event:
    """Appends what a client reports: an impression, open or dwell on a post the member may
    see. Actions are refused here: the server logs them when they happen."""
    if type not in EXPOSURE_TYPES:
        raise InvalidInput(
            f"clients report only {', '.join(EXPOSURE_TYPES)} events; got {type!r} "
            "(likes, comments, follows, hides and reports are logged by their own routes)"
        )
    return record_event(session, account, type, surface=surface, post_id=post_id, dwell_ms=dwell_ms)


def list_events(
    session: Session, account: Account, *, cursor: str | None = None, limit: int = 50
) -> Page[Event]:
    query = select(Event).where(Event.account_id == account.id)
    return paginate(session, query, Event.id, cursor=cursor, limit=limit)
