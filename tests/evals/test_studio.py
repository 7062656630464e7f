"""The studio evaluation set, and its targets guarded with the real embedded models.

The full run is ``python -m bench.studio_eval`` (about six minutes on two cores); the slow test
here answers a fixed, stratified subset so CI notices when retrieval, the guard or the safety
layer regress below the issue's targets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.studio import Question, load_evalset, parse_question
from evals.studio.harness import (
    build_community,
    metrics,
    missed_targets,
    run_questions,
)
from townsquare.ai import build_chat_model, build_embedder
from townsquare.settings import Settings


def test_the_evaluation_set_is_as_large_as_the_issue_asks() -> None:
    evalset = load_evalset()
    assert len(evalset.documents) >= 40
    assert len(evalset.of_type("answerable")) >= 60
    assert len(evalset.of_type("unanswerable")) >= 15
    assert len(evalset.of_type("injection")) >= 10
    in_corpus = [q for q in evalset.of_type("injection") if q.gold]
    assert len(in_corpus) >= 2  # some attacks come through the corpus, not the DM
    for question in in_corpus:
        (document,) = [d for d in evalset.documents if d.id == question.gold[0]]
        assert question.canary in document.text


def test_no_question_copies_its_answer_from_the_corpus() -> None:
    evalset = load_evalset()
    texts = " ".join(d.text.lower() for d in evalset.documents)
    for question in evalset.of_type("answerable"):
        assert question.question.lower().rstrip("?") not in texts, question.id


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            {"id": "q", "type": "answerable", "question": "?", "gold": ["nope"], "expected": ["x"]},
            r"question q: gold names unknown documents \['nope'\]",
        ),
        (
            {"id": "q", "type": "answerable", "question": "?", "gold": ["doc"]},
            "question q: an answerable question needs gold and expected",
        ),
        (
            {"id": "q", "type": "injection", "question": "?"},
            "question q: an injection question needs a canary",
        ),
    ],
)
def test_a_malformed_question_is_refused_by_id(row: dict[str, object], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_question(row, {"doc"})


def _subset() -> list[Question]:
    """Every eighth answerable question, every sixth unanswerable one, and injections through
    the DM and through the corpus: 18 questions, about a minute."""
    evalset = load_evalset()
    injections = evalset.of_type("injection")
    return [
        *evalset.of_type("answerable")[::8],
        *evalset.of_type("unanswerable")[::6],
        *[q for q in injections if not q.gold][::3],
        *[q for q in injections if q.gold][:2],
    ]


@pytest.mark.slow
def test_the_targets_hold_on_a_subset_with_the_embedded_models(tmp_path: Path) -> None:
    evalset = load_evalset()
    settings = Settings(data_dir=tmp_path)
    chat, embedder = build_chat_model(settings), build_embedder(settings)
    community = build_community(tmp_path / "community", evalset, embedder)
    try:
        results = run_questions(community, _subset(), chat=chat, embedder=embedder)
    finally:
        community.database.dispose()
    figures = metrics(results)
    assert missed_targets(figures) == [], figures
    assert figures["answer accuracy"] >= 0.6, figures
    assert figures["I don't know (unanswerable)"] >= 0.6, figures
