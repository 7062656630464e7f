"""The shared request shapes: the JSON schema of a bounded free-form object says what its
validator accepts (schemathesis sent nesting the document allowed and the model refused)."""

from __future__ import annotations

from typing import Annotated, Any

import jsonschema
import pytest
from pydantic import TypeAdapter, ValidationError

from townsquare.presenters import JsonBounds

Bounded = Annotated[dict[str, Any], JsonBounds(max_keys=3, max_depth=3, max_bytes=1_000)]


def _nest(depth: int) -> dict[str, Any]:
    """An object ``depth`` levels deep, alternating lists and objects below the top."""
    value: Any = 1
    for level in range(depth - 1):
        value = [value] if level % 2 == 0 else {"k": value}
    return {"top": value}


@pytest.mark.parametrize(("depth", "accepted"), [(1, True), (2, True), (3, True), (4, False)])
def test_the_schema_and_the_validator_agree_on_nesting(depth: int, accepted: bool) -> None:
    adapter = TypeAdapter(Bounded)
    schema = adapter.json_schema()
    assert (schema["maxProperties"], schema["x-max-depth"]) == (3, 3)
    value = _nest(depth)
    assert jsonschema.Draft202012Validator(schema).is_valid(value) is accepted
    if accepted:
        assert adapter.validate_python(value) == value
    else:
        with pytest.raises(ValidationError, match="nests at most 3 levels"):
            adapter.validate_python(value)
