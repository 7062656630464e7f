"""From scored candidates to a page: the final score, diversity, and "why you are seeing this".

With a model, a candidate's score is the surface's weighted sum of the heads' probabilities
(`SurfaceConfig.head_weights`); for an account to follow only the heads that mean something for
an account count (following it, hiding it). Without a model (a fresh install, or one that cannot
serve) the score is a plain heuristic, and every item says so. Either way the page is then
filled greedily: each pick is the best score after a penalty for authors already on the page and
for kinds among the last three picks, with at most `accounts_per_page` account suggestions,
`account_spacing` items apart.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from townsquare.feed.items import KIND_IDS
from townsquare.feed.serving.candidates import CatalogColumns, Suggestion, Viewer
from townsquare.feed.serving.config import FeedConfig
from townsquare.feed.vocabulary import OBJECTIVE_NAMES

FloatArray = npt.NDArray[np.float64]
HEURISTIC_REASON = (
    "The feed model is not trained yet: ranked by freshness, likes and whom you follow"
)
_ACCOUNT = KIND_IDS["account"]
# What each head predicts, as a member would say it; the follow head names the author.
_PHRASES = {
    "open": "open it",
    "like": "like it",
    "long_view": "read or watch it through",
    "comment_or_share": "comment on it or share it",
    "hide_or_report": "hide it",
}


@dataclass
class Candidate:
    """A catalog row up for ranking, and where it came from."""

    row: int
    # retrieval|following|fresh|popular|suggested|digest
    sources: set[str] = field(default_factory=set)
    suggestion: Suggestion | None = None  # for accounts to follow
    similar_to: int = 0  # account whose item in the history retrieval found this one most like
    digest_of: int = 0  # for the member's digest: how many posts it summarises


@dataclass(frozen=True)
class Ranked:
    row: int
    score: float
    predictions: dict[str, float]  # head -> probability; empty under the heuristic


ACCOUNT_HEADS = ("follow_author", "hide_or_report")
_ACCOUNT_MASK = np.array([name in ACCOUNT_HEADS for name in OBJECTIVE_NAMES])


def head_mask(kinds: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """(C, H) which heads count for candidates of these kinds (C,)."""
    is_account = (kinds == _ACCOUNT)[:, None]  # (C, 1)
    return np.where(is_account, _ACCOUNT_MASK[None, :], True)


def weighted_scores(
    probabilities: FloatArray, weights: Sequence[float], kinds: npt.NDArray[np.int64]
) -> FloatArray:
    """(C,) final scores from (C, H) head probabilities, one weight per head, and the
    candidates' kinds (C,)."""
    counted = probabilities * head_mask(kinds)  # (C, H)
    return counted @ np.asarray(weights, dtype=np.float64)


def heuristic_scores(
    candidates: Sequence[Candidate],
    columns: CatalogColumns,
    viewer: Viewer,
    likes: Mapping[int, int],
    now: datetime,
) -> FloatArray:
    """(C,) a ranking without a model: fresher, more liked and followed first; an account to
    follow scores by how many of the member's follows follow it."""
    scores = np.zeros(len(candidates))
    for index, candidate in enumerate(candidates):
        row = candidate.row
        if columns.kinds[row] == _ACCOUNT:
            suggestion = candidate.suggestion or Suggestion((), 0)
            mutual = len(suggestion.followed_by) + suggestion.liked_posts
            scores[index] = 0.5 + 0.25 * min(mutual, 4) + 0.1 * math.log1p(suggestion.followers)
            continue
        age_days = max(0.0, now.timestamp() - float(columns.created[row])) / 86_400
        followed = 1.0 if int(columns.owners[row]) in viewer.following else 0.0
        scores[index] = (
            math.exp(-age_days / 3)
            + 0.6 * followed
            + 0.4 * math.log1p(likes.get(int(columns.post_ids[row]), 0))
        )
    return scores


