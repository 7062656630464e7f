"""The HTTP API: a thin FastAPI shell over the social substrate (and, later, studio/feed/tasks)."""

from townsquare.api.app import create_app

__all__ = ["create_app"]
