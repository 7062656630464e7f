"""bench.avoided_bars: the bars tried on nearness kept from an earlier run, without models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench.avoided_bars import Row, deflected, tally

from bench import avoided_bars
from townsquare.studio.conversation import avoided


def _row(category: str, near: float, material: float, *, across: bool = False) -> Row:
    score = {
        "words": False,
        "specific": False,
        "across": across,
        "to_topic": [near],
        "to_material": [material],
    }
    return Row("shop", f"{category}-{near}", category, "fr" if across else "en", "?", [score])


def test_a_row_is_deflected_by_the_bars_now_in_avoided() -> None:
    assert deflected(_row("off_limits", 0.45, 0.30))
    assert not deflected(_row("one_source", 0.30, 0.60))
    assert not deflected(_row("multilingual", 0.40, 0.37, across=True))
    assert deflected(_row("multilingual", 0.40, 0.37))  # the same nearness within one language


def test_tally_counts_off_limits_caught_and_others_deflected_per_set() -> None:
    rows = [
        _row("off_limits", 0.45, 0.30),
        _row("off_limits", 0.20, 0.50),
        _row("unanswerable", 0.40, 0.37),
        _row("one_source", 0.10, 0.60),
    ]
    assert tally(rows) == {"shop": (1, 2, 1, 2)}


def test_bars_are_tried_again_from_kept_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "scores.json"
    kept.write_text(json.dumps([_row("multilingual", 0.40, 0.37, across=True).__dict__]))
    for bar in ("AVOID_SIMILARITY", "AVOID_LOOSE", "AVOID_CLEAR", "AVOID_ACROSS"):
        monkeypatch.setattr(avoided, bar, getattr(avoided, bar))  # main sets them; restored
    assert avoided_bars.main(["--from", str(kept), "--across", "0.39", "--show"]) == 0
    shown = capsys.readouterr().out
    assert "0 of 0" in shown and "1 of 1" in shown
    assert "shop multilingual-0.4 fr" in shown


def test_kept_questions_are_read_again_with_their_material(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = avoided_bars.build_models
    monkeypatch.setattr(avoided_bars, "build_models", lambda kind, settings: fake("fake", settings))
    potter = avoided_bars._load("potter")
    question = potter.of_category("off_limits")[0]
    kept, again = tmp_path / "kept.json", tmp_path / "again.json"
    material = ["Wheel course: six weeks, 180 EUR."]
    row = Row("potter", question.id, "off_limits", "en", question.question, [], material)
    kept.write_text(json.dumps([row.__dict__]))
    assert avoided_bars.main(["--from", str(kept), "--again", "--scores", str(again)]) == 0
    [read] = [Row(**r) for r in json.loads(again.read_text())]
    assert read.material == material and read.question == question.question
    assert len(read.scores) == len(potter.agent.avoid_topics)  # one per topic, read now
    assert "potter" in capsys.readouterr().out
