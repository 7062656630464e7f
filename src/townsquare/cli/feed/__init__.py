"""`townsquare feed ...`."""

from townsquare.cli.feed.train import feed_app

__all__ = ["feed_app"]
