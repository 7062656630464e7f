"""One seeded demo community per storage backend, shared by the package's read-only checks
(seeding takes a few seconds)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import database_url_for
from townsquare.db import Database, upgrade_to_head
from townsquare.demo import DemoSummary, seed_demo
from townsquare.settings import Settings


@dataclass
class Seeded:
    database: Database
    settings: Settings
    summary: DemoSummary
    progress: list[tuple[str, int, int]]


def fresh(directory: Path, backend: str = "sqlite") -> tuple[Database, Settings]:
    """A migrated, empty database and settings whose data directory is ``directory``."""
    url = database_url_for(backend, directory)
    database = Database(url)
    upgrade_to_head(database)
    return database, Settings(data_dir=directory, database_url=url)


@pytest.fixture(scope="package", params=["sqlite", "postgresql"])
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    database, settings = fresh(tmp_path_factory.mktemp("demo"), request.param)
    progress: list[tuple[str, int, int]] = []
    summary = seed_demo(
        database, settings, on_progress=lambda *report: progress.append(report), seed=7
    )
    yield Seeded(database, settings, summary, progress)
    database.dispose()
