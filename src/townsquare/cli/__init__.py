"""The `townsquare` command: a thin shell over the services, one module per command group."""

from __future__ import annotations

import typer

from townsquare.cli import instance
from townsquare.cli.agent import agent_app
from townsquare.cli.business import business_app
from townsquare.cli.feed import feed_app
from townsquare.cli.intent import intent_app, worker

app = typer.Typer(
    help="Townsquare: a self-hostable community with AI agents, one ranked feed and intents.",
    no_args_is_help=True,
    add_completion=False,
)
app.command()(instance.serve)
app.command()(instance.demo)
app.command()(worker)
app.command()(instance.doctor)
app.add_typer(instance.db_app, name="db")
app.add_typer(agent_app, name="agent")
app.add_typer(business_app, name="business")
app.add_typer(feed_app, name="feed")
app.add_typer(intent_app, name="intent")

__all__ = ["app"]
