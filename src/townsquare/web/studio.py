"""studio pages."""

from __future__ import annotations

from townsquare.web.session import web_router

router = web_router()
