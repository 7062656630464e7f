from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.utils.concurrency import repeat_together
from tests.utils.factories import make_account, make_post, mp4_bytes, png_bytes
from townsquare.db import Database
from townsquare.db.models import Account
from townsquare.errors import Forbidden, InvalidInput, NotFound
from townsquare.settings import Settings
from townsquare.social import media, posts


def test_every_kind_of_post(database: Database, settings: Settings) -> None:
    with database.session() as session:
        author = make_account(session)
        image = media.store_media(session, settings.media_dir, author, png_bytes(), quotas=None)
        short = media.store_media(
            session, settings.media_dir, author, mp4_bytes(30_000), quotas=None
        )
        long = media.store_media(
            session, settings.media_dir, author, mp4_bytes(600_000), quotas=None
        )
        made = [
            posts.create_post(session, author, kind="text", text="Proofing at 24C."),
            posts.create_post(session, author, kind="image", text="crumb", media_id=image.id),
            posts.create_post(session, author, kind="short_video", media_id=short.id),
            posts.create_post(session, author, kind="long_video", media_id=long.id),
            posts.create_post(session, author, kind="link", link_url="https://example.org/a"),
        ]
    with database.session() as session:
        page = posts.list_posts(session, limit=10)
        assert [p.kind for p in page.items] == [p.kind for p in reversed(made)]
        assert [p.kind for p in posts.list_posts(session, kind="image").items] == ["image"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "poll"}, "kind must be one of"),
        ({"kind": "text", "text": "   "}, "needs text"),
        ({"kind": "link"}, "needs link_url"),
        ({"kind": "link", "link_url": "javascript:alert(1)"}, "http"),
        ({"kind": "text", "text": "x", "link_url": "https://a.b"}, "only for link"),
        ({"kind": "image"}, "needs media_id"),
        ({"kind": "text", "text": "x" * (posts.MAX_TEXT + 1)}, "longer than"),
    ],
)
def test_invalid_posts_are_refused(
    database: Database, kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message), database.session() as session:
        posts.create_post(session, make_account(session), **kwargs)


def test_media_must_fit_the_kind(database: Database, settings: Settings) -> None:
    with database.session() as session:
        author = make_account(session)
        image = media.store_media(session, settings.media_dir, author, png_bytes(), quotas=None)
        long = media.store_media(
            session, settings.media_dir, author, mp4_bytes(181_000), quotas=None
        )
        with pytest.raises(InvalidInput, match="video file"):
            posts.create_post(session, author, kind="short_video", media_id=image.id)
        with pytest.raises(InvalidInput, match="long_video"):
            posts.create_post(session, author, kind="short_video", media_id=long.id)
        with pytest.raises(InvalidInput, match="image file"):
            posts.create_post(session, author, kind="image", media_id=long.id)
        other = make_account(session)
        with pytest.raises(NotFound, match=f"no media {image.id}"):  # not posted: unseen
            posts.create_post(session, other, kind="image", media_id=image.id)
        posts.create_post(session, author, kind="image", media_id=image.id)
        with pytest.raises(Forbidden, match="media you uploaded"):
            posts.create_post(session, other, kind="image", media_id=image.id)


def test_only_the_author_edits_or_deletes_and_deleted_posts_vanish(
    tmp_path: Path, database: Database
) -> None:
    with database.session() as session:
        author, other = make_account(session), make_account(session)
        post = make_post(session, author)
        with pytest.raises(Forbidden):
            posts.edit_post(session, other, post.id, text="mine now")
        posts.edit_post(session, author, post.id, text="edited")
        assert post.text == "edited" and post.updated_at >= post.created_at
        posts.delete_post(session, author, post.id, media_dir=tmp_path)
        with pytest.raises(NotFound):
            posts.get_post(session, post.id)
        assert posts.list_posts(session, author=author, limit=10).items == []


def test_likes_are_idempotent_and_logged(database: Database) -> None:
    with database.session() as session:
        author, fan = make_account(session), make_account(session)
        post = make_post(session, author)
        assert posts.like_post(session, fan, post.id) is True
        assert posts.like_post(session, fan, post.id) is False
        assert posts.like_count(session, post.id) == 1
        posts.unlike_post(session, fan, post.id)
        assert posts.like_count(session, post.id) == 0


def test_comments_list_oldest_first_and_delete_rights(database: Database) -> None:
    with database.session() as session:
        author, a, b = make_account(session), make_account(session), make_account(session)
        post = make_post(session, author)
        first = posts.add_comment(session, a, post.id, "first!")
        second = posts.add_comment(session, b, post.id, "second")
        assert [c.id for c in posts.list_comments(session, post.id).items] == [first.id, second.id]
        with pytest.raises(Forbidden):
            posts.delete_comment(session, b, first.id)
        posts.delete_comment(session, author, first.id)  # the post's author may moderate
        assert [c.id for c in posts.list_comments(session, post.id).items] == [second.id]
        with pytest.raises(InvalidInput):
            posts.add_comment(session, a, post.id, "  ")


def test_two_clients_liking_at_once_store_one_like(database: Database) -> None:
    def prepare(session: Session) -> tuple[int, int]:
        return make_account(session).id, make_post(session, make_account(session)).id

    def like(session: Session, ids: tuple[int, int]) -> bool:
        return posts.like_post(session, session.get_one(Account, ids[0]), ids[1])

    def check(session: Session, ids: tuple[int, int], results: list[object]) -> None:
        assert sorted(results, key=str) == [False, True], results
        assert posts.like_count(session, ids[1]) == 1

    repeat_together(database, prepare, like, check)
