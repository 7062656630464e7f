"""The demo community behind `townsquare demo`: creators, a business and members with a month of
history, written through the social services."""

from townsquare.demo.seed import DemoLogin, DemoSummary, seed_demo

__all__ = ["DemoLogin", "DemoSummary", "seed_demo"]
