from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.utils.concurrency import repeat_together
from tests.utils.factories import make_account, make_agent, mp4_bytes, png_bytes, unique_handle
from townsquare.db import Database
from townsquare.db.models import Account, Agent
from townsquare.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
)
from townsquare.social.accounts import authenticate
from townsquare.studio import agents
from townsquare.studio.conversation.persona import persona_from_agent
from townsquare.studio.lorebook_entries import LorebookError
from townsquare.studio.spec import AgentSpec

pytestmark = pytest.mark.postgres


def test_an_agent_gets_its_own_account_that_nobody_can_sign_in_as(database: Database) -> None:
    with database.session() as session:
        owner = make_account(session)
        agent = make_agent(session, owner, handle="pip_the_gardener", name="Pip", tagline="Plants!")
        account = session.get(Account, agent.account_id)
        assert account is not None
        assert (account.handle, account.kind, account.display_name) == (
            "pip_the_gardener",
            "agent",
            "Pip",
        )
        with pytest.raises(AuthenticationFailed):
            authenticate(session, "pip_the_gardener", "!agent")


def test_agent_handles_share_the_account_namespace(database: Database) -> None:
    with database.session() as session:
        owner = make_account(session)
        with pytest.raises(Conflict, match="taken"):
            make_agent(session, owner, handle=owner.handle)


def test_a_person_has_at_most_one_creator_agent(database: Database) -> None:
    with database.session() as session:
        owner = make_account(session)
        make_agent(session, owner, kind="creator")
        with pytest.raises(Conflict, match="already has a creator agent"):
            make_agent(session, owner, kind="creator")


def test_business_agents_belong_to_business_accounts(database: Database) -> None:
    with database.session() as session:
        person = make_account(session)
        shop = make_account(session, kind="business")
        with pytest.raises(Forbidden, match="business account"):
            make_agent(session, person, kind="business")
        assert make_agent(session, shop, kind="business").kind == "business"


def test_agents_cannot_own_agents(database: Database) -> None:
    with database.session() as session:
        agent = make_agent(session, make_account(session))
        agent_account = session.get(Account, agent.account_id)
        assert agent_account is not None
        with pytest.raises(Forbidden):
            make_agent(session, agent_account)


def test_private_agents_are_invisible_to_others(database: Database) -> None:
    with database.session() as session:
        owner, other = make_account(session), make_account(session)
        agent = make_agent(session, owner, visibility="private")
        handle = agents.agent_account(session, agent).handle
        assert agents.visible_agent(session, owner, handle).id == agent.id
        with pytest.raises(NotFound):
            agents.visible_agent(session, other, handle)
        with pytest.raises(NotFound):
            agents.visible_agent(session, None, handle)


def test_only_the_owner_changes_an_agent(database: Database) -> None:
    with database.session() as session:
        owner, other = make_account(session), make_account(session)
        agent = make_agent(session, owner)
        handle = agents.agent_account(session, agent).handle
        with pytest.raises(Forbidden, match="not your agent"):
            agents.update_agent(session, other, handle, {"tone": "rude"})
        agents.update_agent(session, owner, handle, {"tone": "warm", "name": "New Name"})
        assert agent.tone == "warm"
        assert agents.agent_account(session, agent).display_name == "New Name"


def test_updates_are_validated_as_a_whole(database: Database) -> None:
    with database.session() as session:
        owner = make_account(session)
        handle = agents.agent_account(session, make_agent(session, owner)).handle
        with pytest.raises(InvalidInput, match="cannot change kind"):
            agents.update_agent(session, owner, handle, {"kind": "creator"})
        with pytest.raises(InvalidInput, match="openers: List should have at most 3 items"):
            agents.update_agent(session, owner, handle, {"openers": ["a", "b", "c", "d"]})


def test_the_reply_length_reaches_the_persona(database: Database) -> None:
    with database.session() as session:
        owner = make_account(session)
        agent = make_agent(session, owner, reply_sentences=2)
        handle = agents.agent_account(session, agent).handle
        assert persona_from_agent(session, agent).reply_sentences == 2
        agents.update_agent(session, owner, handle, {"reply_sentences": 5})
        assert persona_from_agent(session, agent).reply_sentences == 5
        with pytest.raises(InvalidInput, match="reply_sentences: Input should be greater than"):
            agents.update_agent(session, owner, handle, {"reply_sentences": 0})


def test_profile_round_trips(database: Database) -> None:
    with database.session() as session:
        owner = make_account(session)
        agent = make_agent(
            session,
            owner,
            traits=["curious"],
            avoid_topics=[{"topic": "my ex", "reply": "I'd rather not talk about that."}],
            example_dialogues=[
                [{"speaker": "user", "text": "hi"}, {"speaker": "agent", "text": "hey"}]
            ],
        )
        profile = agents.agent_profile(session, agent)
        assert profile.reply_sentences == 3
        assert profile.traits == ["curious"]
        assert profile.avoid_topics[0].reply == "I'd rather not talk about that."
        assert profile.example_dialogues[0][1].speaker == "agent"


