"""Workflow ids are unique per installation: two installations sharing one system database each
run their own intent 1, where an id of the intent alone made the second one a no-op."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.db import Database, upgrade_to_head
from townsquare.db.installation import installation_id
from townsquare.db.models import Intent
from townsquare.settings import Settings
from townsquare.social import accounts
from townsquare.tasks import intents
from townsquare.tasks.engine import IntentEngine

PLAN = [{"name": "finish", "args": {"summary": "done here"}}]


def _installation(root: Path, system_db: str) -> tuple[Settings, Database]:
    settings = Settings(
        data_dir=root, database_url=f"sqlite:///{root / 'app.db'}", intents_database_url=system_db
    )
    root.mkdir()
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database)
    return settings, database


def _run_first_intent(settings: Settings, database: Database) -> str:
    with database.session() as session:
        member = accounts.create_account(session, handle="ada", password="correct horse b")
        intent = intents.create_intent(session, member, "say done", spec={"plan": PLAN})
        assert intent.id == 1
    engine = IntentEngine(
        settings, database, Models(settings, chat=FakeChatModel(), embedder=FakeEmbedder()),
        poll_seconds=0.05,
    )  # fmt: skip
    engine.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with database.session() as session:
                status = session.scalar(select(Intent.status).where(Intent.id == 1))
            if status == "done":
                return status
            time.sleep(0.05)
        return str(status)
    finally:
        engine.stop()
        database.dispose()


def test_two_installations_share_a_system_database(tmp_path: Path) -> None:
    system_db = f"sqlite:///{tmp_path / 'dbos.sqlite'}"
    first, second = (_installation(tmp_path / name, system_db) for name in ("a", "b"))
    with first[1].session() as a, second[1].session() as b:
        assert installation_id(a) != installation_id(b)
        assert len(installation_id(a)) == 32
    assert _run_first_intent(*first) == "done"
    assert _run_first_intent(*second) == "done"
