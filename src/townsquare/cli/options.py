"""What the commands share, each declared here once: the console, the `--data-dir` option and
the options naming the account a command acts as (`--as`, `--owner`, `--business`: the local
commands have no sign-in), loading the settings (a configuration error ends the command with
status 2), opening the local instance, and ending a command on an error (status 1)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from townsquare.db import Database, upgrade_to_head
from townsquare.errors import TownsquareError
from townsquare.settings import Settings

console = Console()

DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help="Overrides TOWNSQUARE_DATA_DIR.")
]
AsOption = Annotated[str, typer.Option("--as", help="The member's @handle.")]
OwnerOption = Annotated[str, typer.Option("--owner", help="The account that owns the agent.")]
BusinessOption = Annotated[str, typer.Option("--business", help="The business account's handle.")]


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and config file, plus the command line's overrides (a
    `None` is an option left out)."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    except (ValidationError, FileNotFoundError) as error:
        console.print(f"[red]Configuration error:[/red] {error}")
        raise typer.Exit(2) from error


def open_local(data_dir: Path | None) -> tuple[Settings, Database]:
    """The instance's settings and its database, migrated to the latest schema."""
    settings = load_settings(data_dir=data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database.configured(settings)
    upgrade_to_head(database)
    return settings, database


def fail(error: Exception | str, *, code: int = 1) -> typer.Exit:
    """Prints the error; raise what it returns to end the command with `code`."""
    console.print(f"[red]Error:[/red] {error}")
    return typer.Exit(code)


@contextmanager
def failing_on_refusal() -> Iterator[None]:
    """A service's refusal (a ``TownsquareError``) in the block ends the command with status 1."""
    try:
        yield
    except TownsquareError as error:
        raise fail(error) from error
