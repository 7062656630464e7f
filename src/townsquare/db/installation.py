"""This installation's identity, read from its app database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import Installation


def installation_id(session: Session) -> str:
    """The random id the migrations gave this installation's database."""
    found = session.scalar(select(Installation.id).order_by(Installation.created_at).limit(1))
    if found is None:
        raise RuntimeError(
            "the database has no installation id; run `townsquare db upgrade` to migrate it"
        )
    return found
