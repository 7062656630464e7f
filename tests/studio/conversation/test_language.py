"""The member's language: the catalogue, its fallback, cue words, and replies that use them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray

from tests.studio.conversation.test_pipeline import BASICS, MAYA, ListRetriever, passage
from townsquare.ai.embeddings import Embedder, Side, normalise_rows
from townsquare.ai.fake import FakeChatModel
from townsquare.studio.conversation.cues import LANGUAGES as QUESTION_TABLES
from townsquare.studio.conversation.cues import Phrases
from townsquare.studio.conversation.language import (
    CATALOGUE,
    LANGUAGES,
    ReplyLanguage,
    fallback_line,
    quoted_note,
    reply_language,
    say,
)
from townsquare.studio.conversation.pipeline import run_reply
from townsquare.studio.conversation.types import Reply, ReplyInput


def test_every_language_has_every_text_with_the_same_fields() -> None:
    english = CATALOGUE["en"]
    for language in LANGUAGES:
        assert CATALOGUE[language].keys() == english.keys()
        for key, text in CATALOGUE[language].items():
            assert sorted(_fields(text)) == sorted(_fields(english[key])), (language, key)
    # Every language the catalogue has, the question tables have too, with their own phrases.
    assert set(QUESTION_TABLES) == set(LANGUAGES)
    default = Phrases()
    for language in set(LANGUAGES) - {"en"}:
        phrases = QUESTION_TABLES[language].phrases
        assert phrases.quoted != default.quoted
        assert sorted(_fields(phrases.total)) == sorted(_fields(default.total))


def _fields(text: str) -> list[str]:
    import string

    return [field for _, field, _, _ in string.Formatter().parse(text) if field]


@pytest.mark.parametrize(
    ("message", "code", "asked"),
    [
        ("Quanto custa o curso para iniciantes?", "pt", "pt"),
        ("Combien coûte le cours pour débutants ?", "fr", "fr"),
        ("Was kostet der Anfängerkurs?", "de", "de"),
        ("¿Cuánto cuesta el curso para principiantes?", "es", "es"),
        ("How much is the beginner course?", "en", "en"),
        ("Quanto costa il corso per principianti?", "it", "it"),
        ("Hoeveel kost de cursus voor beginners?", "nl", "nl"),
        ("Ile kosztuje kurs dla początkujących?", "pl", "pl"),
        ("Hur mycket kostar kursen för nybörjare?", "en", "sv"),  # not in the catalogue
        ("42?", "en", None),  # too short to tell
    ],
)
def test_the_reply_language_follows_the_member(message: str, code: str, asked: str) -> None:
    assert reply_language(message) == ReplyLanguage(code, asked)  # type: ignore[arg-type]


def test_a_language_the_catalogue_lacks_falls_back_to_english_and_says_so() -> None:
    swedish = ReplyLanguage("en", "sv")
    assert swedish.fell_back
    assert fallback_line(swedish) == "(I can't write Swedish yet, so I answer in English.)"
    assert fallback_line(ReplyLanguage("pt", "pt")) == ""
    assert fallback_line(ReplyLanguage("en", None)) == ""


def test_a_quote_in_another_language_says_which() -> None:
    portuguese = ReplyLanguage("pt", "pt")
    assert quoted_note(portuguese, "en") == "(citado tal como foi escrito, em inglês)"
    assert quoted_note(ReplyLanguage("de", "de"), "en") == "(wörtlich zitiert, auf Englisch)"
    assert quoted_note(portuguese, "pt") == ""
    assert quoted_note(portuguese, None) == ""
    assert quoted_note(ReplyLanguage("en", "sv"), "en") == ""  # the fallback line says it


def test_say_fills_the_text_of_the_language() -> None:
    assert say("unknown", ReplyLanguage("fr", "fr"), owner_handle="maya") == (
        "Je ne sais pas — je peux transmettre votre question à @maya."
    )


class _MeaningEmbedder(Embedder):
    """Puts a price question in any language and a price passage in one direction."""

    name = "meaning"
    dimension = 2

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        cues = ("custa", "cost", "£")
        rows = [[1.0, 0.0] if any(c in t.lower() for c in cues) else [0.0, 1.0] for t in texts]
        return normalise_rows(np.array(rows))


def _reply(message: str, embedder: Embedder | None, model_says: str = "…") -> Reply:
    events = list(
        run_reply(
            ReplyInput(MAYA, message, []),
            model=FakeChatModel([model_says]),
            retriever=ListRetriever([passage(1, BASICS)]),
            embedder=embedder,
        )
    )
    final = events[-1]
    assert isinstance(final, Reply)
    return final


def test_i_dont_know_in_the_members_language() -> None:
    final = _reply("Vendem bolos de casamento por encomenda?", None)
    assert final.outcome == "unknown"
    assert final.text == "Não sei — posso passar a sua pergunta a @maya_bakes."


def test_a_language_without_a_catalogue_gets_english_and_the_line_that_says_so() -> None:
    final = _reply("Gör ni bröllopstårtor på beställning?", None)
    assert final.outcome == "unknown"
    assert final.text == (
        "I don't know — I can pass your question to @maya_bakes.\n"
        "(I can't write Swedish yet, so I answer in English.)"
    )


def test_i_dont_know_in_italian_dutch_and_polish() -> None:
    assert _reply("Fate torte nuziali su ordinazione?", None).text.startswith("Non lo so")
    assert _reply("Maken jullie ook bruidstaarten op bestelling?", None).text.startswith(
        "Dat weet ik niet"
    )
    assert _reply("Czy robicie torty weselne na zamówienie?", None).text.startswith("Nie wiem")


def test_an_english_source_is_quoted_with_a_lead_in_and_a_note_in_the_members_language() -> None:
    final = _reply("Quanto custa a aula de massa mãe?", _MeaningEmbedder())
    assert final.outcome == "quoted"
    assert final.text == (
        f'Eis o que Maya Okafor escreveu sobre isso: "{BASICS}" [1] '
        "(citado tal como foi escrito, em inglês)"
    )
    assert final.citations == [passage(1, BASICS).citation(BASICS)]


def test_an_avoided_topic_is_deflected_in_the_members_language_then_the_owners_words() -> None:
    events = list(
        run_reply(
            ReplyInput(MAYA, "Pode falar-me do seu divorce e da sua família?", []),
            model=FakeChatModel(["never used"]),
            retriever=None,
            embedder=None,
        )
    )
    final = events[-1]
    assert isinstance(final, Reply) and final.outcome == "avoided"
    assert final.text == "Prefiro não falar sobre isso. That's private, sorry!"
