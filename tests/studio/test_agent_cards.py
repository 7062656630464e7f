"""An agent to and from a character card, as every shell does it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.studio.test_cards import SERAPHINA_V2, card_bytes
from tests.utils.factories import make_account, png_bytes
from townsquare.db import Database
from townsquare.errors import Forbidden, InvalidInput
from townsquare.studio import agent_cards, agents


def test_a_card_becomes_an_agent_with_its_lorebook_and_the_handle_asked_for(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        owner = make_account(session)
        agent, _ = agent_cards.import_agent(
            session,
            owner,
            data=card_bytes(SERAPHINA_V2),
            filename="seraphina.json",
            kind="character",
            handle="sera",
            media_dir=tmp_path,
        )
        assert agents.agent_account(session, agent).handle == "sera"
        assert (agent.owner_id, agent.kind) == (owner.id, "character")
        assert agent.lorebook == SERAPHINA_V2["data"]["character_book"]


def test_a_card_over_the_limit_is_refused_before_it_is_read(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        owner = make_account(session)
        with pytest.raises(InvalidInput, match=r"^a card is at most 20 MB$"):
            agent_cards.import_agent(
                session,
                owner,
                data=b"{" + b" " * agent_cards.MAX_CARD_BYTES,
                filename="huge.json",
                kind="character",
                handle=None,
                media_dir=tmp_path,
            )


def test_an_exported_card_is_named_after_the_agent_and_reads_back(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        owner = make_account(session)
        agent_cards.import_agent(
            session,
            owner,
            data=card_bytes(SERAPHINA_V2),
            filename="seraphina.json",
            kind="character",
            handle="sera",
            media_dir=tmp_path,
        )
        card = agent_cards.export_agent(session, owner, "sera", fmt="json_v2", media_dir=tmp_path)
        assert (card.media_type, card.filename) == ("application/json", "sera.json")
        assert json.loads(card.data)["data"]["name"] == SERAPHINA_V2["data"]["name"]
        png = agent_cards.export_agent(session, owner, "sera", fmt="png_v3", media_dir=tmp_path)
        assert (png.media_type, png.filename) == ("image/png", "sera.png")


def test_only_the_owner_exports_an_agent(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        owner, stranger = make_account(session), make_account(session)
        agent_cards.import_agent(
            session,
            owner,
            data=card_bytes(SERAPHINA_V2),
            filename="seraphina.json",
            kind="character",
            handle="sera",
            media_dir=tmp_path,
        )
        with pytest.raises(Forbidden, match=r"^@sera is not your agent$"):
            agent_cards.export_agent(session, stranger, "sera", fmt="json_v2", media_dir=tmp_path)


def test_an_imported_picture_becomes_the_agents_avatar(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        owner = make_account(session)
        first, _ = agent_cards.import_agent(
            session,
            owner,
            data=card_bytes(SERAPHINA_V2),
            filename="seraphina.json",
            kind="character",
            handle="sera",
            media_dir=tmp_path,
        )
        assert agents.agent_account(session, first).avatar_media_id is None
        agents.change_avatar(session, owner, "sera", data=png_bytes(), media_dir=tmp_path)
        exported = agent_cards.export_agent(
            session, owner, "sera", fmt="png_v3", media_dir=tmp_path
        )
        again, _ = agent_cards.import_agent(
            session,
            owner,
            data=exported.data,
            filename=exported.filename,
            kind="character",
            handle="sera_again",
            media_dir=tmp_path,
        )
        assert agents.agent_account(session, again).avatar_media_id is not None
