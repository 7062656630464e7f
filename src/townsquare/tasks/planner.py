"""Planning by exploring a tree of options (Tree-of-Thoughts style best-first search).

The model proposes a few candidate next actions for a partial plan, then estimates how well each
longer plan would do (a score from 0 to 1, and whether it breaks a constraint). What code can
settle is settled first, for free: a proposal is asked for in JSON constrained to each tool's own
argument schema (a "choose" names one of the intent's options), and a plan that chooses an option
breaking the intent's ``constraints`` is pruned without a model call. Infeasible nodes
are pruned with the reason; the best kept node is expanded next, so when a branch dead-ends
(no feasible continuation) the search backtracks to the next-best node elsewhere in the tree. It
stops at a finished plan, or when the budget of model calls or seconds runs out, returning the best
plan found. Every node is kept, with its score, status and reason, for the member to inspect.

``single_pass`` is the baseline: one call that writes the whole plan, taken as is.
"""

from __future__ import annotations

import heapq
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from townsquare.ai.chat import ChatMessage, ChatModel, ChatRequest
from townsquare.ai.errors import StructuredOutputError
from townsquare.errors import InvalidInput
from townsquare.tasks import constraints as limits
from townsquare.tasks import intent_tools
from townsquare.tasks.intent_tools import validate_call

TERMINAL = frozenset({"finish"})


@dataclass
class Node:
    """One node of the tree: the plan so far is the path of actions from the root to here."""

    key: str  # "0", "0.1", "0.1.2": index path from the root
    parent_key: str | None
    depth: int
    action: dict[str, Any]  # {"name": ..., "args": {...}}
    score: float = 0.0
    status: str = "unexplored"  # chosen | kept | pruned | unexplored
    reason: str = ""


@dataclass(frozen=True)
class PlanProblem:
    goal: str
    tools: Sequence[str]  # action names the plan may use
    options: Sequence[dict[str, Any]] = ()  # things to choose among, with their facts
    context: str = ""  # what woke the intent, earlier answers
    constraints: limits.Constraints = field(default_factory=dict)  # checked in code


@dataclass(frozen=True)
class SearchBudget:
    model_calls: int = 16
    seconds: float = 120.0
    branching: int = 3  # candidates proposed per expansion
    max_depth: int = 3  # actions in a plan


@dataclass
class PlanResult:
    method: str  # tree | single
    actions: list[dict[str, Any]]
    nodes: list[Node]
    model_calls: int
    seconds: float


@dataclass
class _Search:
    model: ChatModel
    problem: PlanProblem
    budget: SearchBudget
    started: float = field(default_factory=time.monotonic)
    calls: int = 0

    def can_call(self) -> bool:
        return (
            self.calls < self.budget.model_calls
            and time.monotonic() - self.started < self.budget.seconds
        )

    def ask(
        self, instruction: str, schema: dict[str, Any], plan: list[dict[str, Any]], calls: int
    ) -> Any:
        """The model's JSON reply, with room for ``calls`` action calls of the longest kind the
        schema allows (a token is at least a character), so a rambling small model is cut short
        by the schema's length caps, never by ``max_tokens`` in the middle of its JSON."""
        self.calls += 1
        request = ChatRequest(
            messages=[
                ChatMessage("system", SYSTEM),
                ChatMessage("user", describe(self.problem, plan) + "\n\n" + instruction),
            ],
            max_tokens=calls * _call_tokens(self.problem) + CALL_OVERHEAD_TOKENS,
            temperature=0.0,
            json_schema=schema,
            # No seed: a seeded request is evaluated from scratch, and every request of one
            # search shares the long prefix (goal, tools, options) that a backend can reuse.
        )
        return self.model.complete_json(request)


SYSTEM = (
    "You plan how an assistant on Townsquare, a community platform, carries out a member's goal "
    "with the platform's tools. Reply with JSON only."
)


def describe(problem: PlanProblem, plan: list[dict[str, Any]]) -> str:
    tools = "\n".join(f"- {n}: {intent_tools.get(n).description}" for n in problem.tools)
    parts = [f"Goal: {problem.goal}", f"Tools:\n{tools}"]
    if problem.options:
        parts.append("Options:\n" + "\n".join(json.dumps(o) for o in problem.options))
    if problem.constraints:
        parts.append(f"Constraints on options: {limits.describe(problem.constraints)}")
    if problem.context:
        parts.append(f"Context: {problem.context}")
    done = "\n".join(f"{i + 1}. {json.dumps(a)}" for i, a in enumerate(plan)) or "(nothing yet)"
    parts.append(f"Plan so far:\n{done}")
    return "\n\n".join(parts)


