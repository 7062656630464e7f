from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.studio.knowledge.documents import sentence
from townsquare.studio.knowledge.chunking import (
    MAX_WHOLE_WORDS,
    MAX_WORDS,
    Chunk,
    chunk_sections,
    join_lists,
    searchable_text,
    split_section,
    word_count,
)
from townsquare.studio.knowledge.extract import Section


def test_a_short_section_is_one_chunk_unchanged() -> None:
    text = "Line one\nline two.\n\nA new paragraph."
    assert split_section(Section(text)) == [text]


def test_long_text_is_cut_at_sentence_ends_into_even_chunks() -> None:
    text = " ".join(sentence(n) for n in range(80))  # 80 sentences of 13 words
    chunks = split_section(Section(text, "Firing"))
    assert len(chunks) > 1
    assert all(120 <= word_count(chunk) <= MAX_WORDS for chunk in chunks)
    assert all(chunk.startswith("Sentence ") and chunk.endswith(".") for chunk in chunks)
    # Each chunk after the first starts with the last sentence of the one before.
    for before, after in itertools.pairwise(chunks):
        last = before[before.rindex("Sentence ") :]
        assert after.startswith(last)
    assert sentence(79) in chunks[-1] and sentence(0) in chunks[0]


def test_chunks_never_cross_a_section() -> None:
    sections = [Section(sentence(1), "page 1"), Section(sentence(2), "page 2")]
    assert chunk_sections(sections) == [
        Chunk(sentence(1), "page 1"),
        Chunk(sentence(2), "page 2"),
    ]


def test_paragraph_and_line_breaks_survive_splitting() -> None:
    paragraphs = [" ".join(sentence(10 * p + n) for n in range(6)) for p in range(4)]
    text = "\n\n".join(paragraphs) + "\nA last line."
    chunks = split_section(Section(text))
    assert "\n\n" in chunks[0]
    assert chunks[-1].endswith(f"{sentence(35)}\nA last line.")


def test_text_without_full_stops_is_cut_at_the_word_limit() -> None:
    words = " ".join(f"item{n}" for n in range(500))
    chunks = split_section(Section(words))
    assert max(word_count(chunk) for chunk in chunks) <= MAX_WORDS
    assert " ".join(chunks).split() == words.split()


def test_a_whole_faq_answer_or_catalog_row_stays_one_chunk() -> None:
    answer = " ".join(sentence(n) for n in range(25))  # 325 words
    assert split_section(Section(answer, "Why?", keep_whole=True)) == [answer]
    too_long = " ".join(sentence(n) for n in range(40))  # 520 words
    assert word_count(too_long) > MAX_WHOLE_WORDS
    assert len(split_section(Section(too_long, "Why?", keep_whole=True))) > 1


def test_searchable_text_adds_a_heading_but_not_a_position() -> None:
    assert searchable_text("We ship in 3 days.", "Shipping") == "Shipping\nWe ship in 3 days."
    assert searchable_text("Kiln notes.", "page 12") == "Kiln notes."
    assert searchable_text("Rye\nprice: 3", "row 4") == "Rye\nprice: 3"
    assert searchable_text("Is it vegan?\nYes.", "Is it vegan?") == "Is it vegan?\nYes."
    assert searchable_text("A post.", "") == "A post."


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=120))
def test_every_sentence_lands_in_a_chunk_within_the_limits(lengths: list[int]) -> None:
    sentences = [" ".join(f"w{i}x{j}" for j in range(n)) + "." for i, n in enumerate(lengths)]
    chunks = split_section(Section(" ".join(sentences)))
    joined = " ".join(chunks)
    assert all(s in joined for s in sentences)
    assert all(word_count(chunk) <= MAX_WORDS for chunk in chunks)


@pytest.mark.parametrize("sentences", [16, 18, 30, 80, 100])
def test_chunks_come_out_even_with_no_stub_at_the_end(sentences: int) -> None:
    text = " ".join(sentence(n) for n in range(sentences))  # 13 words each
    sizes = [word_count(chunk) for chunk in split_section(Section(text))]
    assert max(sizes) - min(sizes) <= 26, sizes  # two sentences at most


def test_a_list_joins_its_lead_in_so_each_item_says_what_it_is() -> None:
    text = "Bring these:\n- an apron\n- closed shoes.\nSteps:\n1. wedge\n2) throw\nThat's all."
    assert (
        join_lists(text)
        == "Bring these: an apron; closed shoes.\nSteps: wedge; throw.\nThat's all."
    )


def test_a_list_without_a_lead_in_and_a_lone_colon_line_stay_as_they_are() -> None:
    assert join_lists("- clay\n- glaze") == "- clay\n- glaze"
    assert join_lists("Note:\nWe are closed.") == "Note:\nWe are closed."


def test_chunks_keep_their_sections_date() -> None:
    [chunk] = chunk_sections([Section("Mugs £18.", "Prices", dated=date(2026, 1, 14))])
    assert chunk == Chunk("Mugs £18.", "Prices", date(2026, 1, 14))
