"""The lorebook (a card's ``character_book``): which entries a conversation brings into a prompt.

The rules follow Character Card V2/V3 and what SillyTavern users expect from their books:

- ``enabled: false`` never fires. ``constant`` always fires (except with ``use_regex``, which V3
  says overrides it). Otherwise an entry fires when one of its ``keys`` appears in the scanned
  text: the newest ``scan_depth`` messages (the book's, or all of them). A ``selective`` entry
  also needs one of its ``secondary_keys``.
- Keys are case-insensitive (Unicode case folding) unless ``case_sensitive``. A key that starts
  or ends with a letter or digit only matches whole words there, so "cat" does not fire on
  "category"; scripts written without spaces (Chinese, Japanese, Korean) match anywhere.
- ``use_regex`` keys are regular expressions (bare, or ``/pattern/flags`` as SillyTavern writes
  them). A pattern that does not compile makes its entry not match, as V3 requires. Patterns come
  from card authors and the text from strangers, so each search has a time limit and the text
  scanned is capped: a catastrophic pattern costs milliseconds, not the server.
- V3 decorators at the start of ``content`` are honoured where they make sense outside a chat UI
  (``@@activate``, ``@@dont_activate``, ``@@scan_depth``, ``@@additional_keys``,
  ``@@exclude_keys``, ``@@position before_desc|after_desc``, with ``@@@`` fallbacks) and always
  stripped from the text that reaches the prompt.
- With ``recursive_scanning``, the content of the entries that fired is scanned once more.
- Budget: the smaller of the book's ``token_budget`` and the caller's. Entries are kept by
  ``priority``, then ``insertion_order``, both highest first (V3: "remove the lowest first"), and
  the first entry that does not fit ends the selection. What is kept is returned in
  ``insertion_order``, lowest first, split by ``position``.

Books are stored as the card had them; :func:`validate_lorebook` checks them on the way in, and
:func:`activate_lore` skips an entry it cannot read rather than failing a reply.
"""

from __future__ import annotations

import copy
import math
import re
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import regex  # the stdlib `re` cannot time out a search

from townsquare.errors import InvalidInput

MAX_ENTRIES = 2_000
MAX_KEYS = 200
MAX_KEY_CHARS = 1_000
MAX_CONTENT_CHARS = 100_000
# Only the newest part of the scanned text is searched, so one pasted novel cannot slow a reply.
MAX_SCAN_CHARS = 50_000
# Each regex search may take this long, and all regex searches of one call share the total.
REGEX_TIMEOUT_S = 0.1  # generous: a loaded machine may deschedule even a simple search
REGEX_TOTAL_S = 0.5
_MAX_NEAR_MISSES = 32
_WORD = re.compile(r"\w+")

Position = Literal["before", "after"]
_POSITIONS: dict[str, Position] = {"before_char": "before", "after_char": "after", "": "before"}
_DECORATOR_POSITIONS: dict[str, Position] = {"before_desc": "before", "after_desc": "after"}
_DECORATOR_LINE = re.compile(r"(@@@?)([A-Za-z_]+)(?:[ \t]+(.*))?")
_SLASH_PATTERN = re.compile(r"/(.+)/([a-z]*)", re.DOTALL)
_REGEX_FLAGS = {"i": regex.IGNORECASE, "s": regex.DOTALL, "m": regex.MULTILINE, "x": regex.VERBOSE}


class LorebookError(InvalidInput):
    """A malformed lorebook; the message starts with the path of the bad field."""


@dataclass(frozen=True)
class LoreInjection:
    """What the lorebook adds to one prompt."""

    before: list[str]  # contents for position "before_char" (before the persona), in order
    after: list[str]  # contents for position "after_char"
    fired: list[int]  # indexes in ``book["entries"]`` of the entries used, ascending


@dataclass(frozen=True)
class _Decorators:
    activate: bool = False
    dont_activate: bool = False
    scan_depth: int | None = None
    additional_keys: tuple[str, ...] = ()
    exclude_keys: tuple[str, ...] = ()
    position: Position | None = None


@dataclass(frozen=True)
class _Entry:
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
    decorators: _Decorators


@dataclass(frozen=True)
class _BookSettings:
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
    _book_settings(book, field)
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


