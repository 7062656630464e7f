from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from townsquare.feed.items import KIND_IDS
from townsquare.feed.serving.candidates import CatalogColumns, Suggestion, Viewer
from townsquare.feed.serving.config import FeedConfig
from townsquare.feed.serving.ranking import (
    HEURISTIC_REASON,
    Candidate,
    diversify,
    heuristic_scores,
    reasons,
    weighted_scores,
)
from townsquare.feed.vocabulary import OBJECTIVE_NAMES

NOW = datetime(2026, 1, 10, tzinfo=UTC)
TEXT, VIDEO, ACCOUNT = KIND_IDS["text"], KIND_IDS["short_video"], KIND_IDS["account"]


def _columns(rows: list[tuple[int, int, int]]) -> CatalogColumns:
    """Rows of (kind, owner account, post id); row 0 is padding."""
    kinds, owners, posts = zip(*[(0, 0, 0), *rows], strict=True)
    created = np.full(len(kinds), int(NOW.timestamp()) - 3600)
    return CatalogColumns(
        kinds=np.array(kinds),
        created=created,
        owners=np.array(owners),
        post_ids=np.array(posts),
        audiences=np.zeros(len(kinds), dtype=np.int64),
    )


def _viewer(**fields: object) -> Viewer:
    values: dict[str, object] = {
        "account_id": 1,
        "following": frozenset(),
        "seen_posts": frozenset(),
        "hidden_posts": frozenset(),
        "blocked_accounts": frozenset(),
        "served": frozenset(),
    }
    return Viewer(**(values | fields))  # type: ignore[arg-type]


def test_an_account_is_scored_by_the_heads_that_mean_something_for_it() -> None:
    probabilities = np.full((2, len(OBJECTIVE_NAMES)), 0.5)
    weights = [1.0] * len(OBJECTIVE_NAMES)
    weights[OBJECTIVE_NAMES.index("hide_or_report")] = -2.0
    scores = weighted_scores(probabilities, weights, np.array([TEXT, ACCOUNT]))
    assert scores[0] == pytest.approx(0.5 * (len(OBJECTIVE_NAMES) - 1) - 1.0)
    assert scores[1] == pytest.approx(0.5 - 1.0)  # follow_author and hide_or_report only


def test_diversity_spreads_authors_kinds_and_account_suggestions() -> None:
    # Rows 1-3: one author's posts, best scores; 4: another author; 5-7: accounts.
    columns = _columns(
        [
            *[(TEXT, 10, 1), (TEXT, 10, 2), (TEXT, 10, 3), (VIDEO, 11, 4)],
            *[(ACCOUNT, 20, 0), (ACCOUNT, 21, 0), (ACCOUNT, 22, 0)],
        ]
    )
    candidates = [Candidate(row) for row in range(1, 8)]
    scores = np.array([3.0, 2.9, 2.8, 2.0, 2.95, 2.94, 2.93])
    config = FeedConfig(author_penalty=1.5, kind_penalty=0.0, accounts_per_page=2)
    config = config.model_copy(update={"account_spacing": 2})
    order = [candidates[i].row for i in diversify(candidates, scores, columns, config, 7)]
    assert order[:2] == [1, 5]  # the second post of author 10 pays 1.5: the account is better
    assert order.index(6) - order.index(5) > 2  # accounts stay `account_spacing` apart
    assert 7 not in order  # at most two accounts
    assert order.index(4) < order.index(2)  # another author before author 10's second post
    assert len(order) == 6


def test_the_heuristic_prefers_fresh_followed_and_liked_posts() -> None:
    columns = _columns([(TEXT, 10, 1), (TEXT, 11, 2), (TEXT, 12, 3), (ACCOUNT, 13, 0)])
    columns.created[3] -= 30 * 86_400  # a month old
    viewer = _viewer(following=frozenset({10}))
    candidates = [Candidate(1), Candidate(2), Candidate(3), Candidate(4)]
    candidates[3].suggestion = Suggestion(followed_by=("a", "b"), liked_posts=0)
    scores = heuristic_scores(candidates, columns, viewer, {2: 5}, NOW)
    assert scores[0] > scores[2] and scores[1] > scores[2]  # followed, liked > old
    assert scores[3] == pytest.approx(1.0)


def test_reasons_say_where_an_item_came_from_and_what_is_expected() -> None:
    columns = _columns([(TEXT, 10, 1), (ACCOUNT, 13, 0)])
    viewer = _viewer(following=frozenset({10}))
    handles = {10: "maya", 11: "tom", 13: "june"}
    weights = [1.0] * len(OBJECTIVE_NAMES)
    post = Candidate(1, {"following", "retrieval", "fresh"}, similar_to=11)
    predictions = dict.fromkeys(OBJECTIVE_NAMES, 0.1) | {"like": 0.42}
    lines = reasons(post, columns, handles, viewer, predictions, weights, NOW)
    assert lines == [
        "From @maya, whom you follow",
        "Similar to what you engaged with from @tom",
        "New: posted 1 hour ago",
        "42% chance you like it",
    ]
    account = Candidate(2, {"suggested"}, Suggestion(("a", "b", "c"), 2))
    lines = reasons(
        account,
        columns,
        handles,
        viewer,
        {"follow_author": 0.3, "hide_or_report": 0.01},
        weights,
        NOW,
    )
    assert lines == [
        "Followed by @a, @b and 1 more",
        "You liked 2 of @june's posts",
        "30% chance you follow @june",
    ]
    assert reasons(account, columns, handles, viewer, {}, weights, NOW)[-1] == HEURISTIC_REASON
    popular = Candidate(2, {"suggested"}, Suggestion((), 0, followers=5))
    assert reasons(popular, columns, handles, viewer, {}, weights, NOW) == [
        "Followed by 5 members of the community",
        HEURISTIC_REASON,
    ]
