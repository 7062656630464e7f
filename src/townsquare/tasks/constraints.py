"""Limits on an intent's options, checked in code: ``{"price_eur": {"max": 500}}`` reads "an
option's price_eur is at most 500".

A goal's words ("under 500 euros") are for the model; these are for the planner, which prunes a
plan that chooses an option breaking one without spending a model call on it, and for the
question that lists the options that fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from townsquare.errors import InvalidInput

Constraints = Mapping[str, Mapping[str, float]]  # fact -> {"min": ..., "max": ...}
BOUNDS = ("min", "max")
MAX_CONSTRAINTS = 20


def check_constraints(raw: Any) -> dict[str, dict[str, float]]:
    """The constraints, cleaned, or InvalidInput that says what is wrong."""
    if not isinstance(raw, dict) or len(raw) > MAX_CONSTRAINTS:
        raise InvalidInput(
            f"constraints must be an object of at most {MAX_CONSTRAINTS} facts, e.g. "
            '{"price_eur": {"max": 500}}'
        )
    clean: dict[str, dict[str, float]] = {}
    for fact, bounds in raw.items():
        if not isinstance(bounds, dict) or not bounds or set(bounds) - set(BOUNDS):
            raise InvalidInput(f"constraint {fact!r} needs 'min', 'max' or both")
        values = list(bounds.values())
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            raise InvalidInput(f"constraint {fact!r}: 'min' and 'max' must be numbers")
        clean[str(fact)] = {k: float(v) for k, v in bounds.items()}
    return clean


def violations(option: Mapping[str, Any], constraints: Constraints) -> list[str]:
    """Why ``option`` breaks the constraints, one reason each; empty when it fits."""
    broken: list[str] = []
    for fact, bounds in constraints.items():
        value = option.get(fact)
        if not isinstance(value, int | float) or isinstance(value, bool):
            broken.append(f"{fact} is unknown")
            continue
        if "max" in bounds and value > bounds["max"]:
            broken.append(f"{fact} {value:g} is over {bounds['max']:g}")
        if "min" in bounds and value < bounds["min"]:
            broken.append(f"{fact} {value:g} is under {bounds['min']:g}")
    return broken


def describe(constraints: Constraints) -> str:
    """``price_eur at most 500; capacity at least 40``."""
    words = {"max": "at most", "min": "at least"}
    return "; ".join(
        f"{fact} {words[bound]} {value:g}"
        for fact, bounds in constraints.items()
        for bound, value in bounds.items()
    )


def fitting(
    options: Sequence[Mapping[str, Any]], constraints: Constraints
) -> list[Mapping[str, Any]]:
    return [o for o in options if not violations(o, constraints)]
