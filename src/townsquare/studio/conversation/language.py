"""The member's language: the fixed texts of a reply in it, and the words that say what a
question in it asks for.

A reply is made of the source's words (quoted, or checked sentence by sentence by the guard)
and a few fixed texts around them: "I don't know — shall I ask the owner?", "as of <date>",
the note that a quote is in the material's language, the line before an owner's deflection.
The fixed texts come in the member's language when the catalogue has it; facts are never
translated (the 135M model cannot translate them faithfully: docs/benchmarks.md,
"Multilingual"). A member writing in a language the catalogue lacks is answered in English,
with a line that says so.

The catalogue is a typed dict rather than gettext ``.po``/``.mo`` files: five languages of
a handful of texts, checked by mypy (a missing text or a misspelt key fails the type check, not
a reply), with no compile step. Dates and language names come from Babel's CLDR data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from babel import Locale
from babel.dates import format_date

from townsquare.ai.languages import detect_language

__all__ = [
    "QUESTION_CUES",
    "Language",
    "ReplyLanguage",
    "as_of",
    "asks_for",
    "fallback_line",
    "quoted_note",
    "reply_language",
    "say",
]

Language = Literal["en", "pt", "fr", "de", "es"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
Text = Literal["unknown", "quoted", "quoted_note", "as_of", "avoided"]
# After a reply in English to a member who wrote in a language the catalogue lacks.
FALLBACK = "(I can't write {asked} yet, so I answer in English.)"

CATALOGUE: dict[Language, dict[Text, str]] = {
    "en": {
        "unknown": "I don't know — I can pass your question to @{owner_handle}.",
        "quoted": 'Here is what {owner_name} wrote about that: "{quote}" [1]',
        "quoted_note": "(quoted as written, in {material})",
        "as_of": "as of {date}",
        "avoided": "I'd rather not talk about that.",
    },
    "pt": {
        "unknown": "Não sei — posso passar a sua pergunta a @{owner_handle}.",
        "quoted": 'Eis o que {owner_name} escreveu sobre isso: "{quote}" [1]',
        "quoted_note": "(citado tal como foi escrito, em {material})",
        "as_of": "em {date}",
        "avoided": "Prefiro não falar sobre isso.",
    },
    "fr": {
        "unknown": "Je ne sais pas — je peux transmettre votre question à @{owner_handle}.",
        "quoted": "Voici ce que {owner_name} a écrit à ce sujet : « {quote} » [1]",
        "quoted_note": "(cité tel quel, en {material})",
        "as_of": "au {date}",
        "avoided": "Je préfère ne pas parler de cela.",
    },
    "de": {
        "unknown": "Das weiß ich nicht — ich kann Ihre Frage an @{owner_handle} weitergeben.",
        "quoted": "Das hat {owner_name} dazu geschrieben: „{quote}“ [1]",
        "quoted_note": "(wörtlich zitiert, auf {material})",
        "as_of": "Stand {date}",
        "avoided": "Darüber möchte ich lieber nicht sprechen.",
    },
    "es": {
        "unknown": "No lo sé — puedo pasar tu pregunta a @{owner_handle}.",
        "quoted": 'Esto es lo que {owner_name} escribió sobre eso: "{quote}" [1]',
        "quoted_note": "(citado tal cual, en {material})",
        "as_of": "a {date}",
        "avoided": "Prefiero no hablar de eso.",
    },
}

# What a question asks for, by the words that ask it (regular expressions, case-insensitive),
# per language: the grounding guard prefers a sentence that holds that kind of answer (a price,
# a day or time, a name, a number). English is the guard's own table; these are the others.
AnswerKind = Literal["price", "when", "who", "name", "quantity"]
QUESTION_CUES: dict[Language, dict[AnswerKind, str]] = {
    "pt": {
        "price": r"\bquanto (?:custa|custam|é|sai|fica)\b|\bpreços?\b|\bcusto\b|\bvalor\b",
        "when": r"\bquando\b|\ba que horas?\b|\bque dia\b|\bhorários?\b|\bprazo\b",
        "who": r"\bquem\b",
        "name": r"\bcomo se chama\b|\bnome\b|\btítulo\b",
        "quantity": r"\bquant[oa]s\b|\bquanto tempo\b|\bque idade\b|\bque tamanho\b",
    },
    "fr": {
        "price": r"\bcombien co[uû]te|\bprix\b|\btarifs?\b|\bco[uû]t\b",
        "when": r"\bquand\b|\bà quelle heure\b|\bquel jour\b|\bhoraires?\b|\bdate limite\b",
        "who": r"\bqui\b",
        "name": r"\bcomment s'appelle\b|\bnom\b|\btitre\b",
        "quantity": r"\bcombien de\b|\bcombien de temps\b|\bquel âge\b|\bquelle taille\b",
    },
    "de": {
        "price": r"\bwas kostet\b|\bwie viel kostet\b|\bpreis(?:e)?\b|\bkosten\b|\bgebühr",
        "when": r"\bwann\b|\bum wie viel uhr\b|\ban welchem tag\b|\böffnungszeiten\b|\bfrist\b",
        "who": r"\bwer\b",
        "name": r"\bwie heißt\b|\bname\b|\btitel\b",
        "quantity": r"\bwie viele?\b|\bwie lange\b|\bwie alt\b|\bwie groß\b",
    },
    "es": {
        "price": r"\bcu[aá]nto (?:cuesta|cuestan|vale|es)\b|\bprecios?\b|\bcoste\b|\bcosto\b",
        "when": r"\bcu[aá]ndo\b|\ba qu[eé] hora\b|\bqu[eé] d[ií]a\b|\bhorarios?\b|\bplazo\b",
        "who": r"\bqui[eé]n(?:es)?\b",
        "name": r"\bc[oó]mo se llama\b|\bnombre\b|\bt[ií]tulo\b",
        "quantity": r"\bcu[aá]nt[oa]s\b|\bcu[aá]nto tiempo\b|\bqu[eé] edad\b|\bqu[eé] tamaño\b",
    },
}
_CUES = {
    language: [(kind, re.compile(pattern, re.I)) for kind, pattern in cues.items()]
    for language, cues in QUESTION_CUES.items()
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
    asked = detect_language(message)
    code: Language = next((known for known in LANGUAGES if known == asked), "en")
    return ReplyLanguage(code, asked)


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


def as_of(day: date, language: ReplyLanguage) -> str:
    """ "as of 6 December 2026" in ``language``, the date written as its speakers write it."""
    return say("as_of", language, date=format_date(day, format="long", locale=language.code))


def language_name(code: str, in_language: Language) -> str:
    """The name of language ``code`` in ``in_language`` ("inglês" for en in pt); the code
    itself for a language Babel does not name."""
    return str(Locale(in_language).languages.get(code, code))


def asks_for(question: str, language: ReplyLanguage) -> AnswerKind | None:
    """What kind of answer a question in a language other than English asks for, by its cue
    words; None for English (the guard's own table) or when no cue word occurs."""
    for kind, cue in _CUES.get(language.code, []):
        if cue.search(question):
            return kind
    return None
