"""The `townsquare` command."""

from townsquare.cli.instance import app

__all__ = ["app"]
