"""Reading policy sentences by meaning: precision and recall of the rules read from the
sentences of ``evals/business/policy_sentences.py`` (final sale in idiomatic words, per-category
windows, notice periods, "never" rules, and sentences that only look like rules), over all
languages and by language, with the embedder the agent uses to read a policy (e5-small), and
the same without it (the grammar alone).

    python bench/policy_sentences.py
"""

from __future__ import annotations

import time

from evals.business.policy_sentences import CASES, CATALOG, detection, read_as, read_right
from townsquare.ai.e5_embedder import E5Embedder
from townsquare.studio.business.policy import parse_policy
from townsquare.studio.business.policy_meaning import Reader


def main() -> None:
    for label, reader in (("grammar alone", None), ("grammar + e5 meaning", Reader(E5Embedder()))):
        started = time.perf_counter()
        policies = [parse_policy(case.text, CATALOG, reader) for case in CASES]
        seconds = time.perf_counter() - started
        print(f"\n{label}: {len(CASES)} sentences in {seconds:.2f} s")
        print("language  sentences  precision  recall")
        for row in detection(CASES, policies):
            print(f"{row.language:8}  {row.sentences:9}  {row.precision:9.2f}  {row.recall:6.2f}")
        for case, policy in zip(CASES, policies, strict=True):
            if not read_right(case, policy):
                print(f"  missed ({case.kind}, read {read_as(policy)}): {case.text}")


if __name__ == "__main__":
    main()
