"""Profiles: what anyone sees of an account, and the fields its owner may change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, HttpUrl
from sqlalchemy.orm import Session

from townsquare import timezones
from townsquare.db.models import Account
from townsquare.presenters import RequestModel, RowId, avatar_url
from townsquare.social import graph


class Profile(BaseModel):
    id: int
    handle: str
    kind: str
    display_name: str
    bio: str
    location: str
    website: str
    time_zone: str = Field(description="An IANA time zone; a shop offers its times on it.")
    avatar_url: str | None
    followers: int
    following: int
    created_at: datetime


_CLEARABLE = frozenset({"website", "avatar_media_id"})


class ProfileUpdate(RequestModel):
    """Omitted fields are left alone, and so are null ``display_name``, ``bio``, ``location``
    and ``time_zone`` (which always have a value); a null ``website`` or ``avatar_media_id``
    clears it."""

    display_name: str | None = Field(None, min_length=1, max_length=80)
    bio: str | None = Field(None, max_length=2000)
    location: str | None = Field(None, max_length=80)
    website: HttpUrl | None = None
    avatar_media_id: RowId | None = None
    time_zone: str | None = Field(
        None,
        max_length=timezones.MAX_NAME,
        description='An IANA time zone, e.g. "Europe/Berlin": a shop\'s appointment times are '
        "offered, read and listed on it.",
    )

    def changes(self) -> dict[str, Any]:
        """The fields that were sent, as ``social.accounts.update_profile`` takes them."""
        changes = {
            field: value
            for field, value in self.model_dump(exclude_unset=True).items()
            if value is not None or field in _CLEARABLE
        }
        if "website" in changes:
            changes["website"] = str(changes["website"]) if changes["website"] else ""
        return changes


def profile_public(session: Session, account: Account) -> Profile:
    followers, following = graph.counts(session, account)
    return Profile(
        id=account.id,
        handle=account.handle,
        kind=account.kind,
        display_name=account.display_name,
        bio=account.bio,
        location=account.location,
        website=account.website,
        time_zone=account.time_zone,
        avatar_url=avatar_url(account),
        followers=followers,
        following=following,
        created_at=account.created_at,
    )


class EmailStatus(BaseModel):
    """The member's own email addresses: only ``email`` is verified (and trusted)."""

    email: str | None = Field(description="The verified address; null until one is verified.")
    pending_email: str | None = Field(
        description="The address waiting for its verification link; null when none is."
    )


def email_status(account: Account) -> EmailStatus:
    return EmailStatus(email=account.email, pending_email=account.pending_email)
