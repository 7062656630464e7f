from datetime import datetime

import pytest

from tests.utils.factories import make_account
from townsquare.db import Database
from townsquare.db.models import Account


def test_timestamps_come_back_timezone_aware(database: Database) -> None:
    with database.session() as session:
        account_id = make_account(session).id
    with database.session() as session:
        account = session.get(Account, account_id)
        assert account is not None
        assert account.created_at.tzinfo is not None
        assert account.created_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_naive_datetimes_are_refused(database: Database) -> None:
    with pytest.raises(Exception, match="naive datetime"), database.session() as session:
        account = make_account(session)
        account.created_at = datetime(2026, 1, 1)
        session.flush()
