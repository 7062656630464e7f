"""`townsquare agent ...` on a real data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.utils.factories import make_account
from townsquare.cli import app
from townsquare.db import Database, upgrade_to_head
from townsquare.db.models import Agent
from townsquare.settings import Settings

runner = CliRunner()


def data_dir_with_owner(tmp_path: Path, handle: str = "maya") -> Path:
    settings = Settings(data_dir=tmp_path)
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database)
    with database.session() as session:
        make_account(session, handle)
    database.dispose()
    return tmp_path


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "command", ["create", "import", "export", "ingest", "reembed", "chat", "list"]
)
def test_every_agent_command_has_help(command: str) -> None:
    code, output = invoke("agent", command, "--help")
    assert code == 0 and "Usage" in output


def test_create_then_list(tmp_path: Path) -> None:
    data = str(data_dir_with_owner(tmp_path))
    code, output = invoke(
        "agent", "create", "--owner", "maya", "--handle", "maya_ai", "--name", "Maya's AI",
        "--kind", "creator", "--trait", "patient", "--avoid", "my family=I keep that private.",
        "--data-dir", data,
    )  # fmt: skip
    assert code == 0, output
    assert "Created the creator agent @maya_ai" in output
    code, output = invoke("agent", "list", "--data-dir", data)
    assert code == 0 and "@maya_ai" in output and "creator" in output


def test_create_a_character_with_its_reply_length(tmp_path: Path) -> None:
    data_dir = data_dir_with_owner(tmp_path)
    code, output = invoke(
        "agent", "create", "--owner", "maya", "--handle", "pip_ai", "--name", "Pip",
        "--reply-sentences", "1", "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0, output
    database = Database(Settings(data_dir=data_dir).resolved_database_url)
    with database.session() as session:
        assert session.scalars(select(Agent.reply_sentences)).one() == 1
    database.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--owner", "nobody"], "no account @nobody"),
        (["--owner", "maya", "--avoid", "no equals sign"], "topic=reply"),
        (["--owner", "maya", "--kind", "robot"], "kind"),
        (["--owner", "maya", "--reply-sentences", "9"], "reply_sentences"),
    ],
)
def test_create_explains_what_is_wrong(tmp_path: Path, args: list[str], message: str) -> None:
    data = str(data_dir_with_owner(tmp_path))
    code, output = invoke(
        "agent", "create", "--handle", "pip_ai", "--name", "Pip", *args, "--data-dir", data
    )
    assert code == 1
    assert message in output


def test_import_a_card_then_export_it(tmp_path: Path) -> None:
    data = str(data_dir_with_owner(tmp_path))
    card = {
        "spec": "chara_card_v2",
        "spec_version": "2.0",
        "data": {
            "name": "Captain Byte",
            "description": "A retired space pirate.",
            "personality": "dramatic",
            "scenario": "",
            "first_mes": "Ahoy!",
            "mes_example": "",
            "creator_notes": "for the CLI test",
            "system_prompt": "",
            "post_history_instructions": "",
            "alternate_greetings": [],
            "tags": ["space"],
            "creator": "someone",
            "character_version": "1",
            "extensions": {"other_tool": {"keep": True}},
            "character_book": {
                "entries": [
                    {"keys": ["ship"], "content": "The ship is the Byte Runner.", "enabled": True,
                     "insertion_order": 0}
                ]
            },
        },
    }  # fmt: skip
    path = tmp_path / "card.json"
    path.write_text(json.dumps(card))
    code, output = invoke(
        "agent", "import", str(path), "--owner", "maya", "--handle", "byte", "--data-dir", data
    )
    assert code == 0, output
    assert "@byte" in output and "1 lorebook entries" in output
    out = tmp_path / "byte.json"
    code, output = invoke(
        "agent", "export", "byte", "--format", "json_v2", "-o", str(out), "--data-dir", data
    )
    assert code == 0, output
    exported = json.loads(out.read_text())["data"]
    assert exported["first_mes"] == "Ahoy!"
    assert exported["extensions"]["other_tool"] == {"keep": True}
    assert exported["creator_notes"] == "for the CLI test"


def test_import_refuses_a_missing_file_and_a_bad_card(tmp_path: Path) -> None:
    data = str(data_dir_with_owner(tmp_path))
    code, output = invoke("agent", "import", str(tmp_path / "nope.png"), "--owner", "maya",
                          "--data-dir", data)  # fmt: skip
    assert code == 1 and "no file" in output
    bad = tmp_path / "bad.json"
    bad.write_text('{"spec": "chara_card_v2", "data": {"name": 3}}')
    code, output = invoke("agent", "import", str(bad), "--owner", "maya", "--data-dir", data)
    assert code == 1 and "name" in output


@pytest.mark.slow
def test_teach_an_agent_a_file_and_ask_it(tmp_path: Path) -> None:
    """The real embedded models: the answer quotes the file and cites it."""
    data = str(data_dir_with_owner(tmp_path))
    code, output = invoke("agent", "create", "--owner", "maya", "--handle", "maya_ai", "--name",
                          "Maya's AI", "--kind", "creator", "--data-dir", data)  # fmt: skip
    assert code == 0, output
    notes = tmp_path / "stall.md"
    notes.write_text(
        "# The Saturday stall\n\nThe stall on North Street opens every Saturday from 8am to 1pm. "
        "Pre-orders close on Thursday at 6pm.\n\n# Classes\n\nBeginners' sourdough classes run "
        "on the first Sunday of each month and cost 65 pounds, flour and a starter included.\n"
    )
    code, output = invoke("agent", "ingest", "maya_ai", str(notes), "--data-dir", data)
    assert code == 0, output
    assert "learned from 1 file" in output
    question = "When do pre-orders close for the stall?"
    code, output = invoke("agent", "chat", "maya_ai", "--as", "maya", "-m", question,
                          "--data-dir", data)  # fmt: skip
    assert code == 0, output
    assert "(AI)" in output
    assert "stall.md" in output  # the citation names the file


def test_reembed_brings_knowledge_to_the_configured_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import select

    from tests.utils.factories import make_agent, make_post
    from townsquare.ai.fake import FakeEmbedder
    from townsquare.ai.runtime import Models
    from townsquare.db.models import KnowledgeChunk
    from townsquare.studio.knowledge.sync import sync_owner_posts

    settings = Settings(data_dir=tmp_path)
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database)
    with database.session() as session:
        owner = make_account(session, "maya")
        make_post(session, owner, "Raku firing on Sundays.")
        make_post(session, owner, "Saggar firing with copper.")
        sync_owner_posts(
            session, FakeEmbedder(name="old-model"), make_agent(session, owner, kind="creator")
        )
    monkeypatch.setattr(Models, "embedder", property(lambda self: FakeEmbedder(name="new-model")))
    monkeypatch.setattr(Models, "cross_embedder", property(lambda self: FakeEmbedder(name="multi")))
    code, output = invoke("agent", "reembed", "--data-dir", str(tmp_path))
    assert code == 0, output
    assert "2 chunk(s) embedded again with new-model." in output
    assert "2 chunk(s) embedded again with multi." in output
    with database.session() as session:
        assert set(session.scalars(select(KnowledgeChunk.embedder))) == {"new-model"}
        assert set(session.scalars(select(KnowledgeChunk.cross_embedder))) == {"multi"}
    database.dispose()
