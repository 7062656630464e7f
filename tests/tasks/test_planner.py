"""The tree search: it prunes what the model judges infeasible, backtracks from dead ends,
stays within its budget, and records every node."""

from __future__ import annotations

import json

from townsquare.ai.chat import ChatRequest
from townsquare.ai.fake import FakeChatModel
from townsquare.tasks.planner import PlanProblem, SearchBudget, single_pass, tree_search

PROBLEM = PlanProblem("pick a venue", ("choose", "finish"), [{"name": "A"}, {"name": "B"}])


def script(request: ChatRequest) -> str:
    """A proposes well but dead-ends (every continuation breaks a constraint); B works."""
    plan = request.messages[-1].content.split("Plan so far:", 1)[1]
    if "candidates" in (request.json_schema or {}).get("properties", {}):
        if "(nothing yet)" in plan:
            calls = [{"name": "choose", "args": {"option": o}} for o in ("A", "B")]
        else:
            calls = [{"name": "finish", "args": {"summary": "done"}}]
        return json.dumps({"candidates": calls})
    if '"A"' in plan:
        ok = "finish" not in plan  # A looks best alone, but no plan through A can finish
        return json.dumps({"feasible": ok, "score": 0.9, "reason": "A breaks the date"})
    return json.dumps({"feasible": True, "score": 0.6, "reason": "B fits"})


def test_tree_search_backtracks_from_a_dead_end() -> None:
    result = tree_search(FakeChatModel(script), PROBLEM, SearchBudget(model_calls=20))
    assert result.actions == [
        {"name": "choose", "args": {"option": "B"}},
        {"name": "finish", "args": {"summary": "done"}},
    ]
    by_key = {n.key: n for n in result.nodes}
    assert by_key["0"].status == "pruned"
    assert by_key["0"].reason.startswith("dead end: no feasible next step (backtracked)")
    assert by_key["0.0"].status == "pruned" and by_key["0.0"].reason == "A breaks the date"
    assert [by_key[k].status for k in ("1", "1.0")] == ["chosen", "chosen"]
    assert result.model_calls == 7  # 1 propose + 2 scores, twice deeper through A then B


def test_tree_search_stays_within_its_budget() -> None:
    model = FakeChatModel(script)
    result = tree_search(model, PROBLEM, SearchBudget(model_calls=3))
    assert result.model_calls == 3 and len(model.requests) == 3
    # Out of budget before finishing: the best-scored plan found so far.
    assert result.actions == [{"name": "choose", "args": {"option": "A"}}]


def test_single_pass_takes_the_models_plan_unchecked() -> None:
    reply = {"plan": [{"name": "choose", "args": {"option": "A"}}, {"name": "finish", "args": {}}]}
    result = single_pass(FakeChatModel([json.dumps(reply)]), PROBLEM, SearchBudget())
    assert result.model_calls == 1
    assert [n.status for n in result.nodes] == ["chosen", "chosen"]
    assert result.actions[0]["args"] == {"option": "A"}
