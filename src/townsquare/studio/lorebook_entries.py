"""A lorebook's entries as Character Card V2/V3 define them: checking a book on the way in
(``validate_lorebook``), and reading each entry, its keys, flags and V3 decorators, for
``lorebook.activate_lore`` (which decides what fires)."""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from townsquare.errors import InvalidInput

MAX_ENTRIES = 2_000
MAX_KEYS = 200
MAX_KEY_CHARS = 1_000
MAX_CONTENT_CHARS = 100_000

Position = Literal["before", "after"]
_POSITIONS: dict[str, Position] = {"before_char": "before", "after_char": "after", "": "before"}
_DECORATOR_POSITIONS: dict[str, Position] = {"before_desc": "before", "after_desc": "after"}
_DECORATOR_LINE = re.compile(r"(@@@?)([A-Za-z_]+)(?:[ \t]+(.*))?")


class LorebookError(InvalidInput):
    """A malformed lorebook; the message starts with the path of the bad field."""


@dataclass(frozen=True)
class Decorators:
    activate: bool = False
    dont_activate: bool = False
    scan_depth: int | None = None
    additional_keys: tuple[str, ...] = ()
    exclude_keys: tuple[str, ...] = ()
    position: Position | None = None


@dataclass(frozen=True)
class Entry:
    index: int
    keys: tuple[str, ...]
    secondary_keys: tuple[str, ...]
    content: str  # decorators removed, surrounding whitespace dropped
    enabled: bool
    constant: bool
    selective: bool
    case_sensitive: bool
    use_regex: bool
    insertion_order: float
    priority: float
    position: Position
    decorators: Decorators


@dataclass(frozen=True)
class BookSettings:
    scan_depth: int | None = None
    token_budget: int | None = None
    recursive: bool = False


def validate_lorebook(book: Mapping[str, Any], *, field: str = "character_book") -> dict[str, Any]:
    """The book as given (a copy), after checking every field the specs define; a V3 standalone
    export (``{"spec": "lorebook_v3", "data": {...}}``) is unwrapped. Raises
    :class:`LorebookError` naming the field, e.g. ``character_book.entries[2].keys``."""
    if not isinstance(book, Mapping):
        raise LorebookError(f"{field}: must be an object")
    if book.get("spec") == "lorebook_v3":
        return validate_lorebook(book.get("data"), field=f"{field}.data")  # type: ignore[arg-type]
    book_settings(book, field)
    for key in ("name", "description"):
        if book.get(key) is not None and not isinstance(book[key], str):
            raise LorebookError(f"{field}.{key}: must be a string")
    if book.get("extensions") is not None and not isinstance(book["extensions"], Mapping):
        raise LorebookError(f"{field}.extensions: must be an object")
    entries = book.get("entries")
    if not isinstance(entries, list):
        raise LorebookError(f"{field}.entries: must be a list of entries")
    if len(entries) > MAX_ENTRIES:
        raise LorebookError(f"{field}.entries: at most {MAX_ENTRIES} entries")
    for index, raw in enumerate(entries):
        _parse_entry(raw, index, f"{field}.entries[{index}]")
    return copy.deepcopy(dict(book))


def readable_entries(raw_entries: object) -> list[Entry]:
    if not isinstance(raw_entries, list):
        return []
    entries = []
    for index, raw in enumerate(raw_entries[:MAX_ENTRIES]):
        try:
            entries.append(_parse_entry(raw, index, f"character_book.entries[{index}]"))
        except LorebookError:
            continue
    return entries


def book_settings(book: Mapping[str, Any], field: str) -> BookSettings:
    scan_depth = _number(book, "scan_depth", field, minimum=0)
    token_budget = _number(book, "token_budget", field, minimum=0)
    return BookSettings(
        scan_depth=None if scan_depth is None else int(scan_depth),
        # A budget of 0 would make the book pointless; tools that write it mean "not set".
        token_budget=int(token_budget) if token_budget else None,
        recursive=_flag(book, "recursive_scanning", field, default=False),
    )


