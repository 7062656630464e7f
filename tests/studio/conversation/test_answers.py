"""The cross-language gate of answer choice (the rest of answers.py is tested through the
pipeline)."""

from townsquare.studio.conversation.answers import DENSE_MIN, SUBJECT_MIN, _about
from townsquare.studio.conversation.grounding import ACROSS_LANGUAGES_DENSE


def test_across_languages_only_meaning_says_a_sentence_is_about_the_question() -> None:
    assert ACROSS_LANGUAGES_DENSE < DENSE_MIN
    assert _about(0.0, ACROSS_LANGUAGES_DENSE, "price", across=True)
    assert not _about(0.0, ACROSS_LANGUAGES_DENSE - 0.01, "price", across=True)
    assert _about(0.0, ACROSS_LANGUAGES_DENSE, "yesno", across=True)
    # Within one language the words decide first, and meaning alone needs more.
    assert not _about(0.0, ACROSS_LANGUAGES_DENSE, "price")
    assert _about(SUBJECT_MIN, 0.0, "price")
