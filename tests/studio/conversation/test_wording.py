import pytest

from townsquare.studio.conversation.wording import content_words, meets, words


@pytest.mark.parametrize(
    ("stem", "stems", "shortest", "met"),
    [
        ("class", {"class"}, 5, True),
        ("politic", {"political"}, 5, True),
        ("potter", {"pottery", "studio"}, 5, True),
        ("stor", {"storag"}, 4, True),
        ("stor", {"storag"}, 5, False),  # too short to stand for a longer word
        ("part", {"party"}, 5, False),
        ("council", {"counter"}, 4, False),  # a shared beginning that is neither word
        ("ex", {"ex"}, 5, True),  # a word itself always meets
    ],
)
def test_a_stem_meets_the_longer_stems_it_begins(
    stem: str, stems: set[str], shortest: int, met: bool
) -> None:
    assert meets(stem, stems, shortest=shortest) is met


def test_a_word_with_its_accents_and_one_typed_without_them_are_one_word() -> None:
    assert words("Próximo sábado, Anfängerkurs") == ["proximo", "sabado", "anfangerkurs"]
    assert content_words("próximo sabado", ignore=frozenset({"próximo"})) == {"sabado"}
