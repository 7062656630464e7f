"""Applies the Alembic migrations shipped inside the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from townsquare.db.engine import Database
from townsquare.db.locks import exclusive

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = database.engine
    return config


def upgrade_to_head(database: Database) -> None:
    """Brings the schema up to date; safe to call on every start-up, by any number of
    processes at once (they take turns; the later ones find it done)."""
    with exclusive(database, "townsquare-migrations", wait=True):
        command.upgrade(alembic_config(database), "head")


def pending_revisions(database: Database) -> list[str]:
    """Revisions that exist in the package but are not applied to this database."""
    script = ScriptDirectory.from_config(alembic_config(database))
    with database.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    heads = script.get_heads()
    if set(heads) == current:
        return []
    applied: set[str] = set()
    for rev in current:
        applied.update(r.revision for r in script.iterate_revisions(rev, "base"))
    return [r.revision for r in script.walk_revisions() if r.revision not in applied]
