"""The action vocabulary the feed model embeds, and the objectives its ranking heads predict.

One event of a history is one encounter of a member with an item: on the platform an impression
that may go on to an open, a long view, a like, a comment, a share, a follow of the author, or a
hide. So an event carries a *set* of actions, stored as a bitmask (bit `a` = `ACTIONS[a]`), and
the model embeds it as the sum of its actions' vectors, as generative-recommenders does.
Benchmark files know one action ("interact"); MovieLens adds "like" for a high rating.
"""

from __future__ import annotations

from collections.abc import Iterable

ACTIONS = (
    "pad",  # never set: an all-zero mask is a padding event
    "interact",  # a benchmark event: the member chose the item
    "candidate",  # an item the model is asked about; its actions are what it must predict
    "impression",
    "open",
    "dwell",  # a long view: stayed at least `PlatformOptions.long_view_ms`
    "like",
    "comment",
    "share",
    "follow",
    "hide",
    "report",
)
ACTION_IDS = {name: index for index, name in enumerate(ACTIONS)}

# Where an event happened; index 0 means unknown (benchmark files). Mirrors
# `townsquare.social.events.SURFACES` (a test checks); fixed here so a checkpoint's table size
# never changes when the platform adds a surface (a new one reads as unknown until retrained).
SURFACES = (
    "unknown",
    "feed",
    "profile",
    "post",
    "search",
    "messages",
    "notifications",
    "studio",
    "api",
)
SURFACE_IDS = {name: index for index, name in enumerate(SURFACES)}

# One ranking head per objective, in this order; each is a set of actions that count as a positive.
OBJECTIVES: dict[str, frozenset[str]] = {
    "open": frozenset({"open", "dwell", "like", "comment", "share"}),
    "like": frozenset({"like"}),
    "long_view": frozenset({"dwell"}),
    "comment_or_share": frozenset({"comment", "share"}),
    "follow_author": frozenset({"follow"}),
    "hide_or_report": frozenset({"hide", "report"}),
}
OBJECTIVE_NAMES = tuple(OBJECTIVES)


def action_bit(name: str) -> int:
    """The bit of one action; raises KeyError on an unknown name."""
    return 1 << ACTION_IDS[name]


def action_mask(names: Iterable[str]) -> int:
    """The bitmask of a set of actions."""
    mask = 0
    for name in names:
        mask |= action_bit(name)
    return mask


def action_names(mask: int) -> tuple[str, ...]:
    """The actions set in a bitmask, in vocabulary order."""
    return tuple(name for index, name in enumerate(ACTIONS) if mask >> index & 1)


INTERACT = action_bit("interact")
CANDIDATE = action_bit("candidate")
OBJECTIVE_MASKS = tuple(action_mask(positives) for positives in OBJECTIVES.values())
# An event worth retrieving again: the member engaged, and did not push the item away.
ENGAGED = action_mask({"interact", "open", "dwell", "like", "comment", "share", "follow"})
REJECTED = action_mask({"hide", "report"})


def objective_labels(mask: int) -> tuple[float, ...]:
    """Multi-hot labels, one per objective, for an event with this action bitmask."""
    return tuple(1.0 if mask & positives else 0.0 for positives in OBJECTIVE_MASKS)


def is_engaged(mask: int) -> bool:
    """Whether an event is a retrieval target: engaged with and neither hidden nor reported."""
    return bool(mask & ENGAGED) and not mask & REJECTED
