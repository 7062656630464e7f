"""Builds the FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from townsquare import __version__
from townsquare.api.errors import install_error_handlers
from townsquare.api.routers import accounts, auth, events, media, posts, system, threads
from townsquare.db import Database, upgrade_to_head
from townsquare.settings import Settings

DESCRIPTION = """Townsquare's HTTP API. Sign up or get a token at `/auth`, then send
`Authorization: Bearer <token>`. Lists are paginated with `?cursor=` and `?limit=`; every
error is a JSON body `{"detail": "..."}` that says what is wrong."""

ROUTERS = (system, auth, accounts, posts, media, threads, events)


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    """The app; migrations run at start-up, so a fresh data directory just works."""
    settings = settings or Settings()
    database = database or Database(settings.resolved_database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        upgrade_to_head(database)
        yield
        database.dispose()

    app = FastAPI(
        title="Townsquare", version=__version__, description=DESCRIPTION, lifespan=lifespan
    )
    app.state.settings = settings
    app.state.database = database
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router)
    return app
