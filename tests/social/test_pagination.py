import pytest
from sqlalchemy import select

from tests.utils.factories import make_account, make_post
from townsquare.db import Database
from townsquare.db.models import Post
from townsquare.errors import InvalidInput
from townsquare.social.pagination import paginate


def test_pages_walk_every_row_once_newest_first(database: Database) -> None:
    with database.session() as session:
        author = make_account(session)
        ids = [make_post(session, author, f"post {i}").id for i in range(7)]
        seen: list[int] = []
        cursor = None
        while True:
            page = paginate(session, select(Post), Post.id, cursor=cursor, limit=3)
            seen += [p.id for p in page.items]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert seen == sorted(ids, reverse=True)


def test_bad_cursor_and_limit_are_refused(database: Database) -> None:
    with database.session() as session:
        with pytest.raises(InvalidInput, match="cursor"):
            paginate(session, select(Post), Post.id, cursor="abc", limit=3)
        with pytest.raises(InvalidInput, match="limit"):
            paginate(session, select(Post), Post.id, cursor=None, limit=0)


@pytest.mark.parametrize("cursor", ["¹", "²3", "٣", "-1", " 1"])
def test_a_cursor_of_non_ascii_digits_is_refused_not_a_crash(
    database: Database, cursor: str
) -> None:
    """``str.isdigit`` accepts '¹' and '٣', which ``int`` refuses (a 500 schemathesis found)."""
    with database.session() as session, pytest.raises(InvalidInput, match="cursor"):
        paginate(session, select(Post), Post.id, cursor=cursor, limit=3)


def test_a_cursor_above_every_id_is_the_first_page_or_the_end(database: Database) -> None:
    """The document allows 19 digits, more than any id (schemathesis sent one and got a 422):
    newest first it reads as the first page, oldest first as the end, with no overflow on either
    database; 20 digits are refused."""
    with database.session() as session:
        author = make_account(session)
        ids = [make_post(session, author, f"post {i}").id for i in range(3)]
        above = "9" * 19
        newest = paginate(session, select(Post), Post.id, cursor=above, limit=5)
        assert [p.id for p in newest.items] == sorted(ids, reverse=True)
        oldest = paginate(session, select(Post), Post.id, cursor=above, limit=5, newest_first=False)
        assert oldest.items == []
        with pytest.raises(InvalidInput, match="cursor"):
            paginate(session, select(Post), Post.id, cursor="1" * 20, limit=3)
