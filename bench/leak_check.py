"""What the reply leak check costs, by how much hidden text the prompt holds.

    python bench/leak_check.py [--runs 5]

The check (``studio.conversation.safety.ReplyCheck``) is built once per reply from the prompt's
secrets (the rules, the agent card's hidden text, the lorebook entries that fired), then
``StreamGuard`` runs it at every streamed piece. For hidden texts of 500 to 8,000 words (a
4,096-token context holds about 3,000), it prints the time to build the check and to stream a
300-word reply through the guard (median of ``--runs``), and the check's size. Figures in
docs/benchmarks.md ("Leak check").
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc

from townsquare.studio.conversation.safety import ReplyCheck, StreamGuard

WORDS = 8_000  # distinct words the hidden text is drawn from
SIZES = (500, 1_000, 3_000, 8_000)
REPLY_WORDS = 300


def _text(rng: random.Random, words: int) -> str:
    return " ".join(f"word{rng.randrange(WORDS)}" for _ in range(words))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per size (median printed)")
    args = parser.parse_args()
    rng = random.Random(16)
    reply = [f"{w} " for w in _text(rng, REPLY_WORDS).split()]  # pieces as a model streams them
    print(f"{'hidden words':>12} {'build ms':>9} {'stream ms':>10} {'peak MiB':>9}")
    for size in SIZES:
        secret = _text(rng, size)
        tracemalloc.start()  # once, apart: tracing slows what it measures
        ReplyCheck(secrets=[secret])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        builds, streams = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            check = ReplyCheck(secrets=[secret])
            builds.append(time.perf_counter() - start)
            guard = StreamGuard(check)
            start = time.perf_counter()
            for piece in reply:
                guard.feed(piece)
            guard.finish()
            streams.append(time.perf_counter() - start)
        build, stream = statistics.median(builds) * 1e3, statistics.median(streams) * 1e3
        print(f"{size:>12} {build:>9.1f} {stream:>10.1f} {peak / 2**20:>9.1f}")


if __name__ == "__main__":
    main()