def _parse_entry(raw: object, index: int, path: str) -> Entry:
    if not isinstance(raw, Mapping):
        raise LorebookError(f"{path}: must be an object")
    content = raw.get("content")
    if not isinstance(content, str):
        raise LorebookError(f"{path}.content: must be a string")
    if len(content) > MAX_CONTENT_CHARS:
        raise LorebookError(f"{path}.content: at most {MAX_CONTENT_CHARS} characters")
    if raw.get("extensions") is not None and not isinstance(raw["extensions"], Mapping):
        raise LorebookError(f"{path}.extensions: must be an object")
    if raw.get("id") is not None and not isinstance(raw["id"], int | str):
        raise LorebookError(f"{path}.id: must be a number or a string")
    for key in ("name", "comment"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise LorebookError(f"{path}.{key}: must be a string")
    position = raw.get("position")
    if position is not None and position not in _POSITIONS:
        raise LorebookError(f"{path}.position: must be before_char or after_char")
    decorators, body = _split_decorators(content)
    return Entry(
        index=index,
        keys=_keys(raw, "keys", path, required=True),
        secondary_keys=_keys(raw, "secondary_keys", path, required=False),
        content=body.strip(),
        enabled=_flag(raw, "enabled", path, default=True),
        constant=_flag(raw, "constant", path, default=False),
        selective=_flag(raw, "selective", path, default=False),
        case_sensitive=_flag(raw, "case_sensitive", path, default=False),
        use_regex=_flag(raw, "use_regex", path, default=False),
        insertion_order=_number(raw, "insertion_order", path) or 0.0,
        priority=_number(raw, "priority", path) or 0.0,
        position=decorators.position or _POSITIONS[position or ""],
        decorators=decorators,
    )


def _keys(raw: Mapping[str, Any], key: str, path: str, *, required: bool) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None and not required:
        return ()
    if isinstance(value, str) and not required:  # V3 prose describes comma-separated text
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise LorebookError(f"{path}.{key}: must be a list of strings")
    if len(value) > MAX_KEYS:
        raise LorebookError(f"{path}.{key}: at most {MAX_KEYS} keys")
    if any(len(item) > MAX_KEY_CHARS for item in value):
        raise LorebookError(f"{path}.{key}: each key is at most {MAX_KEY_CHARS} characters")
    return tuple(item.strip() for item in value if item.strip())


def _flag(raw: Mapping[str, Any], key: str, path: str, *, default: bool) -> bool:
    value = raw.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise LorebookError(f"{path}.{key}: must be true or false")
    return value


def _number(
    raw: Mapping[str, Any], key: str, path: str, *, minimum: float = -math.inf
) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise LorebookError(f"{path}.{key}: must be a number")
    if value < minimum:
        raise LorebookError(f"{path}.{key}: must be at least {minimum:g}")
    return float(value)


def _split_decorators(content: str) -> tuple[Decorators, str]:
    """V3 decorators: ``@@name value`` lines at the start of the content, each optionally followed
    by ``@@@`` fallbacks used when it is not recognised. The first of a name wins."""
    lines = content.replace("\r\n", "\n").split("\n")
    groups: list[list[tuple[str, str]]] = []
    consumed = 0
    for line in lines:
        match = _DECORATOR_LINE.fullmatch(line.strip())
        if match is None:
            break
        consumed += 1
        marker, name, value = match.group(1), match.group(2), (match.group(3) or "").strip()
        if marker == "@@":
            groups.append([(name, value)])
        elif groups:
            groups[-1].append((name, value))
    if not groups:
        return Decorators(), content
    found: dict[str, str] = {}
    for group in groups:
        for name, value in group:
            if _recognised(name, value):
                found.setdefault(name, value)
                break
    decorators = Decorators(
        activate="activate" in found,
        dont_activate="dont_activate" in found,
        scan_depth=int(found["scan_depth"]) if "scan_depth" in found else None,
        additional_keys=_comma_list(found.get("additional_keys", "")),
        exclude_keys=_comma_list(found.get("exclude_keys", "")),
        position=_DECORATOR_POSITIONS.get(found.get("position", "")),
    )
    return decorators, "\n".join(lines[consumed:])


def _recognised(name: str, value: str) -> bool:
    if name in ("activate", "dont_activate"):
        return True
    if name == "scan_depth":
        return re.fullmatch(r"[0-9]{1,6}", value) is not None
    if name in ("additional_keys", "exclude_keys"):
        return bool(_comma_list(value))
    return name == "position" and value in _DECORATOR_POSITIONS


def _comma_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())
