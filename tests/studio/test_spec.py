"""What an owner writes to define an agent: the JSON schema of every strict model states what
its validators refuse (a NUL character; a blank text where texts are stripped), so a request
generated from the document is not refused by the model (schemathesis)."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from townsquare.studio.spec import NO_NUL, NOT_BLANK, AgentSpec


def _property(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = AgentSpec.model_json_schema()["properties"][name]
    return schema


def test_the_schema_states_the_patterns() -> None:
    assert _property("tagline")["pattern"] == NO_NUL  # may be empty
    assert _property("name")["pattern"] == NOT_BLANK  # stripped, at least one character
    assert _property("traits")["items"]["pattern"] == NOT_BLANK  # no blank item
    assert "pattern" not in _property("visibility")  # an enum says it all


@pytest.mark.parametrize(
    ("field", "value", "accepted"),
    [
        ("name", "Pip", True),
        ("name", "  Pip ", True),
        ("name", "   ", False),
        ("name", "P\x00p", False),
        ("tagline", "", True),
        ("tagline", "a\x00", False),
        ("traits", ["kind", " calm "], True),
        ("traits", ["kind", "  "], False),
        ("traits", ["a\x00"], False),
    ],
)
def test_the_schema_and_the_model_agree(field: str, value: Any, accepted: bool) -> None:
    body = {"handle": "pip", "name": "Pip", field: value}
    schema = AgentSpec.model_json_schema()
    assert jsonschema.Draft202012Validator(schema).is_valid(body) is accepted
    if accepted:
        AgentSpec.model_validate(body)
    else:
        with pytest.raises(ValidationError):
            AgentSpec.model_validate(body)
