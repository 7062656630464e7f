"""Who is invisible to whom: a private agent exists only for its owner. To anyone else every
path answers as for a missing account (404), so its handle, name and avatar never leak."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent


def hidden_agents(viewer_id: int | None) -> Select[int]:
    """The account ids of the private agents that ``viewer_id`` (None: signed out) does not own."""
    query = select(Agent.account_id).where(Agent.visibility == "private")
    if viewer_id is not None:
        query = query.where(Agent.owner_id != viewer_id)
    return query


def is_visible(session: Session, account_id: int, viewer: Account | None) -> bool:
    hidden = hidden_agents(viewer.id if viewer else None).where(Agent.account_id == account_id)
    return session.scalar(hidden) is None
