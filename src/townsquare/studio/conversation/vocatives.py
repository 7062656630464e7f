"""The member is never called by the agent's own name.

A small model that knows one name in the conversation, its own, puts it where the member's name
goes: "We had a great day of sailing, Captain Marlowe!", "Zara, I'm so glad you came"
(docs/benchmarks.md, ``talk9``: 9-19 of 60 everyday replies in every run). A name set off by a
comma at the edge of a clause is a vocative, whatever the language; the agent's own name there
is removed with its comma. The whole name counts, and so does each capitalised word of it
("Dex" of Coach Dex), as the model shortens it the way people do.
"""

from __future__ import annotations

import re

__all__ = ["without_own_vocatives"]

NAME_WORD_MIN = 3  # shorter words of a name ("Al", "of") are too common to be its vocative


def _names(name: str) -> str:
    words = [w for w in name.split() if len(w) >= NAME_WORD_MIN and w[0].isupper()]
    variants = sorted({name.strip(), *words}, key=len, reverse=True)
    return "|".join(re.escape(v) for v in variants if v)


def without_own_vocatives(text: str, name: str) -> str:
    """``text`` without the agent's own ``name`` used as a vocative: after a comma at the end
    of a clause ("Thanks, Dex!" -> "Thanks!"), or before a comma at the start of a sentence
    ("Dex, run today." -> "Run today.")."""
    names = _names(name)
    if not names:
        return text
    text = re.sub(rf",\s*(?:{names})(?=\s*(?:[.!?,;:…)]|$))", "", text)
    return re.sub(
        rf"(^\s*|[.!?…]\s+|\n\s*)(?:{names}),\s*(\w)",
        lambda m: m.group(1) + m.group(2).upper(),
        text,
    )
