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

Books are stored as the card had them; ``lorebook_entries.validate_lorebook`` checks them on the
way in (and reads entries and their decorators), and :func:`activate_lore` skips an entry it
cannot read rather than failing a reply.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex  # the stdlib `re` cannot time out a search

from townsquare.studio.lorebook_entries import (
    BookSettings,
    Entry,
    LorebookError,
    book_settings,
    readable_entries,
)

# Only the newest part of the scanned text is searched, so one pasted novel cannot slow a reply.
MAX_SCAN_CHARS = 50_000
# Each regex search may take this long, and all regex searches of one call share the total.
REGEX_TIMEOUT_S = 0.1  # generous: a loaded machine may deschedule even a simple search
REGEX_TOTAL_S = 0.5
_MAX_NEAR_MISSES = 32
_WORD = re.compile(r"\w+")
_SLASH_PATTERN = re.compile(r"/(.+)/([a-z]*)", re.DOTALL)
_REGEX_FLAGS = {"i": regex.IGNORECASE, "s": regex.DOTALL, "m": regex.MULTILINE, "x": regex.VERBOSE}


@dataclass(frozen=True)
class LoreInjection:
    """What the lorebook adds to one prompt."""

    before: list[str]  # contents for position "before_char" (before the persona), in order
    after: list[str]  # contents for position "after_char"
    fired: list[int]  # indexes in ``book["entries"]`` of the entries used, ascending


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
        settings = book_settings(book, "character_book")
    except LorebookError:
        settings = BookSettings()
    entries = readable_entries(book.get("entries"))
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

    def text(self, entry: Entry, found: str = "") -> str:
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
    fired: list[Entry], limit: int, count_tokens: Callable[[str], int]
) -> list[Entry]:
    ranked = sorted(fired, key=lambda entry: (-entry.priority, -entry.insertion_order, entry.index))
    kept: list[Entry] = []
    used = 0
    for entry in ranked:
        used += count_tokens(entry.content)
        if used > limit:
            break
        kept.append(entry)
    return kept


def _fires(entry: Entry, text: str, matcher: _Matcher) -> bool:
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

    def any(self, keys: Sequence[str], text: str, entry: Entry) -> bool:
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
