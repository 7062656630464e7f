"""The learned choice's training and validation on made-up candidates: what is chosen, what
counts as right, and a threshold fitted on the training rows only."""

from __future__ import annotations

import numpy as np
from bench.answer_selection import Choice, Row, chosen, figures, fit, outcome

from townsquare.studio.conversation.selection import FEATURES, Selector


def choice(good: list[float], right: list[bool], **kw: object) -> Choice:
    """Candidates whose first feature is ``good`` (the rest noise-free zeros)."""
    x = np.zeros((len(good), len(FEATURES)))
    x[:, 0] = good
    options = {"dates": [[] for _ in good], "on": "2026-05-20", "wants_next": False, "rules": None}
    return Choice(x, np.array(right), **(options | kw))  # type: ignore[arg-type]


def first_feature(threshold: float) -> Selector:
    weights = np.zeros(len(FEATURES))
    weights[0] = 4.0
    ones = np.ones(len(FEATURES))
    return Selector(weights, -2.0, np.zeros(len(FEATURES)), ones, threshold, 0.0)


def test_the_most_probable_candidate_is_chosen_unless_under_the_threshold() -> None:
    c = choice([0.2, 0.9, 0.6], [False, True, False])
    p = first_feature(0.5).probabilities(c.x)
    assert chosen(c, p, 0.5, 0.0) == 1
    assert chosen(c, p, 0.9, 0.0) is None  # sigmoid(4 * 0.9 - 2) = 0.83


def test_the_next_date_is_the_first_to_come_among_the_kept() -> None:
    dates = [["2026-05-01"], ["2026-07-01"], ["2026-06-01"]]
    c = choice([0.9, 0.8, 0.7], [False, False, True], dates=dates, wants_next=True)
    assert chosen(c, first_feature(0.5).probabilities(c.x), 0.5, 0.0) == 2
    past = choice([0.9], [False], dates=[["2026-05-01"]], wants_next=True)
    assert chosen(past, first_feature(0.5).probabilities(past.x), 0.5, 0.0) is None


def test_outcomes_of_rules_learned_and_questions_the_choice_never_saw() -> None:
    answerable = Row("a", "q1", "one_source", False, choice([0.9, 0.1], [True, False], rules=False))
    unanswerable = Row("a", "q2", "unanswerable", False, choice([0.1], [False], rules=None))
    computed = Row("a", "q3", "computed", True, None)
    selector = first_feature(0.5)
    assert [outcome(r, None) for r in (answerable, unanswerable, computed)] == [False, True, True]
    assert [outcome(r, selector) for r in (answerable, unanswerable, computed)] == [
        True,
        True,
        True,
    ]
    assert figures([answerable, unanswerable, computed], selector) == {
        "one_source": 1.0,
        "right": 1.0,
        "unanswerable": 1.0,
        "computed": 1.0,
        "n": 3.0,
    }


def test_fit_learns_the_telling_feature_and_a_threshold_that_refuses_near_misses() -> None:
    rows = [
        Row("a", f"r{i}", "one_source", False, choice([0.9, 0.3, 0.2], [True, False, False]))
        for i in range(10)
    ] + [
        Row("a", f"u{i}", "unanswerable", False, choice([0.3, 0.2], [False, False]))
        for i in range(10)
    ]
    selector = fit(rows)
    assert selector.weights[0] > 0
    assert figures(rows, selector)["right"] == 1.0
    assert figures(rows, selector)["unanswerable"] == 1.0