def activate_lore(
    book: Mapping[str, Any] | None,
    scan_texts: Sequence[str],
    *,
    budget_tokens: int,
    count_tokens: Callable[[str], int],
) -> LoreInjection:
    """The entries that ``scan_texts`` (oldest first, newest last) bring in, within budget."""
    if not book:
        return LoreInjection(before=[], after=[], fired=[])
    try:
        settings = _book_settings(book, "character_book")
    except LorebookError:
        settings = _BookSettings()
    entries = _readable_entries(book.get("entries"))
    scan = _Scan(scan_texts, settings.scan_depth)
    matcher = _Matcher()
    fired = [entry for entry in entries if _fires(entry, scan.text(entry), matcher)]
    if settings.recursive and fired:
        found = "\n".join(entry.content for entry in fired)
        done = {entry.index for entry in fired}
        fired += [
            entry
            for entry in entries
            if entry.index not in done and _fires(entry, scan.text(entry, found), matcher)
        ]
    limit = budget_tokens
    if settings.token_budget is not None:
        limit = min(limit, settings.token_budget)
    kept = _within_budget(fired, limit, count_tokens)
    ordered = sorted(kept, key=lambda entry: (entry.insertion_order, entry.index))
    return LoreInjection(
        before=[entry.content for entry in ordered if entry.position == "before"],
        after=[entry.content for entry in ordered if entry.position == "after"],
        fired=sorted(entry.index for entry in kept),
    )


class _Scan:
    """The text an entry is matched against: the newest ``depth`` messages (the entry's
    ``@@scan_depth``, else the book's, else all), plus any fired content when scanning
    recursively; capped to the newest ``MAX_SCAN_CHARS`` and built once per depth."""

    def __init__(self, texts: Sequence[str], depth: int | None) -> None:
        self._texts = texts
        self._depth = depth
        self._built: dict[tuple[int | None, str], str] = {}

    def text(self, entry: _Entry, found: str = "") -> str:
        depth = entry.decorators.scan_depth
        if depth is None:
            depth = self._depth
        if (depth, found) not in self._built:
            recent = list(self._texts)
            if depth is not None:
                recent = recent[max(len(recent) - depth, 0) :] if depth else []
            joined = "\n".join([*recent, found] if found else recent)
            self._built[depth, found] = joined[-MAX_SCAN_CHARS:]
        return self._built[depth, found]


def _within_budget(
    fired: list[_Entry], limit: int, count_tokens: Callable[[str], int]
) -> list[_Entry]:
    ranked = sorted(fired, key=lambda entry: (-entry.priority, -entry.insertion_order, entry.index))
    kept: list[_Entry] = []
    used = 0
    for entry in ranked:
        used += count_tokens(entry.content)
        if used > limit:
            break
        kept.append(entry)
    return kept


def _fires(entry: _Entry, text: str, matcher: _Matcher) -> bool:
    decorators = entry.decorators
    if not entry.enabled or not entry.content:
        return False
    if decorators.activate or decorators.dont_activate:
        return decorators.activate
    if entry.constant and not entry.use_regex:
        return True
    # V3: with use_regex, secondary keys and @@exclude_keys are ignored.
    secondary = entry.secondary_keys if entry.selective and not entry.use_regex else ()
    excluded = () if entry.use_regex else decorators.exclude_keys
    additional = decorators.additional_keys
    return (
        matcher.any(entry.keys, text, entry)
        and (not secondary or matcher.any(secondary, text, entry))
        and (not additional or matcher.any(additional, text, entry))
        and not matcher.any(excluded, text, entry)
    )


