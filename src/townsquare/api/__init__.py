"""The HTTP API: a thin FastAPI shell over the services, one router per resource."""

from __future__ import annotations

from fastapi import FastAPI

from townsquare.api.errors import install_error_handlers
from townsquare.api.routers import (
    accounts,
    agent_inbox,
    agents,
    auth,
    business,
    business_bookings,
    business_orders,
    email,
    events,
    feed,
    intents,
    knowledge,
    media,
    openai_v1,
    posts,
    rehearsals,
    system,
    threads,
)

DESCRIPTION = """Townsquare's HTTP API. Sign up or get a token at `/auth`, then send
`Authorization: Bearer <token>`. Lists are paginated with `?cursor=` and `?limit=`; every
error is a JSON body `{"detail": "..."}` that says what is wrong."""

ROUTERS = (
    system,
    auth,
    email,
    accounts,
    posts,
    media,
    threads,
    events,
    feed,
    agents,
    agent_inbox,
    business,
    business_orders,
    business_bookings,
    knowledge,
    openai_v1,
    rehearsals,
    intents,
)


def mount(app: FastAPI) -> None:
    """Adds the API's routes and its error handlers to ``app``."""
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router)