def test_spec_refuses_bad_input() -> None:
    with pytest.raises(ValidationError, match="openers"):
        AgentSpec(handle="abc", name="A", openers=["1", "2", "3", "4"])
    with pytest.raises(ValidationError, match="NUL"):
        AgentSpec(handle="abc", name="A\x00")
    with pytest.raises(ValidationError, match="blank"):
        AgentSpec(handle="abc", name="A", traits=["  "])
    with pytest.raises(ValidationError, match="extra"):
        AgentSpec.model_validate({"handle": "abc", "name": "A", "secret": 1})


def test_directory_lists_public_agents_and_owners_see_all_of_theirs(database: Database) -> None:
    with database.session() as session:
        owner, other = make_account(session), make_account(session)
        public = make_agent(session, owner)
        private = make_agent(session, owner, visibility="private")
        unlisted = make_agent(session, owner, visibility="unlisted")
        directory = {a.id for a in agents.list_agents(session, other, cursor=None).items}
        assert public.id in directory and not directory & {private.id, unlisted.id}
        mine = agents.list_agents(session, owner, owner=owner, cursor=None).items
        assert {a.id for a in mine} == {public.id, private.id, unlisted.id}
        theirs = agents.list_agents(session, other, owner=owner, cursor=None).items
        assert [a.id for a in theirs] == [public.id]


def test_deleting_an_agent_keeps_its_account_for_old_messages(database: Database) -> None:
    with database.session() as session:
        owner = make_account(session)
        agent = make_agent(session, owner, handle=unique_handle("gone"))
        handle = agents.agent_account(session, agent).handle
        account_id = agent.account_id
        agents.delete_agent(session, owner, handle)
        assert agents.find_agent(session, handle) is None
        account = session.get(Account, account_id)
        assert account is not None and account.display_name.endswith("(deleted agent)")


def test_an_avatar_must_be_a_picture(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        owner = make_account(session)
        agent = make_agent(session, owner, handle="pip_pictured")
        agents.change_avatar(session, owner, "pip_pictured", data=png_bytes(), media_dir=tmp_path)
        assert agents.agent_account(session, agent).avatar_media_id is not None
        with pytest.raises(InvalidInput, match=r"^an avatar must be an image, not video/mp4$"):
            agents.change_avatar(
                session, owner, "pip_pictured", data=mp4_bytes(1_000), media_dir=tmp_path
            )


def test_a_lorebook_is_checked_before_it_is_stored(database: Database) -> None:
    book = {"entries": [{"keys": ["tea"], "content": "Pip loves tea."}]}
    with database.session() as session:
        owner = make_account(session)
        make_agent(session, owner, handle="pip_lore")
        assert agents.set_lorebook(session, owner, "pip_lore", book).lorebook == book
        with pytest.raises(LorebookError, match=r"^character_book.entries\[0\].keys: "):
            agents.set_lorebook(session, owner, "pip_lore", {"entries": [{"content": "x"}]})
        assert agents.set_lorebook(session, owner, "pip_lore", None).lorebook is None


def test_a_passage_nobody_may_cite_is_missing(database: Database) -> None:
    with database.session() as session:
        owner = make_account(session)
        make_agent(session, owner, handle="pip_cites")
        with pytest.raises(NotFound, match=r"^@pip_cites has no passage 12345$"):
            agents.cited_passage(session, owner, "@pip_cites", 12345)


def test_the_instance_lists_every_agent_with_its_owner_private_ones_too(
    database: Database,
) -> None:
    with database.session() as session:
        ada, bo = make_account(session), make_account(session)
        public = make_agent(session, ada)
        private = make_agent(session, bo, visibility="private")
        listed = [(row.agent.id, row.owner.id) for row in agents.instance_agents(session)]
        assert listed == [(public.id, ada.id), (private.id, bo.id)]
        directory = agents.list_agents(session, None, cursor=None).items
        assert [a.id for a in directory] == [public.id]


def test_two_clients_creating_creator_agents_at_once_get_one(database: Database) -> None:
    def make(session: Session, owner_id: int) -> int:
        spec = AgentSpec(handle=unique_handle("twin"), name="Twin", kind="creator")
        return agents.create_agent(session, session.get_one(Account, owner_id), spec).id

    def check(session: Session, owner_id: int, results: list[object]) -> None:
        made = [result for result in results if isinstance(result, int)]
        refused = [result for result in results if isinstance(result, Conflict)]
        assert (len(made), len(refused)) == (1, 1), results
        assert "already has a creator agent; edit that one" in str(refused[0])
        kinds = session.scalars(select(Agent.kind).where(Agent.owner_id == owner_id)).all()
        assert kinds == ["creator"]

    repeat_together(database, lambda session: make_account(session).id, make, check)
