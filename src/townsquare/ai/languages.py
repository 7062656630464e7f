"""Which language a text is written in, offline, with py3langid (a naive Bayes model of byte
n-grams, ~5 MB, no network).

Chosen over lingua by ``bench/language_id.py``: on 100 short member questions in five languages
both are right on 97-99, and py3langid takes 0.3 ms a question against lingua's 20 ms, from a
wheel 20 times smaller. The model loads on first use (~2 s), once per process.

Its 97 languages include many that no community here writes in, and a short English question
is often told as one of them by a hair ("Is it in stock?" is Western Frisian at 0.38 against
English at 0.36; "Can I come by on Sunday?" is 0.19 Nigerian Pidgin). So a guess outside
``COMMUNITY_LANGUAGES`` is taken only when the detector is sure of it; otherwise a community
language it ranks close to its guess is the answer.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

__all__ = ["COMMUNITY_LANGUAGES", "closest_language", "detect_language", "fold_accents"]

# The languages members and creators write in: the reply catalogue's
# (``studio.conversation.language.LANGUAGES``; a test keeps the two equal).
COMMUNITY_LANGUAGES = ("en", "pt", "fr", "de", "es", "it", "nl", "pl")

# Below this probability the detector is guessing. Over its 97 languages the probability of a
# short question is spread thin over neighbours (pt, gl, es; "Quanto custa o curso?" is pt at
# 0.28), yet the top label was right on 99 of 100 short questions, so the bar is low.
MIN_CONFIDENCE = 0.1
# A language of a given few is taken for a text when its probability is at least this share of
# the top language's: a short Portuguese question is often told Galician by a hair.
NEIGHBOUR_SHARE = 0.5
# A language outside ``COMMUNITY_LANGUAGES`` is taken only at this probability or above: on
# 20 short English questions the unrelated guesses stayed at or below 0.38, while Italian and
# Dutch questions of four or five words reached 0.76-0.85.
SURE = 0.6
# Enough of a text to tell its language; the rest only costs time.
SAMPLE_CHARS = 400

_LOCK = threading.Lock()
# Latin letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})


@functools.cache
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.lru_cache(maxsize=1 << 16)
def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language ("en", "pt", ...), or None when it has too
    few letters to tell or the detector is unsure: its top guess when that is a community
    language or a sure one, else the community language ranked close to it. Cached: an index
    asks about each of its chunks every time it is rebuilt."""
    sample = text[:SAMPLE_CHARS]
    if sum(character.isalpha() for character in sample) < 3:
        return None
    with _LOCK:  # the model loads once
        identifier = _identifier()
    ranked = identifier.rank(sample)
    language, probability = ranked[0]
    if probability >= SURE or (language in COMMUNITY_LANGUAGES and probability >= MIN_CONFIDENCE):
        return str(language)
    close = max(MIN_CONFIDENCE, NEIGHBOUR_SHARE * probability)
    return next((str(c) for c, p in ranked if c in COMMUNITY_LANGUAGES and p >= close), None)


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


def fold_accents(text: str) -> str:
    """``text`` with its Latin letters without their accents ("próxima łódź" -> "proxima
    lodz"; lower-case ``text`` first, since "Ł" is kept): a word written with its accents and
    one typed without them ("sábado", "sabado") are the same word. Any other character is
    kept as it is."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in text if not unicodedata.combining(c))
