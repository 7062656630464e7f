from pathlib import Path

import pytest

from tests.utils.factories import make_account, make_post
from townsquare.db import Database
from townsquare.errors import InvalidInput, NotFound
from townsquare.social import events, posts


def test_events_are_appended_with_surface_and_time(database: Database) -> None:
    with database.session() as session:
        viewer = make_account(session)
        post = make_post(session, make_account(session))
        events.record_event(session, viewer, "impression", surface="feed", post_id=post.id)
        events.record_event(
            session, viewer, "dwell", surface="feed", post_id=post.id, dwell_ms=4200
        )
        events.record_event(session, viewer, "hide", surface="feed", post_id=post.id)
        logged = events.list_events(session, viewer).items
        assert [(e.type, e.surface) for e in logged] == [
            ("hide", "feed"),
            ("dwell", "feed"),
            ("impression", "feed"),
        ]
        assert logged[1].dwell_ms == 4200
        assert logged[0].created_at >= logged[2].created_at


@pytest.mark.parametrize(
    ("type_", "kwargs", "error", "message"),
    [
        ("scroll", {}, InvalidInput, "type must be one of"),
        ("open", {"surface": "tv"}, InvalidInput, "surface must be one of"),
        ("open", {}, InvalidInput, "needs post_id"),
        ("follow", {}, InvalidInput, "needs target_account_id"),
        ("report", {}, InvalidInput, "post_id or target_account_id"),
        ("dwell", {"post": True}, InvalidInput, "needs dwell_ms"),
        ("open", {"post": True, "dwell_ms": 5}, InvalidInput, "only for dwell"),
        ("open", {"post_id": 999_999}, NotFound, "no post"),
        ("follow", {"target_account_id": 999_999}, NotFound, "no account"),
    ],
)
def test_malformed_events_are_refused(
    database: Database,
    type_: str,
    kwargs: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    kwargs = dict(kwargs)  # the parameters are shared by both backends' runs
    with pytest.raises(error, match=message), database.session() as session:
        viewer = make_account(session)
        if kwargs.pop("post", False):
            kwargs["post_id"] = make_post(session, viewer).id
        surface = str(kwargs.pop("surface", "feed"))
        events.record_event(session, viewer, type_, surface=surface, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("action", ["like", "comment", "share", "follow", "hide", "report"])
def test_exposures_are_all_a_client_may_report(database: Database, action: str) -> None:
    with database.session() as session:
        viewer = make_account(session)
        post = make_post(session, make_account(session))
        with pytest.raises(InvalidInput, match="clients report only impression, open, dwell"):
            events.record_exposure(session, viewer, action, surface="feed", post_id=post.id)


def test_exposures_on_a_deleted_post_are_refused(tmp_path: Path, database: Database) -> None:
    with database.session() as session:
        author = make_account(session)
        post = make_post(session, author)
        posts.delete_post(session, author, post.id, media_dir=tmp_path)
        with pytest.raises(NotFound, match=f"no post {post.id}"):
            events.record_exposure(
                session, make_account(session), "open", surface="feed", post_id=post.id
            )
