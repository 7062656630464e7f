from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.utils.factories import make_account
from townsquare.db import Database
from townsquare.db.models import Account
from townsquare.feed.serving.candidates import _among

pytestmark = pytest.mark.postgres


def test_an_id_list_longer_than_the_drivers_bind_parameter_limit_is_answered(
    database: Database,
) -> None:
    """A community of 100,000 accounts asked for the followers of each (PostgreSQL binds at most
    65,535 parameters, SQLite 32,766): the feed answered 503 before."""
    with database.session() as session:
        member = make_account(session, "member")
        ids = [member.id, *range(10**6, 10**6 + 70_000)]
        found = session.scalar(select(func.count()).where(_among(Account.id, ids)))
        assert found == 1
        assert session.scalar(select(func.count()).where(_among(Account.id, []))) == 0
