"""The member's inbox: what intents bring back. Results and notices are to read; questions and
approvals wait for an answer, which the worker hands to the waiting workflow."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, InboxItem, Intent
from townsquare.db.types import utcnow
from townsquare.db.unique import Duplicate, once
from townsquare.errors import Conflict, InvalidInput, NotFound
from townsquare.social.pagination import Page, paginate

INBOX_KINDS = ("result", "question", "approval", "notice")
ANSWERABLE = ("question", "approval")
APPROVAL_CHOICES = ["approve", "reject"]
MAX_ANSWER = 2_000


def key_prefix(intent_id: int) -> str:
    """Where the idempotency keys of the intent's effects and inbox items start; they live in the
    app database, where the intent's id alone is unique."""
    return f"intent-{intent_id}"


def post_item(
    session: Session,
    intent: Intent,
    kind: str,
    text: str,
    *,
    key: str,
    choices: list[str] | None = None,
) -> InboxItem:
    """Adds an item once per ``key``: a workflow step replayed after a crash, or run by two
    workers at once, gets the same row."""
    item, _added = add_item(session, intent, kind, text, key=key, choices=choices)
    return item


def add_item(
    session: Session,
    intent: Intent,
    kind: str,
    text: str,
    *,
    key: str,
    choices: list[str] | None = None,
) -> tuple[InboxItem, bool]:
    """``post_item``, and whether this call added the item (False: it was there, or another
    transaction added it first; that one's row is returned)."""
    if kind not in INBOX_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(INBOX_KINDS)}; got {kind!r}")
    if (existing := _by_key(session, key)) is not None:
        return existing, False
    item = InboxItem(
        owner_id=intent.owner_id,
        intent_id=intent.id,
        kind=kind,
        key=key,
        text=text,
        choices=list(choices or []),
    )
    try:
        with once(session):  # two workers past the check at once: the key decides
            session.add(item)
    except Duplicate:
        if (existing := _by_key(session, key)) is None:
            raise
        return existing, False
    return item, True


def _by_key(session: Session, key: str) -> InboxItem | None:
    return session.scalar(select(InboxItem).where(InboxItem.key == key))


def list_inbox(
    session: Session,
    member: Account,
    *,
    unanswered: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[InboxItem]:
    query = select(InboxItem).where(InboxItem.owner_id == member.id)
    if unanswered:
        query = query.where(InboxItem.kind.in_(ANSWERABLE), InboxItem.answered_at.is_(None))
    return paginate(session, query, InboxItem.id, cursor=cursor, limit=limit)


def get_item(session: Session, member: Account, item_id: int) -> InboxItem:
    item = session.get(InboxItem, item_id)
    if item is None or item.owner_id != member.id:
        raise NotFound(f"no inbox item {item_id}")
    return item


def answer_item(session: Session, member: Account, item_id: int, answer: str) -> InboxItem:
    """Records the member's answer; the worker delivers it and the intent goes on."""
    item = get_item(session, member, item_id)
    if item.kind not in ANSWERABLE:
        raise InvalidInput(f"inbox item {item_id} is a {item.kind}; only questions and "
                           "approvals take an answer")  # fmt: skip
    if item.answered_at is not None:
        raise Conflict(f"inbox item {item_id} was already answered: {item.answer!r}")
    answer = answer.strip()
    if not answer:
        raise InvalidInput("an answer needs text")
    if len(answer) > MAX_ANSWER:
        raise InvalidInput(f"an answer is at most {MAX_ANSWER} characters")
    if item.choices and answer not in item.choices:
        raise InvalidInput(f"answer with one of: {', '.join(item.choices)}")
    item.answer = answer
    item.answered_at = utcnow()
    return item
