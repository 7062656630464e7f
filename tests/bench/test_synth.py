from __future__ import annotations

from pathlib import Path

import pytest
from bench.synth import Plan, generate, main
from rich.console import Console
from sqlalchemy import func, select

from tests.utils.factories import make_post
from townsquare.db import Database
from townsquare.db.models import Account, Agent, Event, Follow, Message, Post, Thread, ThreadMember
from townsquare.social.messages import members_key

pytestmark = pytest.mark.postgres


def _count(database: Database, model: type) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_community_has_the_planned_size_and_shapes(database: Database) -> None:
    written = generate(database, Plan(200, seed=1))
    assert written["accounts"] == 200 + 2  # and one agent per hundred members
    assert (written["posts"], written["events"]) == (2000, 20_000)
    for model, table in [(Post, "posts"), (Event, "events"), (Follow, "follows"),
                         (Message, "messages"), (Agent, "agents")]:  # fmt: skip
        assert _count(database, model) == written[table] > 0
    with database.session() as session:
        followers = sorted(
            session.scalars(select(func.count()).select_from(Follow).group_by(Follow.followee_id)),
            reverse=True,
        )
        assert followers[0] >= 5 * followers[len(followers) // 2]  # a power law, not uniform
        kinds = set(session.scalars(select(Post.kind).distinct()))
        assert kinds == {"text", "image", "short_video", "long_video", "link"}
        types = set(session.scalars(select(Event.type).distinct()))
        assert {"impression", "open", "dwell", "like", "follow"} <= types
        thread = session.scalars(select(Thread)).first()
        assert thread is not None
        members = set(
            session.scalars(
                select(ThreadMember.account_id).where(ThreadMember.thread_id == thread.id)
            )
        )
        assert len(members) == 2 and thread.members_key == members_key(members)
        author = session.scalars(select(Account).where(Account.kind == "person")).first()
        assert author is not None
        # The app goes on writing after it: ids given by the generator are not given again.
        assert make_post(session, author, "After the import.").id == written["posts"] + 1


def test_a_second_run_adds_to_the_first(database: Database) -> None:
    generate(database, Plan(50, seed=1))
    generate(database, Plan(50, seed=2))
    assert _count(database, Account) == 2 * (50 + 1)
    assert _count(database, Post) == 2 * 500


def test_the_command_prints_rows_per_table(tmp_path: Path) -> None:
    console = Console(record=True, width=100)
    main(["--members", "20", "--database-url", f"sqlite:///{tmp_path / 's.db'}"], console=console)
    output = console.export_text()
    assert "20 members in" in output
    assert "events" in output and "2,000" in output


def test_the_command_refuses_fewer_than_two_members(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--members", "1", "--database-url", "sqlite://"])
    assert exit_.value.code == 2
    assert "--members must be at least 2" in capsys.readouterr().err
