"""The daily digest: its sources, its grounded lines, once a day, and the background writer."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.utils.factories import make_account, make_agent, make_post
from townsquare.ai import build_chat_model
from townsquare.ai.chat import ChatRequest
from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.cli.feed import feed_app
from townsquare.db import Database, upgrade_to_head
from townsquare.db.models import Account, Digest, Post
from townsquare.errors import InvalidInput, NotFound
from townsquare.feed.serving.config import DigestConfig
from townsquare.feed.serving.service import FeedService
from townsquare.settings import Settings
from townsquare.social import events, posts
from townsquare.studio.conversation.wording import split_sentences
from townsquare.tasks.digest import (
    DIGEST_HANDLE,
    DigestScheduler,
    Source,
    digest_readers,
    grounded_line,
    write_digest,
)

TEXTS = [
    "Fed the rye starter at 7am. It doubled by noon, the best rise this month.",
    "New trail loop above the reservoir: 12 km, mostly shaded.",
    "Our game jam entry is a puzzle about tides. Playable in the browser.",
    "Scoring baguettes at a shallow angle gives the ear. Practice on cheap dough.",
    "Easy runs should feel easy. Keep the heart rate low.",
]


@pytest.fixture
def feed(tmp_path: Path) -> FeedService:
    return FeedService(tmp_path / "data", FakeEmbedder)


def _town(session: Session) -> tuple[Account, list[Post]]:
    reader = make_account(session, "reader")
    maya, tom = make_account(session, "maya"), make_account(session, "tom")
    written = [
        make_post(session, maya if i % 2 == 0 else tom, text) for i, text in enumerate(TEXTS)
    ]
    session.commit()
    return reader, written


def test_a_digest_is_written_once_a_day_for_its_member_alone(
    database: Database, feed: FeedService
) -> None:
    chat = FakeChatModel()  # "This is a fake reply.": supported by no post, so every line quotes
    with database.new_session() as session:
        reader, written = _town(session)
        digest = write_digest(session, chat, feed, reader)
        assert digest is not None and len(chat.requests) == 5
        assert digest.source_post_ids and set(digest.source_post_ids) == {p.id for p in written}
        post = session.get(Post, digest.post_id)
        assert post is not None and post.ai_generated and post.audience_id == reader.id
        author = session.get(Account, post.author_id)
        assert author is not None and (author.handle, author.kind) == (DIGEST_HANDLE, "agent")
        lines = post.text.splitlines()
        assert lines[0].endswith("5 posts you may have missed.")
        for line, source_id in zip(lines[1:], digest.source_post_ids, strict=True):
            assert line.endswith(f" /posts/{source_id}")
            source = session.get(Post, source_id)
            assert source is not None
            assert f'"{source.text.split(". ")[0].rstrip(".")}' in line  # quoted, first sentence
        again = write_digest(session, chat, feed, reader)
        assert again is not None and again.id == digest.id and len(chat.requests) == 5
        assert session.scalar(select(func.count()).select_from(Digest)) == 1
        tomorrow = write_digest(session, chat, feed, reader, now=datetime.now(UTC) + timedelta(1))
        assert tomorrow is not None and tomorrow.id != digest.id


def test_sources_leave_out_seen_own_hidden_and_old_posts(
    database: Database, feed: FeedService
) -> None:
    with database.new_session() as session:
        reader, written = _town(session)
        own = make_post(session, reader, "My own post about sourdough and rye.")
        maya = session.get(Account, written[0].author_id)
        assert maya is not None
        old = make_post(session, maya, "An old post about rye bread.")
        old.created_at = datetime.now(UTC) - timedelta(days=3)
        blocked = make_account(session, "blocked")
        make_post(session, blocked, "A post from someone I hid.")
        posts.like_post(session, reader, written[0].id)
        events.record_event(session, reader, "hide", surface="feed", post_id=written[1].id)
        events.record_event(session, reader, "hide", surface="feed", target_account_id=blocked.id)
        session.commit()
        digest = write_digest(session, FakeChatModel(), feed, reader)
        assert digest is not None
        assert set(digest.source_post_ids) == {p.id for p in written[2:]}
        assert own.id not in digest.source_post_ids and old.id not in digest.source_post_ids
        # Nobody else's feed offers it, and it is never a source of another digest.
        tom = session.scalar(select(Account).where(Account.handle == "tom"))
        assert tom is not None
        page = feed.page(session, tom.id, limit=50)
        assert digest.post_id not in {e.id for e in page.entries if e.kind == "post"}


def test_too_few_new_posts_make_no_digest(database: Database, feed: FeedService) -> None:
    with database.new_session() as session:
        reader = make_account(session, "reader")
        make_post(session, make_account(session, "maya"), "Only one post today.")
        session.commit()
        chat = FakeChatModel()
        assert write_digest(session, chat, feed, reader) is None
        assert chat.requests == [] and session.scalar(select(func.count()).select_from(Digest)) == 0


def _source(text: str) -> Source:
    return Source(7, text, "maya", "Maya Baker")


def test_a_supported_model_line_is_kept_and_an_invented_one_replaced_by_a_quote() -> None:
    source = _source("Fed the rye starter at 7am. It doubled by noon, the best rise this month.")
    kept = grounded_line(source, "Maya fed the rye starter at 7am.")
    assert kept.grounded and kept.text == "- @maya: Maya fed the rye starter at 7am. /posts/7"
    for invented in (
        "Maya fed the rye starter at 9am.",  # a wrong number
        "Maya sells rye loaves at the market.",  # words the post never says
        "Maya did not feed the rye starter.",  # the opposite
    ):
        line = grounded_line(source, invented)
        assert not line.grounded, invented
        assert line.text == '- @maya: "Fed the rye starter at 7am." /posts/7'


def test_the_prompt_holds_the_post(database: Database, feed: FeedService) -> None:
    asked: list[ChatRequest] = []

    def reply(request: ChatRequest) -> str:
        asked.append(request)
        return request.messages[-1].content.splitlines()[1]  # the post itself: supported

    with database.new_session() as session:
        reader, written = _town(session)
        digest = write_digest(session, FakeChatModel(reply), feed, reader)
        assert digest is not None
        post = session.get(Post, digest.post_id)
        assert post is not None
        assert all(request.temperature == 0 for request in asked)
        assert f"- @maya: {TEXTS[0]} /posts/{written[0].id}" in post.text.splitlines()


def test_the_scheduler_logs_a_failure_and_retries_later(
    database: Database, feed: FeedService, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(request: ChatRequest) -> str:
        raise RuntimeError("model crashed")

    clock = [0.0]
    chat = FakeChatModel(broken)
    scheduler = DigestScheduler(database, lambda: chat, feed, clock=lambda: clock[0])
    with database.new_session() as session:
        reader, _ = _town(session)
        reader_id = reader.id
    assert scheduler.due(reader_id)
    with caplog.at_level(logging.ERROR):
        scheduler.run(reader_id)  # never raises
    assert "writing account" in caplog.text and "retrying later" in caplog.text
    assert not scheduler.due(reader_id)
    clock[0] += DigestConfig().retry_minutes * 60
    assert scheduler.due(reader_id)
    chat.replies = None  # the model works again
    scheduler.run(reader_id)
    assert not scheduler.due(reader_id)  # written for today
    with database.new_session() as session:
        assert session.scalar(select(func.count()).select_from(Digest)) == 1


def test_the_cli_writes_digests(
    database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    helped = runner.invoke(feed_app, ["digest", "--help"])
    assert helped.exit_code == 0 and "--handle" in helped.output
    with database.new_session() as session:
        _town(session)
    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", settings.database_url or "")
    monkeypatch.setattr(
        "townsquare.ai.runtime.Models",
        lambda s: Models(s, chat=FakeChatModel(), embedder=FakeEmbedder()),
    )
    data_dir = ["--data-dir", str(settings.data_dir)]
    one = runner.invoke(feed_app, ["digest", "--handle", "reader", *data_dir])
    assert one.exit_code == 0, one.output
    assert "@reader: digest of 5 posts" in one.output and "1 digest ready" in one.output
    everyone = runner.invoke(feed_app, ["digest", *data_dir])
    assert everyone.exit_code == 0, everyone.output
    assert "@tom: digest of 3 posts" in everyone.output  # maya's three
    assert "@maya: too few new posts for a digest today" in everyone.output  # tom's two
    missing = runner.invoke(feed_app, ["digest", "--handle", "nobody", *data_dir])
    assert missing.exit_code == 1 and "no account @nobody" in missing.output


@pytest.mark.slow
def test_the_embedded_model_writes_a_digest_of_only_what_its_sources_say(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path}/t.db")
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database)
    chat = build_chat_model(settings)  # the embedded SmolLM2
    with database.new_session() as session:
        reader, written = _town(session)
        digest = write_digest(session, chat, FeedService(settings.data_dir, FakeEmbedder), reader)
        assert digest is not None
        post = session.get(Post, digest.post_id)
        assert post is not None and post.ai_generated
        sources = {p.id: p for p in written}
        for line, source_id in zip(post.text.splitlines()[1:], digest.source_post_ids, strict=True):
            author = session.get(Account, sources[source_id].author_id)
            assert author is not None and line.startswith(f"- @{author.handle}: ")
            body = line.split(": ", 1)[1].removesuffix(f" /posts/{source_id}")
            text = sources[source_id].text
            if body.startswith('"'):  # the source quoted
                assert body == f'"{split_sentences(text)[0]}"'
            else:  # the model's own words, every sentence supported by the source
                source = Source(source_id, text, author.handle, author.display_name)
                assert grounded_line(source, body).grounded, body
    database.dispose()


def test_digests_are_for_members_not_agents(database: Database) -> None:
    with database.session() as session:
        ada = make_account(session)
        agent = make_agent(session, ada)
        handle = session.get(Account, agent.account_id).handle  # type: ignore[union-attr]
        assert digest_readers(session) == [ada.id]
        assert digest_readers(session, handle=f"@{ada.handle}") == [ada.id]
        with pytest.raises(InvalidInput, match="is an agent: digests are for members"):
            digest_readers(session, handle=handle)
        with pytest.raises(NotFound, match="no account @nobody"):
            digest_readers(session, handle="nobody")
