"""Budgets: how much one intent may spend, and the caps a member's intents cannot exceed, so
that no intent can run away with the model, the queue or the clock."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from townsquare.errors import InvalidInput

_MAX_MODEL_CALLS = 400
_MAX_STEPS = 500
_MAX_WALL_SECONDS = 366 * 24 * 3600.0


class Budget(BaseModel):
    """An intent's limits; each field is also the key of its counter in ``Intent.used``."""

    model_config = ConfigDict(extra="forbid")

    # ``maximum``: the member caps, which ``resolve_budget`` checks (stated for the document).
    model_calls: int = Field(
        40,
        ge=1,
        description="Chat-model calls, planning included.",
        json_schema_extra={"maximum": _MAX_MODEL_CALLS},
    )
    steps: int = Field(
        50,
        ge=1,
        description="Actions carried out, reads included.",
        json_schema_extra={"maximum": _MAX_STEPS},
    )
    wall_seconds: float = Field(
        30 * 24 * 3600.0,
        gt=0,
        description="Time from creation to the last step.",
        json_schema_extra={"maximum": _MAX_WALL_SECONDS},
    )


# The most any one intent of a member may ask for, and how many may be live at once.
MEMBER_CAPS = Budget(model_calls=_MAX_MODEL_CALLS, steps=_MAX_STEPS, wall_seconds=_MAX_WALL_SECONDS)
MAX_LIVE_INTENTS_PER_MEMBER = 20


class BudgetExceeded(Exception):
    """Raised inside the workflow; the intent stops and tells its member why."""


def resolve_budget(requested: Mapping[str, float] | None) -> Budget:
    """The requested budget, checked against the member caps (an over-cap ask is a 422)."""
    budget = Budget.model_validate(dict(requested or {}))
    for field in Budget.model_fields:
        asked, cap = getattr(budget, field), getattr(MEMBER_CAPS, field)
        if asked > cap:
            raise InvalidInput(f"budget.{field} is at most {cap:g} per intent; asked {asked:g}")
    return budget


def check(budget: Mapping[str, float], used: Mapping[str, float], *, elapsed_s: float) -> None:
    """Raises ``BudgetExceeded`` naming the first limit reached."""
    for field in ("model_calls", "steps"):
        if used.get(field, 0) > budget.get(field, 0):
            raise BudgetExceeded(f"the intent used its {field} budget ({budget[field]:g})")
    if elapsed_s > budget.get("wall_seconds", 0):
        raise BudgetExceeded(f"the intent ran past its wall_seconds budget ({elapsed_s:.0f} s)")