PLAN_TEXT_MAX = 160  # characters in a proposed text argument: small models ramble otherwise
CALL_OVERHEAD_TOKENS = 60  # a call's JSON around its text: name, keys, an option's name


def _planning_args(name: str, problem: PlanProblem) -> dict[str, Any]:
    """A tool's argument schema as the planner asks for it: text capped in length and, for
    "choose", the option named from the intent's options."""
    args: dict[str, Any] = json.loads(json.dumps(intent_tools.get(name).parameters))  # a deep copy
    for prop in args.get("properties", {}).values():
        if prop.get("type") == "string":
            prop.setdefault("maxLength", PLAN_TEXT_MAX)
    if name == "choose" and problem.options:
        args["properties"]["option"] = {"enum": [str(o["name"]) for o in problem.options]}
    return args


def _call_tokens(problem: PlanProblem) -> int:
    """At most how many tokens one call of the problem's tools, or one score, takes."""
    longest = REASON_MAX
    for name in problem.tools:
        props = _planning_args(name, problem).get("properties", {}).values()
        capped = sum(int(p.get("maxLength", 0)) for p in props)
        named = max((len(str(v)) for p in props for v in p.get("enum", ())), default=0)
        longest = max(longest, capped + named)
    return longest + CALL_OVERHEAD_TOKENS


def _call_schema(problem: PlanProblem) -> dict[str, Any]:
    """One call of one of the problem's tools, with that tool's arguments."""
    return {
        "anyOf": [
            {
                "type": "object",
                "properties": {"name": {"const": name}, "args": _planning_args(name, problem)},
                "required": ["name", "args"],
                "additionalProperties": False,
            }
            for name in problem.tools
        ]
    }


def check(problem: PlanProblem, plan: list[dict[str, Any]], call: dict[str, Any]) -> str | None:
    """What code settles before any model call on ``call`` after ``plan``: the tool is allowed,
    its arguments fit its schema, and it chooses once, an option that exists and keeps to the
    constraints. Why not, or None."""
    if call["name"] not in problem.tools:
        return f"{call['name']} is not an allowed tool"
    try:
        validate_call(call)
    except InvalidInput as error:
        return str(error)
    if call["name"] != "choose" or not problem.options:
        return None
    name = str(call["args"]["option"])
    if earlier := [c["args"].get("option") for c in plan if c["name"] == "choose"]:
        return f"the plan already chose {earlier[0]}"
    option = next((o for o in problem.options if str(o.get("name")) == name), None)
    if option is None:
        return f"{name!r} is not one of the options"
    broken = limits.violations(option, problem.constraints)
    return f"{name} breaks a constraint: {'; '.join(broken)}" if broken else None


def _path(nodes: dict[str, Node], node: Node) -> list[Node]:
    path = [node]
    while path[-1].parent_key is not None:
        path.append(nodes[path[-1].parent_key])
    return path[::-1]


