"""The verifier benchmark's pairs: a right answer's quote says yes, an unanswerable question's
quote (a near miss) says no, everything else is left out."""

from __future__ import annotations

import json
from pathlib import Path

from bench.yesno_verifier import pairs


def _answer(category: str, outcome: str, reply: str, *, right: bool) -> dict[str, object]:
    return {
        "category": category,
        "outcome": outcome,
        "question": f"{category}?",
        "reply": reply,
        "right": right,
        "cited": ["faq.json"] if outcome == "quoted" else [],
    }


def test_pairs_are_right_quotes_and_near_misses(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    answers = [
        _answer("one_source", "quoted", 'Here is what Ines wrote: "It is £30." [1]', right=True),
        _answer("one_source", "quoted", 'Here is what Ines wrote: "It is £25." [1]', right=False),
        _answer(
            "unanswerable", "quoted", 'Here is what Ines wrote: "Postage £4." [1]', right=False
        ),
        _answer("unanswerable", "unknown", "I don't know", right=False),
    ]
    report.write_text(json.dumps({"runs": [{"answers": answers}]}))
    assert pairs([report]) == [
        ("one_source?", "It is £30.", True),
        ("unanswerable?", "Postage £4.", False),
    ]
