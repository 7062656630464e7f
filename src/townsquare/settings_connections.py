"""The connections part of the settings: how many connections each process may open to a
PostgreSQL server, so that every web process and intent worker of a deployment fits in its
``max_connections``. ``townsquare.settings.Settings`` inherits every field; the arithmetic is in
``docs/operations.md`` ("Connections to PostgreSQL")."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings

# The app database's pool per process on PostgreSQL: kept, opened beyond it while busy, and
# how long a unit of work waits for a free one.
DEFAULT_POOL_SIZE = 5
DEFAULT_MAX_OVERFLOW = 2
DEFAULT_POOL_TIMEOUT_S = 30.0


class ConnectionSettings(BaseSettings):
    """The fields of ``Settings`` that bound a process's connections to PostgreSQL."""

    database_pool_size: int = Field(
        DEFAULT_POOL_SIZE,
        ge=1,
        description="Connections one process keeps open to a PostgreSQL app database (SQLite "
        "keeps one for each request thread instead).",
    )
    database_max_overflow: int = Field(
        DEFAULT_MAX_OVERFLOW,
        ge=0,
        description="Connections one process may open to a PostgreSQL app database beyond "
        "`database_pool_size` while busy, closed again when returned.",
    )
    database_pool_timeout_s: float = Field(
        DEFAULT_POOL_TIMEOUT_S,
        gt=0,
        description="Seconds a unit of work waits for a free connection of its process before "
        "it fails (an intent's step then retries).",
    )
    intents_database_pool_size: int = Field(
        4,
        ge=1,
        description="Connections one process running intents keeps to a PostgreSQL system "
        "database of the workflow engine (DBOS; its default is 20). Its workflows wait for one "
        "in turn; a SQLite system database keeps DBOS's own pool.",
    )
