from __future__ import annotations

from pathlib import Path

import pytest
from bench.processes import community_members, replacements
from bench.synth import Plan, generate
from sqlalchemy import select

from townsquare.db import Database
from townsquare.db.models import Account, Post
from townsquare.social.sessions import token_for

pytestmark = pytest.mark.postgres


def test_members_drawn_from_a_community_hold_working_tokens(database: Database) -> None:
    generate(database, Plan(30, seed=3))
    url = database.url.render_as_string(hide_password=False)
    tokens, post_ids = community_members(url, 5, seed=1)
    assert len(tokens) == 5 and len(post_ids) == 300  # every post, when fewer than 1,000
    with database.session() as session:
        holders = []
        for headers in tokens:
            found = token_for(session, headers["Authorization"].removeprefix("Bearer "))
            assert found is not None
            holders.append(session.get_one(Account, found.account_id))
        assert {a.kind for a in holders} == {"person"} and len({a.id for a in holders}) == 5
        assert set(post_ids) == set(session.scalars(select(Post.id)))
    assert community_members(url, 5, seed=1)[1] == post_ids  # the same draw for the same seed


def test_a_community_too_small_for_the_members_asked_is_refused(database: Database) -> None:
    generate(database, Plan(4, seed=3))
    url = database.url.render_as_string(hide_password=False)
    with pytest.raises(SystemExit, match="holds 4 people; --members asks for 10"):
        community_members(url, 10, seed=1)


def test_replaced_workers_are_counted_from_the_supervisors_log(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    log.write_text(
        "INFO:     Started parent process [10]\n"
        "INFO:     Child process [11] died\n"
        "INFO:     Waiting for child process [12]\n"
        "INFO:     Child process [13] died\n"
    )
    assert replacements(log) == 2
