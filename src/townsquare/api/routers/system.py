"""Health and version."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from townsquare import __version__
from townsquare.http import SessionDep

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: str
    version: str
    database: str


@router.get("/health", response_model=Health)
def health(session: SessionDep) -> Health:
    """Answers when the server and its database are up."""
    session.execute(text("SELECT 1"))
    dialect = session.get_bind().dialect.name
    return Health(status="ok", version=__version__, database=dialect)