def _propose(search: _Search, plan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    k = search.budget.branching
    schema = {
        "type": "object",
        "properties": {
            "candidates": {
                "type": "array",
                "items": _call_schema(search.problem),
                "minItems": 1,
                "maxItems": k,
            }
        },
        "required": ["candidates"],
    }
    instruction = (
        f"Propose up to {k} different next actions for this plan, most promising first. Use "
        "'finish' with a summary when the plan is complete."
    )
    try:
        reply = search.ask(instruction, schema, plan, k)
    except StructuredOutputError:
        return []
    unique: list[dict[str, Any]] = []
    for cand in reply["candidates"]:
        call = {"name": cand["name"], "args": cand.get("args", {})}
        if call not in unique:
            unique.append(call)
    return unique[:k]


REASON_MAX = 80  # characters of a model's reason: enough to show, short to generate


def _evaluate_schema(ask_feasible: bool) -> dict[str, Any]:
    fields = {
        "feasible": {"type": "boolean"},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "reason": {"type": "string", "maxLength": REASON_MAX},
    }
    if not ask_feasible:
        del fields["feasible"]
    return {"type": "object", "properties": fields, "required": list(fields)}


def _settled(problem: PlanProblem, plan: list[dict[str, Any]]) -> bool:
    """Whether code already decided the plan's feasibility: it chooses an option, and every
    choice passed ``check`` against the problem's constraints."""
    return bool(problem.constraints) and any(c["name"] == "choose" for c in plan)


def _evaluate(search: _Search, plan: list[dict[str, Any]]) -> tuple[bool, float, str]:
    """Feasible, score, why. When code settled feasibility the model only scores the plan."""
    settled = _settled(search.problem, plan)
    instruction = (
        "Simulate carrying out this plan. Score from 0 to 1 how well it achieves the goal, and "
        "say why."
        if settled
        else "Simulate carrying out this plan. Is it feasible under every constraint in the "
        "goal (false if any is broken)? Score from 0 to 1 how well it achieves the goal, and "
        "say why."
    )
    try:
        reply = search.ask(instruction, _evaluate_schema(not settled), plan, 1)
    except StructuredOutputError as error:
        return False, 0.0, f"the model's estimate was unusable: {error}"[:300]
    feasible = True if settled else bool(reply["feasible"])
    reason = str(reply["reason"])[:REASON_MAX]
    if settled:
        reason = f"keeps to the constraints (checked in code); {reason}"
    return feasible, float(reply["score"]), reason


def tree_search(model: ChatModel, problem: PlanProblem, budget: SearchBudget) -> PlanResult:
    search = _Search(model, problem, budget)
    nodes: dict[str, Node] = {}
    frontier: list[tuple[float, int, str]] = []  # (-score, -depth, key): best, deepest first
    best_finished: Node | None = None

    def expand(parent: Node | None) -> int:
        """Proposes and scores children of ``parent``; returns how many were kept or left
        unscored when the budget ran out: none means a dead end."""
        plan = [n.action for n in _path(nodes, parent)] if parent else []
        kept = 0
        for i, call in enumerate(_propose(search, plan)):
            key = f"{parent.key}.{i}" if parent else str(i)
            node = Node(key, parent.key if parent else None, len(plan) + 1, call)
            nodes[key] = node
            if reason := check(problem, plan, call):
                node.status, node.reason = "pruned", reason
                continue
            if not search.can_call():
                node.reason = "not scored: the budget ran out"
                kept += 1  # not known to fail: its parent is no dead end
                continue
            feasible, node.score, node.reason = _evaluate(search, [*plan, call])
            if not feasible:
                node.status = "pruned"
                continue
            node.status = "kept"
            kept += 1
            heapq.heappush(frontier, (-node.score, -node.depth, key))
        return kept

    if search.can_call():
        expand(None)
    while frontier and search.can_call():
        _, _, key = heapq.heappop(frontier)
        node = nodes[key]
        if node.action["name"] in TERMINAL or node.depth >= budget.max_depth:
            best_finished = node
            break
        if expand(node) == 0:
            node.status = "pruned"
            node.reason = f"dead end: no feasible next step (backtracked). {node.reason}"[:500]
    if best_finished is None:
        kept = [n for n in nodes.values() if n.status == "kept"]
        # Out of budget: the best-scored deepest plan found so far.
        best_finished = max(kept, key=lambda n: (n.score, n.depth), default=None)
    actions: list[dict[str, Any]] = []
    if best_finished is not None:
        for n in _path(nodes, best_finished):
            n.status = "chosen"
            actions.append(n.action)
    return PlanResult(
        "tree", actions, list(nodes.values()), search.calls, time.monotonic() - search.started
    )


def single_pass(model: ChatModel, problem: PlanProblem, budget: SearchBudget) -> PlanResult:
    """The baseline: the model writes the whole plan in one call, unscored and unchecked."""
    search = _Search(model, problem, budget)
    schema = {
        "type": "object",
        "properties": {
            "plan": {
                "type": "array",
                "items": _call_schema(problem),
                "minItems": 1,
                "maxItems": budget.max_depth,
            }
        },
        "required": ["plan"],
    }
    instruction = "Write the whole plan, ending with 'finish' and a summary."
    try:
        reply = search.ask(instruction, schema, [], budget.max_depth)
        calls = [{"name": c["name"], "args": c.get("args", {})} for c in reply["plan"]]
    except StructuredOutputError:
        calls = []
    nodes: list[Node] = []
    for depth, call in enumerate(calls, start=1):
        key = ".".join(["0"] * depth)
        parent = ".".join(["0"] * (depth - 1)) or None
        nodes.append(Node(key, parent, depth, call, 0.0, "chosen", "single pass: not scored"))
    return PlanResult("single", calls, nodes, search.calls, time.monotonic() - search.started)
