"""Characters worth talking to: ten characters x two scripted 6-line member conversations
(``evals/characters``) through the real reply pipeline (``run_reply``) on the embedded model.
Each conversation starts as the app's threads do, with the card's greeting as the agent's turn.

Figures per reply, averaged (definitions in ``evals/characters/scoring.py``; how the two
embedding judges were validated on hand labels in ``evals/characters/judges.py``): repeated
4-word sequence share in what the member sees (and in what the model wrote, before the loop
trimmer), replies over the persona's sentence limit, on the member's topic, in the character's
voice, words, and seconds (median, wall and CPU). Writes the
conversations to ``--samples`` as markdown for people to read (and as JSON lines, to label).

    nice -n 10 python -m bench.characters [--model gemma3-270m] [--drafts 4] [--characters 3] \
        [--fresh | --fresh2 | --fresh3 | --fresh4] [--samples docs/samples/characters/after.md]
    python -m bench.characters --score docs/samples/characters/after.jsonl  # no model
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

from evals.characters import (
    FRESH,
    FRESH2,
    FRESH3,
    FRESH4,
    Character,
    Script,
    characters,
    fresh_conversations,
    scripts,
)
from evals.characters.scoring import Said, judge, threshold_judge
from townsquare.ai import build_chat_model, build_embedder
from townsquare.ai.chat import ChatChunk, ChatModel, ChatRequest
from townsquare.ai.embeddings import Embedder
from townsquare.settings import Settings
from townsquare.studio.conversation.degeneration import repeated_ngram_share, sentences
from townsquare.studio.conversation.macros import expand
from townsquare.studio.conversation.memory import Turn
from townsquare.studio.conversation.persona import Persona
from townsquare.studio.conversation.pipeline import run_reply
from townsquare.studio.conversation.types import Reply, ReplyInput

MEMBER = "Sam"  # the member's display name in every scripted conversation


class Recorder(ChatModel):
    """Passes requests to ``inner`` and keeps the text the model wrote for each request since
    ``written`` was last cleared (one per draft)."""

    def __init__(self, inner: ChatModel) -> None:
        self.inner = inner
        self.name = inner.name
        self.context_tokens = inner.context_tokens
        self.written: list[str] = []

    def stream(self, request: ChatRequest) -> Iterator[ChatChunk]:
        self.written.append("")
        for chunk in self.inner.stream(request):
            self.written[-1] += chunk.text
            yield chunk

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


@dataclass(frozen=True)
class Exchange:
    character: Character
    script: str
    member: str
    reply: str
    written: tuple[str, ...]  # what the model wrote, each draft, before any trimming
    seconds: float
    cpu_seconds: (
        float  # this process's CPU time (every thread), steadier than wall on a shared machine
    )


def opening(persona: Persona, member_name: str) -> list[Turn]:
    """The thread before the member's first line: the card's greeting as the agent's first
    turn, its macros read as the app does (``studio.dm.agent_threads.open_agent_thread``)."""
    if not persona.greeting:
        return []
    return [Turn("agent", expand(persona.greeting, char=persona.name, user=member_name))]


def converse(
    character: Character, script: Script, model: Recorder, embedder: Embedder, drafts: int
) -> list[Exchange]:
    history = opening(character.persona, MEMBER)
    done = []
    for line in script.lines:
        start, cpu = time.perf_counter(), time.process_time()
        model.written.clear()
        *_, reply = run_reply(
            ReplyInput(character.persona, line, list(history), member_name=MEMBER),
            model=model,
            retriever=None,
            embedder=embedder,
            drafts=drafts,
        )
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert isinstance(reply, Reply)
        done.append(
            Exchange(character, script.name, line, reply.text, tuple(model.written), seconds, cpu)
        )
        history += [Turn("member", line), Turn("agent", reply.text)]
    return done


def scores(exchanges: list[Exchange]) -> dict[str, float]:
    """The figures of the table (the judges of topic and voice: ``scoring.judge``); the
    repetition of what the model wrote is over every draft."""
    on_topic, in_voice = judge(
        [Said(e.character.persona.name, e.member, e.reply) for e in exchanges]
    )
    over = [len(sentences(e.reply)) > e.character.persona.reply_sentences for e in exchanges]
    return {
        "4-gram repetition (shown)": statistics.mean(
            repeated_ngram_share(e.reply) for e in exchanges
        ),
        "4-gram repetition (written)": statistics.mean(
            repeated_ngram_share(draft) for e in exchanges for draft in e.written
        ),
        "over the sentence limit": float(sum(over)),
        "on topic": statistics.mean(on_topic),
        "in voice": statistics.mean(in_voice),
        "words per reply": statistics.mean(len(e.reply.split()) for e in exchanges),
        "seconds per reply (median)": statistics.median(e.seconds for e in exchanges),
        "CPU seconds per reply (median)": statistics.median(e.cpu_seconds for e in exchanges),
    }


def rescore(path: Path) -> None:
    """On topic and in voice of a kept run (the ``.jsonl`` beside ``--samples``), by the
    current judges and by the earlier ones, without running the model."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    said = [Said(r["character"], r["member"], r["reply"]) for r in rows]
    for name, (on_topic, in_voice) in (("judges", judge(said)), ("earlier", threshold_judge(said))):
        print(
            f"{path}: {len(rows)} replies, {name}: on topic {statistics.mean(on_topic):.3f},"
            f" in voice {statistics.mean(in_voice):.3f}"
        )
    print(f"CPU seconds per reply (median) {statistics.median(r['cpu_seconds'] for r in rows):.2f}")


