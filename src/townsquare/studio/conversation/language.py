"""The member's language: which it is, and the fixed texts of a reply in it.

A reply is made of the source's words (quoted, or checked sentence by sentence by the guard)
and a few fixed texts around them. Those that frame an answer ("Here is what ... wrote",
"As of <date>", "That comes to ...") are the phrases of the question tables
(``questions.Phrases``, one table per language); the rest are here: "I don't know — I can pass
your question to ...", the note that a quote is in the material's language, the line before an
owner's deflection. They come in the member's language when the catalogue has it; facts are
never translated (the 135M model cannot translate them faithfully: docs/benchmarks.md,
"Multilingual"). A member writing in a language the catalogue lacks is answered in English,
with a line that says so.

The catalogue is a typed dict rather than gettext ``.po``/``.mo`` files: eight languages of
a handful of texts, checked by mypy and a test (a missing text or field fails before any reply
does), with no compile step. Language names come from Babel's CLDR data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from babel import Locale

from townsquare.ai.languages import closest_language, detect_language

__all__ = [
    "LANGUAGES",
    "Language",
    "ReplyLanguage",
    "fallback_line",
    "quoted_note",
    "reply_language",
    "say",
]

Language = Literal["en", "pt", "fr", "de", "es", "it", "nl", "pl"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
Text = Literal["unknown", "quoted_note", "avoided"]
# After a reply in English to a member who wrote in a language the catalogue lacks.
FALLBACK = "(I can't write {asked} yet, so I answer in English.)"

CATALOGUE: dict[Language, dict[Text, str]] = {
    "en": {
        "unknown": "I don't know — I can pass your question to @{owner_handle}.",
        "quoted_note": "(quoted as written, in {material})",
        "avoided": "I'd rather not talk about that.",
    },
    "pt": {
        "unknown": "Não sei — posso passar a sua pergunta a @{owner_handle}.",
        "quoted_note": "(citado tal como foi escrito, em {material})",
        "avoided": "Prefiro não falar sobre isso.",
    },
    "fr": {
        "unknown": "Je ne sais pas — je peux transmettre votre question à @{owner_handle}.",
        "quoted_note": "(cité tel quel, en {material})",
        "avoided": "Je préfère ne pas parler de cela.",
    },
    "de": {
        "unknown": "Das weiß ich nicht — ich kann Ihre Frage an @{owner_handle} weitergeben.",
        "quoted_note": "(wörtlich zitiert, auf {material})",
        "avoided": "Darüber möchte ich lieber nicht sprechen.",
    },
    "es": {
        "unknown": "No lo sé — puedo pasar tu pregunta a @{owner_handle}.",
        "quoted_note": "(citado tal cual, en {material})",
        "avoided": "Prefiero no hablar de eso.",
    },
    "it": {
        "unknown": "Non lo so — posso passare la tua domanda a @{owner_handle}.",
        "quoted_note": "(citato così come è scritto, in {material})",
        "avoided": "Preferisco non parlarne.",
    },
    "nl": {
        "unknown": "Dat weet ik niet — ik kan je vraag doorgeven aan @{owner_handle}.",
        "quoted_note": "(letterlijk geciteerd, in het {material})",
        "avoided": "Daar praat ik liever niet over.",
    },
    "pl": {
        "unknown": "Nie wiem — mogę przekazać Twoje pytanie do @{owner_handle}.",
        "quoted_note": "(cytat w oryginale, język: {material})",
        "avoided": "Wolę o tym nie rozmawiać.",
    },
}


@dataclass(frozen=True)
class ReplyLanguage:
    """The language a reply's fixed texts are in, and the one the member wrote in."""

    code: Language
    asked: str | None  # detected ISO 639-1 code of the member's message; None: unsure

    @property
    def fell_back(self) -> bool:
        """The member wrote in a language the catalogue lacks, so the reply is in English."""
        return self.asked is not None and self.asked != self.code


def reply_language(message: str) -> ReplyLanguage:
    """The catalogue language for a member's ``message``: its own when the catalogue has it,
    else English (also when the message is too short to tell)."""
    closest = closest_language(message, LANGUAGES)
    code: Language = next((known for known in LANGUAGES if known == closest), "en")
    return ReplyLanguage(code, closest or detect_language(message))


def say(text: Text, language: ReplyLanguage, **values: str) -> str:
    """A fixed text in ``language``, filled with ``values``."""
    return CATALOGUE[language.code][text].format(**values)


def fallback_line(language: ReplyLanguage) -> str:
    """The line that says the reply is in English because the member's language is not in
    the catalogue ("" when it is)."""
    if not language.fell_back or language.asked is None:
        return ""
    return FALLBACK.format(asked=language_name(language.asked, "en"))


def quoted_note(language: ReplyLanguage, material: str | None) -> str:
    """The note after a quote in another language than the member's ("" when they match)."""
    if material is None or material == language.code or language.fell_back:
        return ""
    return say("quoted_note", language, material=language_name(material, language.code))


def language_name(code: str, in_language: Language) -> str:
    """The name of language ``code`` in ``in_language`` ("inglês" for en in pt); the code
    itself for a language Babel does not name."""
    return str(Locale(in_language).languages.get(code, code))
