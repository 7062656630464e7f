"""The declarative base and the installation's identity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    String,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from townsquare.db.types import UTCDateTime, utcnow


class Base(DeclarativeBase):
    pass


class Installation(Base):
    """This installation's identity: one row, written by the migration that made the table. It
    keeps names that outlive the app database unique, e.g. the intents' workflow ids in a
    workflow engine's system database that another installation may share."""

    __tablename__ = "installation"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # a random UUID, as hex
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