def write_samples(path: Path, exchanges: list[Exchange], title: str) -> None:
    out = [f"# {title}\n"]
    current = None
    for e in exchanges:
        key = (e.character.persona.handle, e.script)
        if key != current:
            current = key
            persona = e.character.persona
            out.append(f"\n## {persona.name} ({e.character.source}), {e.script} chat\n")
            out += [f"**{persona.name}:** {turn.text}\n" for turn in opening(persona, MEMBER)]
        out.append(f"**Member:** {e.member}\n\n**{e.character.persona.name}:** {e.reply}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out))
    rows = [
        {
            "character": e.character.persona.name,
            "script": e.script,
            "member": e.member,
            "reply": e.reply,
            "cpu_seconds": round(e.cpu_seconds, 2),
        }
        for e in exchanges
    ]
    path.with_suffix(".jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="smollm2-135m", choices=["smollm2-135m", "gemma3-270m"])
    parser.add_argument(
        "--drafts", type=int, default=Settings().chat_drafts, help="drafts per reply (choosing)"
    )
    parser.add_argument("--characters", type=int, default=10, help="the first N characters")
    parser.add_argument("--scripts", nargs="+", default=["topical", "everyday"])
    fresh = parser.add_mutually_exclusive_group()
    fresh.add_argument(
        "--fresh", action="store_true", help="the fresh set (evals/characters/fresh) instead"
    )
    fresh.add_argument(
        "--fresh2", action="store_true", help="the held-back check set (evals/characters/fresh2)"
    )
    fresh.add_argument(
        "--fresh3", action="store_true", help="voice14's check set (evals/characters/fresh3)"
    )
    fresh.add_argument(
        "--fresh4", action="store_true", help="voice15's check set (evals/characters/fresh4)"
    )
    parser.add_argument("--samples", type=Path, help="write the conversations here (markdown)")
    parser.add_argument("--title", default="Character conversations")
    parser.add_argument("--score", type=Path, help="rescore a kept run's .jsonl instead")
    args = parser.parse_args()
    if args.score:
        rescore(args.score)
        return
    settings = Settings(chat_model=args.model)
    model = Recorder(build_chat_model(settings))
    embedder = build_embedder(settings)
    cast = characters()[: args.characters]
    # Script by script, so that a run cut short has covered every character.
    plan = [
        (c, s) for name in args.scripts for c in cast for s in scripts(c.persona) if s.name == name
    ]
    chosen = {FRESH: args.fresh, FRESH2: args.fresh2, FRESH3: args.fresh3, FRESH4: args.fresh4}
    if folder := next((f for f, on in chosen.items() if on), None):
        plan = fresh_conversations(folder)[: args.characters]
    exchanges: list[Exchange] = []
    for character, script in track(plan, description="conversations"):
        exchanges += converse(character, script, model, embedder, args.drafts)
        if args.samples:  # after each conversation, so that a run cut short leaves some
            write_samples(args.samples, exchanges, args.title)
            figures = scores(exchanges)
            print(f"after {len(exchanges)} replies:", {k: round(v, 3) for k, v in figures.items()})
    console = Console()
    table = Table(
        title=f"{args.model}, {args.drafts} drafts: {len(plan)} conversations,"
        f" {len(exchanges)} replies"
    )
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in scores(exchanges).items():
        table.add_row(name, f"{value:.3f}")
    console.print(table)


if __name__ == "__main__":
    main()
