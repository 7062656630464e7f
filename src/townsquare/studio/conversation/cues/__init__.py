"""The cue tables of the languages a member may ask in, one module a language
(``cues.table.Cues``): the words that tell a question's answer type and wants, and the phrases
a reply is composed from. Adding a language is adding its module here; the logic
(``questions.read_question``, ``answers``, ``sums``) does not change.

A passage is usually in the owner's language, so what is looked for in a passage (shipping, a
discount) keeps the English words too; month names would be English in a passage, so the other
languages write dates in figures. A post written in another language is dated in its words,
though ("Publicado el 10 de junio de 2026": ``knowledge.dates.MONTHS`` names the months, and
dates such a post): each table's ``dateline`` words, its month names among them, tell such a
line, which only dates its source and answers nothing (``answers``).
"""

from __future__ import annotations

from townsquare.studio.conversation.cues.de import GERMAN
from townsquare.studio.conversation.cues.en import ENGLISH
from townsquare.studio.conversation.cues.es import SPANISH
from townsquare.studio.conversation.cues.fr import FRENCH
from townsquare.studio.conversation.cues.it import ITALIAN
from townsquare.studio.conversation.cues.nl import DUTCH
from townsquare.studio.conversation.cues.pl import POLISH
from townsquare.studio.conversation.cues.pt import PORTUGUESE
from townsquare.studio.conversation.cues.table import AnswerType, Cues, Phrases

__all__ = ["ENGLISH", "LANGUAGES", "AnswerType", "Cues", "Phrases", "cues"]

LANGUAGES: dict[str, Cues] = {
    "en": ENGLISH,
    "pt": PORTUGUESE,
    "fr": FRENCH,
    "de": GERMAN,
    "es": SPANISH,
    "it": ITALIAN,
    "nl": DUTCH,
    "pl": POLISH,
}


def cues(language: str) -> Cues:
    """The table for ``language``, English when there is none."""
    return LANGUAGES.get(language, ENGLISH)
