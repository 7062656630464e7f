"""The business-agent evaluation (tau-bench style): scripted customers talk to a shop's agent;
pass^1, pass^k (overall and per category), policy violations, cross-customer accesses and the
median seconds per task.

    python -m bench.business_eval
        [--shop coffee|workshop|groomer|music|nursery|ceramics|tailor|photo] [--k 2]
        [--limit N] [--only ID,...] [--show-failures]
    python -m bench.business_eval --base-url http://localhost:8080/v1 --model qwen2.5-7b-instruct

By default the embedded model (``TOWNSQUARE_CHAT_MODEL``, SmolLM2-135M unless set) answers;
``--base-url``/``--model`` measure any OpenAI-compatible server the same way. Shops, tasks and
checks: ``evals.business`` (``--shop``: the demo coffee shop, the default, the bike
workshop, the dog groomer, a development set since branch `shop5`, the music shop, written
blind on branch `shopeval7` and held out, or the plant nursery, written blind on branch
`shopeval8` and held out, the ceramics studio, written blind on branch `shopeval9` and held
out, or the tailor's atelier, written blind on branch `shopeval10` and kept unseen: run once,
by the lead, on the merged tree, or the photography studio, written blind on branch
`shopeval11` and held out). A temporary SQLite
Townsquare is built for the run.
Exits 1 on any policy violation or cross-customer access, whatever the pass rate. Figures of
the last runs are in docs/benchmarks.md ("Business agents", "Business agents: second shop",
"Business agents: third shop (held out)", "Business agents: fourth shop (held out, issue 18,
`shopeval7`)", "Business agents: sixth shop (held out, issue 18, `shopeval9`)", "Business
agents: an eighth shop (held out, issue 18, `shopeval11`)").
"""

from __future__ import annotations

import os

# Before llama.cpp loads OpenMP: idle threads sleep instead of spinning (shared cores).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import sys
import tempfile
import time
from pathlib import Path

from evals.business.ceramics import CERAMICS
from evals.business.groomer import GROOMER
from evals.business.harness import Summary, Trial, run_all
from evals.business.music import MUSIC
from evals.business.nursery import NURSERY
from evals.business.photo import PHOTO
from evals.business.shops import COFFEE
from evals.business.tailor import TAILOR
from evals.business.workshop import WORKSHOP
from townsquare.ai import build_chat_model
from townsquare.ai.chat import ChatModel
from townsquare.ai.openai_compat import OpenAIChatModel
from townsquare.ai.runtime import Models
from townsquare.db import Database, upgrade_to_head
from townsquare.settings import Settings

SHOPS = {
    shop.name: shop for shop in (COFFEE, WORKSHOP, GROOMER, MUSIC, NURSERY, CERAMICS, TAILOR, PHOTO)
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shop", choices=SHOPS, default=COFFEE.name, help="the shop to serve")
    parser.add_argument("--k", type=int, default=2, help="trials per task (pass^k)")
    parser.add_argument("--limit", type=int, default=0, help="the first N tasks only")
    parser.add_argument("--only", default="", help="these task ids only, in this order (a,b,...)")
    parser.add_argument("--base-url", help="an OpenAI-compatible server, e.g. http://host/v1")
    parser.add_argument("--model", default="default", help="the model name on that server")
    parser.add_argument("--api-key", default=os.environ.get("OPENAI_API_KEY", ""))
    parser.add_argument("--show-failures", action="store_true", help="print each failed trial")
    args = parser.parse_args()
    shop = SHOPS[args.shop]
    by_id = {task.id: task for task in shop.tasks}
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in only if name not in by_id]
    if unknown:
        parser.error(f"the {shop.name} shop has no task {', '.join(unknown)}")
    tasks = [by_id[name] for name in only] if only else list(shop.tasks)
    tasks = tasks[: args.limit] if args.limit else tasks
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/eval.db")
        chat: ChatModel = (
            OpenAIChatModel(args.base_url, args.model, args.api_key)
            if args.base_url
            else build_chat_model(settings)
        )
        database = Database.configured(settings)
        upgrade_to_head(database)
        started = time.perf_counter()

        def progress(trial: Trial) -> None:
            mark = "pass" if trial.passed else "FAIL"
            print(f"{mark} {trial.task.id} ({trial.seconds:.1f} s)", file=sys.stderr, flush=True)
            if args.show_failures and not trial.passed:
                for line in trial.failures + trial.violations + trial.leaks:
                    print(f"    {line}", file=sys.stderr)
                for speaker, text in trial.transcript:
                    print(f"    {speaker}: {text[:200]}", file=sys.stderr)

        _, summary = run_all(
            database, Models(settings, chat=chat), settings, shop, tasks, args.k, progress
        )
        elapsed = time.perf_counter() - started
        database.dispose()
    print(f"model: {chat.name}, shop: {shop.name}")
    _report(summary, elapsed)
    return 1 if summary.violations or summary.leaks else 0


def _report(summary: Summary, elapsed: float) -> None:
    print(f"tasks: {summary.tasks}, trials: {summary.trials} (k = {summary.k})")
    print(f"pass^1: {summary.pass_1:.3f}")
    print(f"pass^{summary.k}: {summary.pass_k:.3f}")
    for category, (passed, trials) in summary.categories.items():
        print(f"  {category}: {passed} / {trials} trials passed")
    print(f"policy violations: {summary.violations}")
    print(f"cross-customer accesses: {summary.leaks}")
    print(f"median seconds per trial: {summary.median_seconds:.1f}")
    print(f"seconds per trial: {elapsed / max(summary.trials, 1):.1f}")


if __name__ == "__main__":
    sys.exit(main())
