import pytest

from townsquare.ai.languages import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("How much is the beginner course?", "en"),
        ("Quanto custa o curso para iniciantes?", "pt"),
        ("Combien coûte le cours pour débutants ?", "fr"),
        ("Was kostet der Anfängerkurs?", "de"),
        ("¿Cuánto cuesta el curso para principiantes?", "es"),
        ("Quanto costa il corso per principianti?", "it"),
    ],
)
def test_short_questions_are_told_apart(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "42", "£120 / 6", "ok"])
def test_too_few_letters_to_tell(text: str) -> None:
    assert detect_language(text) is None


def test_a_close_neighbour_of_a_known_language_counts_as_it() -> None:
    from townsquare.ai.languages import closest_language

    known = ("en", "pt", "fr", "de", "es")
    assert closest_language("Como se chama a cadela da Ines?", known) == "pt"  # told gl alone
    assert closest_language("Quanto costa il corso per principianti?", known) is None
    assert closest_language("Was kostet der Anfängerkurs?", known) == "de"
    assert closest_language("42", known) is None


@pytest.mark.parametrize(
    "text",
    ["Is it in stock?", "Any wax wraps?", "Can I come by on Sunday?", "Mondays and Wednesdays"],
)
def test_a_short_english_text_is_not_taken_for_an_unsure_foreign_guess(text: str) -> None:
    # py3langid's own top guesses: Western Frisian, Somali, English over Nigerian Pidgin.
    assert detect_language(text) == "en"


def test_a_sure_guess_outside_the_community_languages_stands() -> None:
    assert detect_language("Hoeveel kost de honing?") == "nl"


def test_the_community_languages_are_the_reply_catalogues() -> None:
    from townsquare.ai.languages import COMMUNITY_LANGUAGES
    from townsquare.studio.conversation.language import LANGUAGES

    assert COMMUNITY_LANGUAGES == LANGUAGES


def test_accents_fold_to_the_letters_members_type_without_them() -> None:
    from townsquare.ai.languages import fold_accents

    assert fold_accents("próxima łódź, größe, sábado") == "proxima lodz, grosse, sabado"
    assert fold_accents("£7.50 ¿qué?") == "£7.50 ¿que?"  # other characters stay
    assert fold_accents("plain ascii") == "plain ascii"
