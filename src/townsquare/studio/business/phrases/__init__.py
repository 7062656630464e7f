"""The business agent's fixed texts, one module a language the shop serves (``wording`` fills
them in); adding a language is adding its module here. A test checks that every language has
every text with the same placeholders."""

from __future__ import annotations

from townsquare.studio.business.phrases import de, en, es, fr, it, nl, pl, pt
from townsquare.studio.business.phrases.texts import LANGUAGES, Language, Text

__all__ = ["CATALOGUE", "LANGUAGES", "STATUSES", "Language", "Text"]

CATALOGUE: dict[Language, dict[Text, str]] = {
    "en": en.TEXTS,
    "pt": pt.TEXTS,
    "fr": fr.TEXTS,
    "de": de.TEXTS,
    "es": es.TEXTS,
    "it": it.TEXTS,
    "nl": nl.TEXTS,
    "pl": pl.TEXTS,
}
STATUSES: dict[Language, dict[str, str]] = {
    "en": en.STATUSES,
    "pt": pt.STATUSES,
    "fr": fr.STATUSES,
    "de": de.STATUSES,
    "es": es.STATUSES,
    "it": it.STATUSES,
    "nl": nl.STATUSES,
    "pl": pl.STATUSES,
}
