"""Every string, list and dict a request body may carry is capped, read from the OpenAPI
document: a field added tomorrow without a cap fails here the day it is added."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from townsquare.app import create_app
from townsquare.settings import Settings

# Strings pydantic parses with a fixed grammar before keeping them.
PARSED_FORMATS = {"date-time", "date", "email"}


def _uncapped(
    schema: Any, where: str, components: dict[str, Any], seen: frozenset[str]
) -> list[str]:
    if not isinstance(schema, dict):
        return []
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return _uncapped(components[name], name, components, seen | {name})
    found = [
        problem
        for key in ("anyOf", "oneOf", "allOf")
        for option in schema.get(key, [])
        for problem in _uncapped(option, where, components, seen)
    ]
    kind = schema.get("type")
    if kind == "string" and not (
        "maxLength" in schema
        or "enum" in schema
        or "const" in schema
        or "contentMediaType" in schema  # an uploaded file: the body limit bounds it
        or schema.get("format") in PARSED_FORMATS
    ):
        found.append(f"{where}: a string without maxLength")
    if kind == "array":
        if "maxItems" not in schema:
            found.append(f"{where}: an array without maxItems")
        found += _uncapped(schema.get("items"), f"{where}[]", components, seen)
    if kind == "object" or "properties" in schema:
        for name, field in schema.get("properties", {}).items():
            found += _uncapped(field, f"{where}.{name}", components, seen)
        extra = schema.get("additionalProperties", "properties" not in schema)
        if extra is not False:
            if "maxProperties" not in schema:
                found.append(f"{where}: an object without maxProperties")
            if "x-max-depth" in schema:  # free-form values, bounded by depth and bytes
                assert "x-max-bytes" in schema, where
            elif isinstance(extra, dict) and extra:
                found += _uncapped(extra, f"{where}{{}}", components, seen)
            else:
                found.append(f"{where}: free-form values without x-max-depth")
    return found


def test_every_request_body_field_is_capped(tmp_path: Path) -> None:
    spec = create_app(Settings(data_dir=tmp_path, intents_in_server=False)).openapi()
    components = spec["components"]["schemas"]
    problems = sorted(
        {
            problem
            for path, operations in spec["paths"].items()
            for method, operation in operations.items()
            for content in operation.get("requestBody", {}).get("content", {}).values()
            for problem in _uncapped(
                content["schema"], f"{method.upper()} {path}", components, frozenset()
            )
        }
    )
    assert problems == []
