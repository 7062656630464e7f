"""Which language a text is written in, offline, with py3langid (a naive Bayes model of byte
n-grams, ~5 MB, no network).

Chosen over lingua by ``bench/language_id.py``: on 100 short member questions in five languages
both are right on 97-99, and py3langid takes 0.3 ms a question against lingua's 20 ms, from a
wheel 20 times smaller. The model loads on first use (~2 s), once per process.
"""

from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

__all__ = ["closest_language", "detect_language"]

# Below this probability the detector is guessing. Over its 97 languages the probability of a
# short question is spread thin over neighbours (pt, gl, es; "Quanto custa o curso?" is pt at
# 0.28), yet the top label was right on 99 of 100 short questions, so the bar is low.
MIN_CONFIDENCE = 0.1
# A language of a given few is taken for a text when its probability is at least this share of
# the top language's: a short Portuguese question is often told Galician by a hair.
NEIGHBOUR_SHARE = 0.5
# Enough of a text to tell its language; the rest only costs time.
SAMPLE_CHARS = 400

_LOCK = threading.Lock()


@functools.cache
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.lru_cache(maxsize=1 << 16)
def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language ("en", "pt", ...), or None when it has too
    few letters to tell or the detector is unsure. Cached: an index asks about each of its
    chunks every time it is rebuilt."""
    sample = text[:SAMPLE_CHARS]
    if sum(character.isalpha() for character in sample) < 3:
        return None
    with _LOCK:  # the model loads once
        identifier = _identifier()
    language, probability = identifier.classify(sample)
    return str(language) if probability >= MIN_CONFIDENCE else None


def closest_language(text: str, among: tuple[str, ...]) -> str | None:
    """The language of ``among`` that ``text`` is in: the detected one when it is among them,
    else the best-ranked of them if it comes close to the detected one (Galician and
    Portuguese, Catalan and Spanish); None otherwise (Italian is not Spanish)."""
    detected = detect_language(text)
    if detected is None or detected in among:
        return detected
    with _LOCK:
        identifier = _identifier()
    ranked = identifier.rank(text[:SAMPLE_CHARS])
    top = ranked[0][1]
    return next(
        (str(code) for code, p in ranked if code in among and p >= NEIGHBOUR_SHARE * top), None
    )
