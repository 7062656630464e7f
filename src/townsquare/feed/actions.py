"""The action vocabulary the feed model embeds, and the objectives its ranking heads predict.

Benchmark files know one action ("interact"); the platform's event log knows the nine event types of
`townsquare.social.events`. Both share one table so a model trained on one reads the other.
"""

from __future__ import annotations

PAD = 0
INTERACT = 1
# A candidate token: an item the model is asked about, whose action is what it must predict.
CANDIDATE = 2
ACTIONS = (
    "pad",
    "interact",
    "candidate",
    "impression",
    "open",
    "dwell",
    "like",
    "comment",
    "share",
    "follow",
    "hide",
    "report",
)
ACTION_IDS = {name: index for index, name in enumerate(ACTIONS)}

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


def action_id(name: str) -> int:
    """The embedding row for an action name; raises KeyError on an unknown name."""
    return ACTION_IDS[name]


def objective_labels(action: int) -> tuple[float, ...]:
    """Multi-hot labels, one per objective, for an event of the given action id."""
    name = ACTIONS[action]
    return tuple(1.0 if name in positives else 0.0 for positives in OBJECTIVES.values())
