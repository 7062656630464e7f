"""Repeated-phrase share, the loop trimmer and the streamed shaper, on the loops a small model
really writes (the issue's examples) and on text that must pass untouched."""

from __future__ import annotations

import pytest

from townsquare.studio.conversation.degeneration import (
    Shaper,
    first_sentences,
    repeated_ngram_share,
    sentences,
    trim_loop,
)

CLEAN = [
    "Ahoy, pixel sailor! Sixteen colours is plenty for a sprite. Show me the blues.",
    "Yo ho ho, that palette sings!",
    "Garlic in good olive oil, gently, never brown!",
    "",
]


@pytest.mark.parametrize("text", CLEAN)
def test_text_without_a_loop_is_left_as_it_is(text: str) -> None:
    assert trim_loop(text) == text
    assert repeated_ngram_share(text) == 0.0


def test_the_share_of_repeated_four_word_sequences() -> None:
    # Five four-word sequences, the last of them ("one two three four") said before.
    assert repeated_ngram_share("one two three four one two three four") == pytest.approx(0.2)
    assert repeated_ngram_share("spooky " * 20) == pytest.approx(16 / 17)
    assert repeated_ngram_share("too short") == 0.0


def test_a_word_run_is_cut_at_its_third_copy_and_the_last_whole_sentence_kept() -> None:
    text = "Boo! That is spooky, spooky, spooky, spooky, spooky."
    assert trim_loop(text) == "Boo!"


def test_a_loop_in_the_first_sentence_keeps_the_clause_before_it() -> None:
    assert trim_loop("It is spooky, spooky, spooky and") == "It is spooky, spooky."
    assert trim_loop("I love it, I love it and I love it, I love it") == "I love it, I love it."


def test_a_repeated_phrase_across_sentences_is_cut_before_the_second_copy() -> None:
    text = (
        "I'm not sure if it's a compliment, but it's a compliment. "
        "I'm not sure if it's a compliment, but it's a compliment."
    )
    assert trim_loop(text) == "I'm not sure if it's a compliment, but it's a compliment."


def test_a_sentence_said_again_with_a_word_changed_is_cut() -> None:
    text = "Welcome aboard, sailor! The sea is calm today my friend. The sea is calm today friend."
    assert trim_loop(text) == "Welcome aboard, sailor! The sea is calm today my friend."
    assert trim_loop("Ahoy! I love pixels. Ahoy!") == "Ahoy! I love pixels."


def test_sentences_and_the_first_few() -> None:
    assert sentences("One. Two!\nThree? Four") == ["One.", "Two!", "Three?", "Four"]
    assert first_sentences("A b. C d! E f? G", 2) == "A b. C d!"
    assert first_sentences("A b. C d!", 3) == "A b. C d!"
    assert first_sentences("Well... maybe. Yes.", 1) == "Well... maybe."


def _stream(text: str, shaper: Shaper, *, cut_off: bool = False) -> list[str]:
    shown = []
    for word in text.split(" "):
        if out := shaper.feed(word + " "):
            shown.append(out)
        if shaper.done:
            break
    if rest := shaper.finish(cut_off=cut_off):
        shown.append(rest)
    return shown


def test_a_stream_is_shown_a_sentence_at_a_time() -> None:
    shaper = Shaper()
    shown = _stream("Ahoy there! Show me your sprites. Which palette", shaper)
    assert shown == ["Ahoy there!", " Show me your sprites.", " Which palette"]
    assert shaper.text == "Ahoy there! Show me your sprites. Which palette"


def test_a_looping_stream_stops_before_the_loop_is_shown() -> None:
    shaper = Shaper()
    shown = _stream("Boo! That is spooky, spooky, spooky, spooky, spooky, spooky.", shaper)
    assert shown == ["Boo!"]
    assert shaper.done and shaper.text == "Boo!"
    assert "spooky, spooky, spooky" in shaper.raw


def test_a_stream_whose_first_sentence_loops_shows_the_clause_before_it() -> None:
    shaper = Shaper()
    assert _stream("It is spooky, spooky, spooky, spooky", shaper) == ["It is spooky, spooky."]


def test_a_stream_stops_after_the_owners_sentence_limit() -> None:
    shaper = Shaper(max_sentences=2)
    shown = _stream("One fish. Two fish! Red fish. Blue fish.", shaper)
    assert "".join(shown) == "One fish. Two fish!"
    assert shaper.done and "Red" not in shaper.raw.split("!")[0]


def test_a_stream_cut_off_by_the_token_limit_loses_its_unfinished_sentence() -> None:
    assert _stream("The sea is calm. And the wind", Shaper(), cut_off=True) == ["The sea is calm."]
    # With no whole sentence, the unfinished one is all there is.
    assert _stream("The sea is", Shaper(), cut_off=True) == ["The sea is"]


def test_a_finished_shaper_shows_nothing_more() -> None:
    shaper = Shaper(max_sentences=1)
    assert shaper.feed("Done. ") == "Done."
    assert shaper.feed("More. ") == ""
    assert shaper.finish() == ""
