"""The one tool registry: names unique across toolsets, each caller sees its own toolset, calls
are checked against the tool's schema, and a result is one JSON shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema.exceptions import SchemaError

from townsquare import tools
from townsquare.errors import InvalidInput
from townsquare.tools import Context, InvalidArguments, Result, Tool

SCHEMA = {
    "type": "object",
    "properties": {"word": {"type": "string", "minLength": 1}},
    "required": ["word"],
    "additionalProperties": False,
}


def _echo(ctx: Context, args: dict[str, Any]) -> Result:
    return Result("ok", f"you said {args['word']}", {"word": args["word"]})


@pytest.fixture
def echo() -> Iterator[Tool[Context]]:
    tool = Tool("test_echo", "Say a word back.", SCHEMA, _echo, toolset="test")
    tools.register(tool)
    try:
        yield tool
    finally:
        tools.unregister(tool.name)


def test_a_tool_is_found_in_its_own_toolset_only(echo: Tool[Context]) -> None:
    assert tools.get("test_echo", "test") is echo
    assert tools.available("test") == [echo]
    with pytest.raises(InvalidInput, match="no action named 'test_echo'"):
        tools.get("test_echo", "intents")
    assert echo not in tools.available("intents")


def test_a_name_is_registered_once_unless_replaced(echo: Tool[Context]) -> None:
    other = Tool("test_echo", "Another.", SCHEMA, _echo, toolset="test")
    with pytest.raises(ValueError, match="already registered"):
        tools.register(other)
    tools.register(other, replace=True)
    assert tools.get("test_echo", "test") is other


def test_a_tool_with_an_invalid_schema_is_refused() -> None:
    bad = Tool("test_bad", "Broken.", {"type": "no-such-type"}, _echo, toolset="test")
    with pytest.raises(SchemaError, match="no-such-type"):
        tools.register(bad)
    assert tools.available("test") == []


def test_arguments_are_checked_against_the_schema(echo: Tool[Context]) -> None:
    tools.validate(echo, {"word": "hi"})
    with pytest.raises(InvalidArguments, match="bad arguments for test_echo at word") as bad:
        tools.validate(echo, {"word": ""})
    assert bad.value.reason == "'' should be non-empty"
    with pytest.raises(InvalidArguments, match="at args: 'word' is a required property"):
        tools.validate(echo, {})


def test_a_result_is_one_json_object() -> None:
    assert Result("refused", "no", {"ticket": 3}).as_dict() == {
        "status": "refused",
        "say": "no",
        "ticket": 3,
    }
    assert Result(data={"posts": []}).as_dict() == {"posts": []}  # nothing said: the data alone
