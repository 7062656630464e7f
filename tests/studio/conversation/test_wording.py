import pytest

from townsquare.studio.conversation.wording import meets


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
