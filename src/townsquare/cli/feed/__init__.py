"""`townsquare feed ...`: train, evaluate and inspect the feed model from the terminal, and write
the daily digest."""

from __future__ import annotations

import typer

from townsquare.cli.feed.digest import digest_command
from townsquare.cli.feed.runs import eval_command, status_command
from townsquare.cli.feed.train import train_command

feed_app = typer.Typer(
    help="Train, evaluate and inspect the feed's ranking model.", no_args_is_help=True
)
feed_app.command("train")(train_command)
feed_app.command("eval")(eval_command)
feed_app.command("status")(status_command)
feed_app.command("digest")(digest_command)

__all__ = ["feed_app"]
