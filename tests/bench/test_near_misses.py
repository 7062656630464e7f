"""bench.near_misses: the near-miss checks counted on answers kept from an earlier run."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from bench.near_misses import Row, lacks, tally

from bench import near_misses

TERM = "Autumn term starts on Monday 8 September and runs until Saturday 13 December."
CARD = "Buy a 10-class card for £80."


def _row(category: str, question: str, subject: list[str], quoted: str, right: bool) -> Row:
    answer = f'She wrote: "{quoted}"' if quoted else ""
    return Row(
        "school",
        f"{category}-1",
        category,
        question,
        "when",
        subject,
        answer,
        right,
        [quoted] if quoted else [],
        quoted,
    )


def test_a_figure_or_a_word_the_material_never_names_is_lacking() -> None:
    assert lacks("how much is a 5 class card?", frozenset({"card"}), [CARD], CARD) == ["figure:5"]
    assert lacks("when does spring term start", frozenset({"spring", "term"}), [TERM], TERM) == [
        "word:spring"
    ]
    assert lacks("when does the term start", frozenset({"term", "start"}), [TERM], TERM) == []


def test_tally_counts_right_answers_lost_and_near_misses_turned() -> None:
    rows = [
        _row("one_source", "when does the term start", ["term"], TERM, right=True),
        _row("one_source", "when does the winter term end", ["winter", "term"], TERM, right=True),
        _row("unanswerable", "when does spring term start", ["spring", "term"], TERM, False),
        _row("unanswerable", "when is the show", ["show"], "", False),
    ]
    assert tally(rows, "") == {"school": [2, 2, 1, 2, 1, 1]}
    assert tally(rows, "figure") == {"school": [2, 2, 0, 2, 1, 0]}


def test_checks_are_counted_again_from_kept_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = tmp_path / "rows.json"
    row = _row("unanswerable", "when does spring term start", ["spring", "term"], TERM, False)
    kept.write_text(json.dumps([asdict(row)]))
    assert near_misses.main(["--from", str(kept), "--show"]) == 0
    shown = capsys.readouterr().out
    assert "school" in shown and "lacks ['word:spring']" in shown