def diversify(
    candidates: Sequence[Candidate],
    scores: FloatArray,
    columns: CatalogColumns,
    config: FeedConfig,
    limit: int,
) -> list[int]:
    """Indices into `candidates` for one page, in order (see the module docstring)."""
    remaining = list(range(len(candidates)))
    picked: list[int] = []
    authors: Counter[int] = Counter()
    recent_kinds: list[int] = []
    accounts = 0
    while remaining and len(picked) < limit:
        best, best_value = -1, -math.inf
        for index in remaining:
            row = candidates[index].row
            kind = int(columns.kinds[row])
            if kind == _ACCOUNT and (
                accounts >= config.accounts_per_page
                or (config.account_spacing and _ACCOUNT in recent_kinds[-config.account_spacing :])
            ):
                continue
            value = (
                scores[index]
                - config.author_penalty * authors[int(columns.owners[row])]
                - config.kind_penalty * recent_kinds[-3:].count(kind)
            )
            if value > best_value:
                best, best_value = index, value
        if best < 0:
            break
        remaining.remove(best)
        picked.append(best)
        row = candidates[best].row
        authors[int(columns.owners[row])] += 1
        recent_kinds.append(int(columns.kinds[row]))
        accounts += int(columns.kinds[row] == _ACCOUNT)
    return picked


def _age(seconds: float) -> str:
    hours = seconds / 3600
    if hours < 1:
        return "less than an hour ago"
    if hours < 48:
        return f"{int(hours)} hour{'s' if int(hours) != 1 else ''} ago"
    return f"{int(hours // 24)} days ago"


def reasons(
    candidate: Candidate,
    columns: CatalogColumns,
    handles: Mapping[int, str],
    viewer: Viewer,
    predictions: Mapping[str, float],
    weights: Sequence[float],
    now: datetime,
) -> list[str]:
    """Short, concrete lines: where the item came from, and what the model expects."""
    row = candidate.row
    owner = int(columns.owners[row])
    handle = f"@{handles.get(owner, owner)}"
    lines = []
    if columns.kinds[row] == _ACCOUNT:
        suggestion = candidate.suggestion
        if suggestion and suggestion.followed_by:
            names = ", ".join(f"@{h}" for h in suggestion.followed_by[:2])
            more = len(suggestion.followed_by) - 2
            lines.append(f"Followed by {names}{f' and {more} more' if more > 0 else ''}")
        if suggestion and suggestion.liked_posts:
            count = suggestion.liked_posts
            lines.append(f"You liked {count} of {handle}'s post{'s' if count > 1 else ''}")
        if suggestion and not lines and suggestion.followers:
            count = suggestion.followers
            lines.append(f"Followed by {count} member{'s' if count > 1 else ''} of the community")
        if "retrieval" in candidate.sources:
            lines.append("Similar to accounts you engage with")
    elif "digest" in candidate.sources:
        count = candidate.digest_of
        lines.append(
            f"Your daily digest of {count} post{'s' if count != 1 else ''}, written by an AI"
        )
    else:
        if owner in viewer.following:
            lines.append(f"From {handle}, whom you follow")
        if "retrieval" in candidate.sources and candidate.similar_to in handles:
            similar = handles[candidate.similar_to]
            lines.append(f"Similar to what you engaged with from @{similar}")
        elif "retrieval" in candidate.sources:
            lines.append("Picked for you from the whole community")
        if "popular" in candidate.sources:
            lines.append("Popular in the community")
        if "fresh" in candidate.sources:
            lines.append(f"New: posted {_age(now.timestamp() - float(columns.created[row]))}")
    if predictions:
        contributions = [
            (weights[h] * predictions[name], name)
            for h, name in enumerate(OBJECTIVE_NAMES)
            if name in predictions
        ]
        _, head = max(contributions)
        phrase = f"follow {handle}" if head == "follow_author" else _PHRASES[head]
        lines.append(f"{round(100 * predictions[head])}% chance you {phrase}")
    else:
        lines.append(HEURISTIC_REASON)
    return lines
