from __future__ import annotations

from townsquare.feed.items import KINDS
from townsquare.feed.vocabulary import (
    ACTIONS,
    OBJECTIVE_NAMES,
    SURFACES,
    action_bit,
    action_mask,
    action_names,
    is_engaged,
    objective_labels,
)
from townsquare.social.events import EVENT_TYPES
from townsquare.social.events import SURFACES as EVENT_SURFACES
from townsquare.social.posts import POST_KINDS


def test_the_vocabularies_cover_the_platform() -> None:
    assert set(EVENT_TYPES) <= set(ACTIONS)
    assert set(EVENT_SURFACES) <= set(SURFACES)
    assert set(POST_KINDS) | {"account"} <= set(KINDS)
    assert SURFACES[0] == "unknown" and KINDS[0] == "unknown" and ACTIONS[0] == "pad"


def test_masks_round_trip_and_label_every_objective() -> None:
    mask = action_mask({"impression", "open", "like", "share"})
    assert mask == action_bit("impression") | action_bit("open") | action_bit("like") | (
        action_bit("share")
    )
    assert action_names(mask) == ("impression", "open", "like", "share")
    labels = dict(zip(OBJECTIVE_NAMES, objective_labels(mask), strict=True))
    assert labels == {
        "open": 1.0,
        "like": 1.0,
        "long_view": 0.0,
        "comment_or_share": 1.0,
        "follow_author": 0.0,
        "hide_or_report": 0.0,
    }


def test_engaged_means_acted_on_and_not_pushed_away() -> None:
    assert is_engaged(action_mask({"impression", "open"}))
    assert is_engaged(action_bit("interact"))
    assert not is_engaged(action_bit("impression"))
    assert not is_engaged(action_mask({"impression", "open", "hide"}))
    assert not is_engaged(0)
