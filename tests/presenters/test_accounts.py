from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.utils.factories import make_account
from townsquare.db import Database
from townsquare.presenters.accounts import ProfileUpdate, profile_public
from townsquare.social import graph


def test_a_profile_update_hands_on_only_the_fields_sent() -> None:
    assert ProfileUpdate.model_validate({"bio": "Potter."}).changes() == {"bio": "Potter."}
    website = ProfileUpdate.model_validate({"website": "https://ada.example"}).changes()
    assert website == {"website": "https://ada.example/"}
    assert ProfileUpdate.model_validate({"website": None}).changes() == {"website": ""}


def test_a_profile_update_refuses_a_bad_website() -> None:
    with pytest.raises(ValidationError, match="website"):
        ProfileUpdate.model_validate({"website": "not a url"})


def test_a_profile_counts_followers_and_links_the_avatar(database: Database) -> None:
    with database.session() as session:
        ada, bob = make_account(session, bio="Potter."), make_account(session)
        graph.follow(session, bob, ada)
        shown = profile_public(session, ada)
        assert (shown.handle, shown.bio, shown.followers, shown.following) == (
            ada.handle,
            "Potter.",
            1,
            0,
        )
        assert shown.avatar_url is None
