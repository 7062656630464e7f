"""Reading card fields with errors that name them: ``data.tags: must be a list of strings``."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from townsquare.errors import InvalidInput


class CardError(InvalidInput):
    """A card that cannot be imported; the message starts with the bad field's path."""


# What a field must hold: a test and the words an error uses for it.
Check = tuple[Callable[[object], bool], str]


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_text_map(value: object) -> bool:
    return isinstance(value, Mapping) and all(isinstance(item, str) for item in value.values())


def _is_assets(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(asset, Mapping)
        and all(isinstance(asset.get(key), str) for key in ("type", "uri", "name", "ext"))
        for asset in value
    )


TEXT: Check = (lambda value: isinstance(value, str), "a string")
TEXT_LIST: Check = (_is_text_list, "a list of strings")
OBJECT: Check = (lambda value: isinstance(value, Mapping), "an object")
NUMBER: Check = (_is_number, "a number")
TEXT_MAP: Check = (_is_text_map, "an object of strings")
ASSETS: Check = (_is_assets, "a list of {type, uri, name, ext} objects of strings")


def checked(data: Mapping[str, Any], key: str, check: Check, path: str) -> Any:
    """``data[key]``, or None when it is absent or null; raises naming ``path`` otherwise."""
    value = data.get(key)
    test, words = check
    if value is not None and not test(value):
        raise CardError(f"{path}: must be {words}")
    return value