class _Matcher:
    """Key matching for one call. Case-insensitive keys are compared after Unicode case folding
    (so "STRASSE" finds "straße"); regex searches share one time allowance."""

    def __init__(self) -> None:
        self._regex_deadline = time.monotonic() + REGEX_TOTAL_S
        self._folded: dict[str, str] = {}
        self._words: dict[str, frozenset[str]] = {}

    def any(self, keys: Sequence[str], text: str, entry: _Entry) -> bool:
        if not entry.use_regex:
            if not entry.case_sensitive:
                if text not in self._folded:
                    self._folded[text] = text.casefold()
                text, keys = self._folded[text], [key.casefold() for key in keys]
            return any(key and self._contains(text, key) for key in keys)
        patterns = [_user_pattern(key, entry.case_sensitive) for key in keys if key]
        if any(pattern is None for pattern in patterns):
            return False  # V3: an invalid pattern means the entry does not match
        return any(self._search(pattern, text) for pattern in patterns)

    def _contains(self, text: str, key: str) -> bool:
        """A one-word key is looked up among the text's words (most keys are one word);
        others are searched for."""
        if _WORD.fullmatch(key) and _wordlike(key[0]) and _wordlike(key[-1]):
            if text not in self._words:
                self._words[text] = frozenset(_WORD.findall(text))
            return key in self._words[text]
        return _contains_word(text, key)

    def _search(self, pattern: Any, text: str) -> bool:
        remaining = self._regex_deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            return pattern.search(text, timeout=min(REGEX_TIMEOUT_S, remaining)) is not None
        except TimeoutError:
            return False


def _contains_word(text: str, key: str) -> bool:
    """Whether ``key`` occurs in ``text``, not inside a word at an edge where the key is
    word-like. The first occurrences are checked by hand (``str.find`` is fast); text crafted
    to hold thousands of near misses falls back to one linear regex scan."""
    start = text.find(key)
    for _ in range(_MAX_NEAR_MISSES):
        if start < 0:
            return False
        end = start + len(key)
        left_ok = start == 0 or not (_wordlike(key[0]) and _is_word(text[start - 1]))
        right_ok = end == len(text) or not (_wordlike(key[-1]) and _is_word(text[end]))
        if left_ok and right_ok:
            return True
        start = text.find(key, start + 1)
    return _word_pattern(key).search(text) is not None


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


@lru_cache(maxsize=4096)
def _word_pattern(key: str) -> re.Pattern[str]:
    """``key`` literally, not inside a word at an edge where the key is word-like."""
    body = re.escape(key)
    if _wordlike(key[0]):
        body = rf"(?<!\w){body}"
    if _wordlike(key[-1]):
        body = rf"{body}(?!\w)"
    return re.compile(body)


def _wordlike(char: str) -> bool:
    """Whether a key edge needs a word boundary: letters and digits of scripts that put spaces
    between words (CJK characters are wide and written without spaces)."""
    return _is_word(char) and unicodedata.east_asian_width(char) not in "WF"


@lru_cache(maxsize=1024)
def _user_pattern(key: str, case_sensitive: bool) -> Any | None:
    """An author's regular expression, compiled; None when it is not one."""
    flags = 0 if case_sensitive else regex.IGNORECASE
    slashed = _SLASH_PATTERN.fullmatch(key)
    if slashed is not None:
        key, letters = slashed.group(1), slashed.group(2)
        flags = 0
        for letter in letters:
            if letter in "gu":  # global and unicode mean nothing here
                continue
            if letter not in _REGEX_FLAGS:
                return None
            flags |= _REGEX_FLAGS[letter]
    try:
        return regex.compile(key, flags)
    except (regex.error, ValueError, OverflowError, RecursionError):
        return None


def _readable_entries(raw_entries: object) -> list[_Entry]:
    if not isinstance(raw_entries, list):
        return []
    entries = []
    for index, raw in enumerate(raw_entries[:MAX_ENTRIES]):
        try:
            entries.append(_parse_entry(raw, index, f"character_book.entries[{index}]"))
        except LorebookError:
            continue
    return entries


def _book_settings(book: Mapping[str, Any], field: str) -> _BookSettings:
    scan_depth = _number(book, "scan_depth", field, minimum=0)
    token_budget = _number(book, "token_budget", field, minimum=0)
    return _BookSettings(
        scan_depth=None if scan_depth is None else int(scan_depth),
        # A budget of 0 would make the book pointless; tools that write it mean "not set".
        token_budget=int(token_budget) if token_budget else None,
        recursive=_flag(book, "recursive_scanning", field, default=False),
    )


def _parse_entry(raw: object, index: int, path: str) -> _Entry:
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
    return _Entry(
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


def _split_decorators(content: str) -> tuple[_Decorators, str]:
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
        return _Decorators(), content
    found: dict[str, str] = {}
    for group in groups:
        for name, value in group:
            if _recognised(name, value):
                found.setdefault(name, value)
                break
    decorators = _Decorators(
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
