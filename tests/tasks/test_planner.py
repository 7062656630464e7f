"""The tree search: it prunes what the model judges infeasible, backtracks from dead ends,
stays within its budget, and records every node."""

from __future__ import annotations

import json

import pytest

from townsquare.ai.chat import ChatRequest
from townsquare.ai.fake import FakeChatModel
from townsquare.errors import InvalidInput
from townsquare.tasks.constraints import check_constraints, violations
from townsquare.tasks.planner import (
    PLAN_TEXT_MAX,
    PlanProblem,
    SearchBudget,
    single_pass,
    tree_search,
)

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
    reply = {
        "plan": [
            {"name": "choose", "args": {"option": "A"}},
            {"name": "finish", "args": {"summary": "ok"}},
        ]
    }
    result = single_pass(FakeChatModel([json.dumps(reply)]), PROBLEM, SearchBudget())
    assert result.model_calls == 1
    assert [n.status for n in result.nodes] == ["chosen", "chosen"]
    assert result.actions[0]["args"] == {"option": "A"}


def test_code_prunes_what_breaks_a_constraint_without_asking_the_model() -> None:
    venues = [{"name": "A", "price_eur": 900}, {"name": "B", "price_eur": 400}]
    problem = PlanProblem(
        "a venue", ("choose", "finish"), venues, constraints={"price_eur": {"max": 500}}
    )
    replies = [
        json.dumps({"candidates": [{"name": "choose", "args": {"option": o}} for o in "AB"]}),
        json.dumps({"score": 0.7, "reason": "cheap"}),  # B only: feasibility settled in code
        json.dumps({"candidates": [{"name": "choose", "args": {"option": "A"}},
                                   {"name": "finish", "args": {"summary": "B it is"}}]}),
        json.dumps({"score": 0.9, "reason": "done"}),
    ]  # fmt: skip
    model = FakeChatModel(replies)
    result = tree_search(model, problem, SearchBudget(model_calls=10))
    by_key = {n.key: n for n in result.nodes}
    assert by_key["0"].reason == "A breaks a constraint: price_eur 900 is over 500"
    assert by_key["1.0"].reason == "the plan already chose B"
    assert by_key["1.1"].reason == "keeps to the constraints (checked in code); done"
    assert result.actions[0] == {"name": "choose", "args": {"option": "B"}}
    assert result.model_calls == 4
    assert "feasible" not in (model.requests[1].json_schema or {})["properties"]
    # The model may only name a tool of the problem, and a listed option.
    item = (model.requests[0].json_schema or {})["properties"]["candidates"]["items"]
    choose = item["anyOf"][0]["properties"]
    assert choose["name"] == {"const": "choose"}
    assert choose["args"]["properties"]["option"] == {"enum": ["A", "B"]}


def test_constraints_are_checked_when_an_intent_is_created() -> None:
    assert check_constraints({"seats": {"min": 40, "max": 80}}) == {
        "seats": {"min": 40.0, "max": 80.0}
    }
    for bad in ({"seats": {"min": "40"}}, {"seats": {}}, [1], {"seats": {"min": True}}):
        with pytest.raises(InvalidInput):
            check_constraints(bad)
    assert violations({"seats": 30}, {"seats": {"min": 40}}) == ["seats 30 is under 40"]
    assert violations({}, {"seats": {"min": 40}}) == ["seats is unknown"]


def test_a_node_whose_children_the_budget_left_unscored_is_no_dead_end() -> None:
    model = FakeChatModel(script)
    result = tree_search(model, PROBLEM, SearchBudget(model_calls=4))
    by_key = {n.key: n for n in result.nodes}
    assert by_key["0.0"].reason == "not scored: the budget ran out"
    assert by_key["0"].status == "chosen"  # kept, and the best plan found: not pruned
    assert result.actions == [{"name": "choose", "args": {"option": "A"}}]


def test_the_token_limit_leaves_room_for_every_capped_text() -> None:
    model = FakeChatModel(script)
    problem = PlanProblem("tell them", ("send_dm", "finish"))
    tree_search(model, problem, SearchBudget(model_calls=1, branching=3))
    # send_dm: a handle and a text of at most PLAN_TEXT_MAX characters each, three candidates.
    assert model.requests[0].max_tokens >= 3 * 2 * PLAN_TEXT_MAX
