"""Builds the application: the HTTP API and the web pages side by side, and the workers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from townsquare import __version__, api, web
from townsquare.ai.runtime import Models
from townsquare.db import Database, upgrade_to_head
from townsquare.http import end_transactions_in_handler_threads
from townsquare.middleware import BodyLimit, SecurityHeaders
from townsquare.ratelimit import InFlight, RateLimit, Rates
from townsquare.settings import Settings
from townsquare.social.quotas import Quotas
from townsquare.studio.dm.worker import ReplyWorker
from townsquare.studio.knowledge.worker import IngestWorker
from townsquare.tasks.engine import IntentEngine
from townsquare.web.session import SESSION_COOKIE


def create_app(
    settings: Settings | None = None,
    database: Database | None = None,
    models: Models | None = None,
) -> FastAPI:
    """The app; migrations run at start-up, so a fresh data directory just works. The models
    load on first use (tests pass fakes)."""
    settings = settings or Settings()
    database = database or Database.configured(settings)
    models = models or Models(settings)

    reply_worker = ReplyWorker(
        database,
        models,
        quotas=Quotas.from_settings(settings),
        lease=timedelta(seconds=settings.reply_lease_s),
        sweep_every_s=settings.reply_sweep_s,
        check_stored_every_s=settings.reply_sweep_s,
    )
    ingest_worker = IngestWorker(database, models.embedder, settings, cross=models.cross_embedder)
    intent_engine = IntentEngine(settings, database, models) if settings.intents_in_server else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        upgrade_to_head(database)
        # Both also pick up what a previous run left: unanswered messages, unfinished files.
        reply_worker.start()
        ingest_worker.start()
        if intent_engine is not None:
            # Off the event loop (DBOS refuses its blocking calls on one); resumes the intents
            # a previous run left mid-way.
            await asyncio.to_thread(intent_engine.start)
        retrainer = None
        if settings.feed_retrain_in_server:
            from townsquare.feed.serving.retrain import RetrainScheduler  # imports torch

            retrainer = RetrainScheduler(settings, database)
            retrainer.start()
        try:
            yield
        finally:
            if retrainer is not None:
                await asyncio.to_thread(retrainer.stop)
            if intent_engine is not None:
                await asyncio.to_thread(intent_engine.stop)
            ingest_worker.stop()
            reply_worker.stop()
            database.dispose()

    app = FastAPI(
        title="Townsquare", version=__version__, description=api.DESCRIPTION, lifespan=lifespan
    )
    app.state.settings = settings
    app.state.database = database
    app.state.models = models
    app.state.reply_worker = reply_worker
    app.state.ingest_worker = ingest_worker
    app.state.intent_engine = intent_engine
    api.mount(app)
    web.mount(app)
    end_transactions_in_handler_threads(app)
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        upload_limit=settings.max_upload_bytes,
    )
    app.add_middleware(  # before the body is read or any route (or database) is reached
        RateLimit,
        per_token=Rates(settings.rate_limit_token_per_second, settings.rate_limit_token_per_minute),
        per_address=Rates(
            settings.rate_limit_address_per_second, settings.rate_limit_address_per_minute
        ),
        in_flight_token=InFlight(settings.in_flight_token, settings.in_flight_writes_token),
        in_flight_address=InFlight(settings.in_flight_address, settings.in_flight_writes_address),
        remember_refusals_s=settings.rate_limit_remember_refusals_s,
        storage_uri=settings.rate_limit_storage,
        session_cookie=SESSION_COOKIE,
    )
    app.add_middleware(SecurityHeaders)  # outermost: a refused body gets the headers too
    return app
