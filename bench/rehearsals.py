"""The rehearsal benchmark: scripted members through the real rehearsal service and model.

Each script of ``evals/rehearsals/scripts.jsonl`` (members who ask well, badly, or go
off-script, in every scenario) starts a rehearsal, says its lines one by one, and finishes it.
The run is kept as JSON (``--out``), so the measures of ``evals/rehearsals/measures.py`` can be
recomputed from it (``--score FILE``) without running the model again:

- feedback contradictions: a point in both "worked" and "try";
- invented figures: a number in the feedback or its better phrasing that no member line has;
- "worked" points that cite no member line;
- the share of the other person's turns that address the member's last line;
- median seconds per reply (wall and this process's CPU time) and per feedback.

    nice -n 10 python -m bench.rehearsals --out /tmp/after.json [--limit 6] [--samples DIR]
        [--chat-model gemma3-270m]
    python -m bench.rehearsals --score /tmp/after.json   # the measures again, no model
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.progress import track

from evals.rehearsals.measures import SCRIPTS, Run, load_scripts, score, write_samples
from townsquare.ai import build_chat_model
from townsquare.ai.chat import ChatModel
from townsquare.db import Database
from townsquare.db.migrate import upgrade_to_head
from townsquare.settings import Settings
from townsquare.social import accounts
from townsquare.studio import rehearsal, rehearsal_feedback


def run_script(database: Database, model: ChatModel, script: dict[str, Any], n: int) -> Run:
    """One scripted rehearsal, timed per reply and for the feedback."""
    reply_seconds: list[float] = []
    reply_cpu_seconds: list[float] = []
    with database.session() as session:
        member = accounts.create_account(
            session, handle=f"member{n}", password="a rehearsal bench member", display_name="Ada"
        )
        started = rehearsal.start_rehearsal(
            session,
            member,
            script["scenario"],
            other_person=script.get("other_person"),
            title=script.get("title"),
            model=model,
        )
        for line in script["lines"]:
            clock, cpu_clock = time.perf_counter(), time.process_time()
            rehearsal.take_turn(session, member, started.id, line, model=model)
            reply_seconds.append(time.perf_counter() - clock)
            reply_cpu_seconds.append(time.process_time() - cpu_clock)
        clock = time.perf_counter()
        feedback = rehearsal_feedback.finish_rehearsal(session, member, started.id)
        feedback_seconds = time.perf_counter() - clock
        transcript = list(started.transcript)
    return Run(
        script=script,
        transcript=transcript,
        feedback=feedback.model_dump(by_alias=True),
        reply_seconds=reply_seconds,
        feedback_seconds=feedback_seconds,
        reply_cpu_seconds=reply_cpu_seconds,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="where to keep the run as JSON")
    parser.add_argument("--score", type=Path, help="score a kept run instead of running")
    parser.add_argument("--limit", type=int, default=0, help="the first N scripts only")
    parser.add_argument("--samples", type=Path, help="write 20 sample rehearsals here")
    parser.add_argument("--label", default="", help="the samples' heading, e.g. 'before'")
    parser.add_argument(
        "--chat-model", default="smollm2-135m", help="the packaged model: smollm2-135m, gemma3-270m"
    )
    args = parser.parse_args()
    settings = Settings(chat_model=args.chat_model)
    if args.score:
        runs = [Run(**item) for item in json.loads(args.score.read_text())["runs"]]
        model_name = json.loads(args.score.read_text())["model"]
    else:
        scripts = load_scripts(SCRIPTS)[: args.limit or None]
        model = build_chat_model(settings)
        model_name = model.name
        runs = []
        with tempfile.TemporaryDirectory() as tmp:
            database = Database(f"sqlite:///{tmp}/bench.db")
            upgrade_to_head(database)
            for n, script in enumerate(track(scripts, description="rehearsals")):
                runs.append(run_script(database, model, script, n))
                if args.out:  # kept as it goes: a long run stopped early still has its runs
                    kept = {"model": model_name, "runs": [run.as_dict() for run in runs]}
                    args.out.write_text(json.dumps(kept, indent=1, ensure_ascii=False))
            database.dispose()
    figures = score(runs)
    print(f"model: {model_name}, rehearsals: {len(runs)}")
    for name, value in figures.items():
        print(f"{name}: {value}")
    replies = [s for run in runs for s in run.reply_seconds]
    print(f"median seconds per reply: {statistics.median(replies):.2f}")
    cpu = [s for run in runs for s in run.reply_cpu_seconds]
    if cpu:
        print(f"median CPU seconds per reply: {statistics.median(cpu):.2f}")
    print(f"median seconds per feedback: {statistics.median(r.feedback_seconds for r in runs):.2f}")
    if args.samples:
        write_samples(runs, args.samples, args.label or "rehearsals")


if __name__ == "__main__":
    main()
