"""`townsquare intent ...`: every command has help; create, list, show, inbox, answer and the
commands work on the local database and refuse what makes no sense with a clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.utils.factories import make_account
from townsquare.cli import app
from townsquare.db import Database, upgrade_to_head
from townsquare.db.models import Intent
from townsquare.tasks.inbox import post_item

runner = CliRunner()
COMMANDS = ["create", "list", "show", "pause", "resume", "cancel", "inbox", "answer"]


@pytest.mark.parametrize("command", [["intent"], ["worker"], *[["intent", c] for c in COMMANDS]])
def test_every_intent_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_create_list_show_answer_cancel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOWNSQUARE_DATA_DIR", str(tmp_path))
    database = Database(f"sqlite:///{tmp_path / 'townsquare.db'}")
    upgrade_to_head(database)
    with database.session() as session:
        make_account(session, handle="alice")
    plan = json.dumps([{"name": "draft_post", "args": {"text": "hi"}}])
    made = runner.invoke(app, ["intent", "create", "--as", "alice", "Say hi", "--plan", plan,
                               "--cron", "0 9 * * 1", "--timezone", "Europe/Paris"])  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "intent 1 created" in made.output
    listed = runner.invoke(app, ["intent", "list", "--as", "alice"])
    assert "Say hi" in listed.output and "pending" in listed.output

    with database.session() as session:
        intent = session.get(Intent, 1)
        assert intent is not None
        assert intent.spec["schedule"] == {"cron": "0 9 * * 1", "timezone": "Europe/Paris",
                                           "runs": 1}  # fmt: skip
        post_item(session, intent, "question", "Which day?", key="q", choices=["Mon", "Tue"])
    bad = runner.invoke(app, ["intent", "answer", "--as", "alice", "1", "Sunday"])
    assert bad.exit_code == 1 and "answer with one of: Mon, Tue" in bad.output
    good = runner.invoke(app, ["intent", "answer", "--as", "alice", "1", "Tue"])
    assert good.exit_code == 0 and "inbox item 1 answered" in good.output
    shown = runner.invoke(app, ["intent", "show", "--as", "alice", "1"])
    assert "Which day? -> Tue" in shown.output

    resume = runner.invoke(app, ["intent", "resume", "--as", "alice", "1"])
    assert resume.exit_code == 1 and "intent 1 is not paused (it is pending)" in resume.output
    cancel = runner.invoke(app, ["intent", "cancel", "--as", "alice", "1"])
    assert cancel.exit_code == 0 and "cancel requested" in cancel.output
    database.dispose()


def test_create_with_options_and_constraints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOWNSQUARE_DATA_DIR", str(tmp_path))
    database = Database(f"sqlite:///{tmp_path / 'townsquare.db'}")
    upgrade_to_head(database)
    with database.session() as session:
        make_account(session, handle="alice")
    venue = '{"name": "Loft 9", "price_eur": 450}'
    made = runner.invoke(app, ["intent", "create", "--as", "alice", "A venue", "--option", venue,
                               "--constraints", '{"price_eur": {"max": 500}}'])  # fmt: skip
    assert made.exit_code == 0, made.output
    bad = runner.invoke(app, ["intent", "create", "--as", "alice", "A venue", "--option", venue,
                              "--constraints", '{"price_eur": {"under": 500}}'])  # fmt: skip
    assert bad.exit_code == 1 and "constraint 'price_eur' needs 'min', 'max' or both" in bad.output
    with database.session() as session:
        intent = session.get(Intent, 1)
        assert intent is not None and intent.spec["constraints"] == {"price_eur": {"max": 500.0}}
    database.dispose()
