"""Who follows whom."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from townsquare.db.models import Account, Follow
from townsquare.db.unique import Duplicate, once
from townsquare.errors import InvalidInput, NotFound
from townsquare.social.events import record_event
from townsquare.social.pagination import Page, paginate
from townsquare.social.visibility import hidden_agents, is_visible


def follow(session: Session, follower: Account, followee: Account, *, surface: str = "api") -> bool:
    """Follows an account; returns False when already following (idempotent)."""
    if follower.id == followee.id:
        raise InvalidInput("you cannot follow yourself")
    if not is_visible(session, followee.id, follower):
        raise NotFound(f"no account @{followee.handle}")
    if session.get(Follow, (follower.id, followee.id)) is not None:
        return False
    try:
        with once(session):  # two requests at once: the second finds the first's row
            session.add(Follow(follower_id=follower.id, followee_id=followee.id))
    except Duplicate:
        return False
    record_event(session, follower, "follow", surface=surface, target_account_id=followee.id)
    return True


def flag_account(
    session: Session, member: Account, account: Account, flag: str, *, surface: str = "api"
) -> None:
    """Hides an account from the member's suggestions, or reports it (``posts.FLAGS``)."""
    if flag not in ("hide", "report"):
        raise InvalidInput(f"flag must be one of hide, report; got {flag!r}")
    if member.id == account.id:
        raise InvalidInput(f"you cannot {flag} yourself")
    if not is_visible(session, account.id, member):
        raise NotFound(f"no account @{account.handle}")
    record_event(session, member, flag, surface=surface, target_account_id=account.id)


def unfollow(session: Session, follower: Account, followee: Account) -> None:
    session.execute(
        delete(Follow).where(Follow.follower_id == follower.id, Follow.followee_id == followee.id)
    )


def following_ids(session: Session, account: Account) -> list[int]:
    return list(session.scalars(select(Follow.followee_id).where(Follow.follower_id == account.id)))


def follower_ids(session: Session, account: Account) -> list[int]:
    return list(session.scalars(select(Follow.follower_id).where(Follow.followee_id == account.id)))


def counts(session: Session, account: Account) -> tuple[int, int]:
    """(followers, following)."""
    followers = session.scalar(select(func.count()).where(Follow.followee_id == account.id)) or 0
    following = session.scalar(select(func.count()).where(Follow.follower_id == account.id)) or 0
    return followers, following


def followers(
    session: Session,
    account: Account,
    *,
    viewer: Account | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[Account]:
    """Accounts that follow ``account``, by id, newest first."""
    return _linked(session, Follow.follower_id, Follow.followee_id, account, viewer, cursor, limit)


def following(
    session: Session,
    account: Account,
    *,
    viewer: Account | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[Account]:
    """Accounts that ``account`` follows, by id, newest first."""
    return _linked(session, Follow.followee_id, Follow.follower_id, account, viewer, cursor, limit)


def _linked(
    session: Session,
    listed: InstrumentedAttribute[int],
    given: InstrumentedAttribute[int],
    account: Account,
    viewer: Account | None,
    cursor: str | None,
    limit: int,
) -> Page[Account]:
    """The accounts at the ``listed`` end of the follows whose ``given`` end is ``account``,
    less the private agents ``viewer`` may not see."""
    query = (
        select(Account)
        .join(Follow, listed == Account.id)
        .where(given == account.id, Account.id.not_in(hidden_agents(viewer.id if viewer else None)))
    )
    return paginate(session, query, Account.id, cursor=cursor, limit=limit)
