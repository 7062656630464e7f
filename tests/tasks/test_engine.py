"""The workflow engine's connections: bounded by the settings on a PostgreSQL system database
(issue 19: DBOS's default pool of 20 per worker helped four workers past 100 connections)."""

from __future__ import annotations

from pathlib import Path

from townsquare.settings import Settings
from townsquare.tasks.engine import dbos_config

POSTGRES = "postgresql://townsquare@127.0.0.1/townsquare"


def test_a_postgresql_system_database_gets_the_configured_pool(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, intents_database_url=POSTGRES, intents_database_pool_size=3
    )
    config = dbos_config(settings)
    assert config["sys_db_pool_size"] == 3
    assert config["system_database_url"] == POSTGRES


def test_a_sqlite_system_database_keeps_the_engines_own_pool(tmp_path: Path) -> None:
    config = dbos_config(Settings(data_dir=tmp_path, intents_database_pool_size=3))
    assert "sys_db_pool_size" not in config
    assert config["system_database_url"] == f"sqlite:///{tmp_path / 'intents-dbos.sqlite'}"
