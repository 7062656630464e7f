"""Time and events that wake an intent: cron schedules in the member's time zone, waits until a
moment, and watches on the social event log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from croniter import croniter
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import timezones
from townsquare.db.models import Comment, Event, Follow, Intent, Like, Post
from townsquare.errors import InvalidInput
from townsquare.studio.conversation.safety import sanitise_text

WATCH_KINDS = ("comment", "like", "follow")
MAX_EVENTS_PER_POLL = 500


def parse_moment(value: str) -> datetime:
    """An ISO 8601 moment; one without an offset is refused (its time zone would be a guess)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidInput(f"wait_until must be an ISO 8601 date-time: {error}") from error
    if moment.tzinfo is None:
        raise InvalidInput("wait_until needs a UTC offset, e.g. 2026-11-20T09:00:00+01:00")
    return moment.astimezone(UTC)


def check_schedule(schedule: dict[str, Any]) -> None:
    cron = str(schedule.get("cron", ""))
    if not croniter.is_valid(cron):
        raise InvalidInput(f"schedule.cron is not a valid cron expression: {cron!r}")
    zone(schedule)
    runs = schedule.get("runs", 1)
    if not isinstance(runs, int) or not 1 <= runs <= 1000:
        raise InvalidInput("schedule.runs must be a whole number from 1 to 1000")


def zone(schedule: dict[str, Any]) -> ZoneInfo:
    return timezones.zone(str(schedule.get("timezone", "UTC")), field="schedule.timezone")


def next_fire(schedule: dict[str, Any], after: datetime) -> datetime:
    """The first firing strictly after ``after``, read in the schedule's time zone (so that
    "9:00 every Monday" stays 9:00 across daylight-saving changes), returned in UTC."""
    local = after.astimezone(zone(schedule))
    fire: datetime = croniter(str(schedule["cron"]), local).get_next(datetime)
    return fire.astimezone(UTC)


def check_watch(watch: dict[str, Any]) -> None:
    kind = watch.get("kind")
    if kind not in WATCH_KINDS:
        raise InvalidInput(f"watch.kind must be one of {', '.join(WATCH_KINDS)}; got {kind!r}")
    contains = watch.get("contains", "")
    if not isinstance(contains, str) or len(contains) > 200:
        raise InvalidInput("watch.contains must be a phrase of at most 200 characters")
    if kind != "comment" and contains:
        raise InvalidInput("watch.contains only applies to comment watches")


def watch_matches(session: Session, intent: Intent) -> tuple[list[dict[str, Any]], int]:
    """Events after the intent's watch cursor that its watch is about ("a comment mentioning
    delivery on my posts", "a new follower"), and the cursor to store next."""
    watch = intent.spec.get("watch")
    assert isinstance(watch, dict)
    events = list(
        session.scalars(
            select(Event)
            .where(Event.id > intent.watch_after_event_id, Event.type == watch["kind"])
            .order_by(Event.id)
            .limit(MAX_EVENTS_PER_POLL)
        )
    )
    matches: list[dict[str, Any]] = []
    for event in events:
        if event.account_id == intent.owner_id:
            continue  # the member's own doings wake nothing
        if event.type == "follow":
            if event.target_account_id == intent.owner_id and _followed(session, event):
                matches.append({"event_id": event.id, "kind": "follow", "text": ""})
            continue
        post = session.get(Post, event.post_id) if event.post_id else None
        if post is None or post.author_id != intent.owner_id or post.deleted_at is not None:
            continue
        text = ""
        if event.type == "comment":
            comment = _comment(session, event)
            if comment is None:
                continue
            text = sanitise_text(comment.text)  # the planner and the inbox read it
            phrase = str(watch.get("contains", "")).lower()
            if phrase and phrase not in text.lower():
                continue
        elif event.type == "like" and session.get(Like, (event.account_id, post.id)) is None:
            continue  # taken back, or never made
        matches.append(
            {
                "event_id": event.id,
                "kind": event.type,
                "post_id": post.id,
                "text": text,
                "at": event.created_at.isoformat(),
            }
        )
    cursor = events[-1].id if events else intent.watch_after_event_id
    return matches, cursor


def _followed(session: Session, event: Event) -> bool:
    return session.get(Follow, (event.account_id, event.target_account_id)) is not None


def _comment(session: Session, event: Event) -> Comment | None:
    """The live comment the event was written for: its own author's, on the event's post."""
    comment_id = event.extra.get("comment")
    comment = session.get(Comment, comment_id) if isinstance(comment_id, int) else None
    if (
        comment is None
        or comment.deleted_at is not None
        or comment.post_id != event.post_id
        or comment.author_id != event.account_id
    ):
        return None
    return comment


def latest_event_id(session: Session) -> int:
    return session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)) or 0
