"""Can the embedded chat model tell whether a quoted sentence answers a question?

    python -m bench.yesno_verifier REPORT.json [REPORT.json ...]

Reads reports of ``bench/creator_eval.py --json`` and takes every quoted reply whose verdict is
known: a right answer's quote (it answers: "yes") and an unanswerable question's quote (a near
miss: "no"). The configured chat model (``TOWNSQUARE_*``: embedded SmolLM2 by default) is asked,
greedily, whether the sentence answers the question; prints how often it agrees on each side
and the balanced accuracy (0.5 is chance). Issue 15: a verifier is worth building only if this
is well above chance.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.progress import track

from townsquare.ai import build_chat_model
from townsquare.ai.chat import ChatMessage, ChatRequest
from townsquare.settings import Settings

PROMPT = (
    "Question: {question}\nSentence: {sentence}\n"
    "Does the sentence answer the question? Reply with one word, yes or no."
)


def pairs(reports: Sequence[Path]) -> list[tuple[str, str, bool]]:
    """(question, quoted sentences, whether they answer it) from the reports' replies."""
    found = []
    for report in reports:
        for run in json.loads(report.read_text())["runs"]:
            for answer in run["answers"]:
                if answer["outcome"] != "quoted" or not answer["cited"]:
                    continue
                reply = answer["reply"]
                quote = reply[reply.find('"') + 1 : reply.rfind('"')]
                if answer["category"] == "unanswerable":
                    found.append((answer["question"], quote, False))
                elif answer["right"]:
                    found.append((answer["question"], quote, True))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("reports", nargs="+", type=Path, help="creator_eval --json reports")
    args = parser.parse_args(argv)
    model = build_chat_model(Settings())
    agree = {True: [0, 0], False: [0, 0]}  # label -> [agreed, asked]
    for question, sentence, answers in track(pairs(args.reports), description="asking"):
        text = PROMPT.format(question=question, sentence=sentence)
        request = ChatRequest([ChatMessage("user", text)], max_tokens=3, temperature=0, seed=7)
        said_yes = model.complete(request).text.strip().lower().startswith("yes")
        agree[answers][0] += said_yes == answers
        agree[answers][1] += 1
    rates = {
        label: done / asked if asked else float("nan") for label, (done, asked) in agree.items()
    }
    print(f"answers (should say yes): {agree[True][0]} / {agree[True][1]} = {rates[True]:.2f}")
    print(
        f"near misses (should say no): {agree[False][0]} / {agree[False][1]} = {rates[False]:.2f}"
    )
    print(f"balanced accuracy: {(rates[True] + rates[False]) / 2:.2f} (chance 0.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
