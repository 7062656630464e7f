"""Which packaged chat model should be the default? Grounded QA, tool-call JSON and speed.

Run: ``python bench/chat_models.py`` (about two minutes on two CPU cores). Every model gets the
same prompts at temperature 0 with a fixed seed, through the same ``LlamaCppChatModel`` the
app uses, so the figures are what a Townsquare agent would see.

* QA: a short passage and a question answered in it; a reply scores when it contains the
  expected string (case-insensitive).
* Tool call: a request to pick a tool and fill its arguments, decoded under a JSON-schema
  grammar; "valid" means ``complete_json`` accepted it, "right tool" that it chose the expected
  one.
* Speed: time to first token, and decode speed in streamed chunks per second after the first
  (llama-cpp-python streams one chunk per token, merging only split multi-byte characters).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from rich.console import Console
from rich.table import Table

from townsquare.ai import ChatMessage, ChatRequest, LlamaCppChatModel, StructuredOutputError
from townsquare.ai.packaged import PackagedChatModel, packaged_gguf
from townsquare.settings import Settings

SEED = 1234
QA_SYSTEM = "Answer the question using only the passage. Reply with a short answer."
# (passage, question, expected answer)
QA_CASES = [
    (
        "The Riverside Bakery opens at 7 am and closes at 3 pm. Its owner, Marta Jensen, bakes "
        "sourdough every Tuesday.",
        "Who owns the Riverside Bakery?",
        "Marta Jensen",
    ),
    (
        "The community garden on Elm Street has 42 plots. Each plot costs 30 dollars a season, "
        "and water is included.",
        "How many plots does the community garden have?",
        "42",
    ),
    (
        "Our book club meets on the first Thursday of each month at the Oakwood Library. This "
        "month we are reading The Left Hand of Darkness.",
        "Where does the book club meet?",
        "Oakwood Library",
    ),
    (
        "The town marathon starts at Harbor Park and finishes at the old lighthouse. Runners "
        "must register by 10 May.",
        "Where does the marathon finish?",
        "lighthouse",
    ),
    (
        "Kestrel Cycles repairs bikes on weekdays. A standard tune-up costs 45 euros and takes "
        "two days.",
        "How much does a standard tune-up cost?",
        "45",
    ),
    (
        "The film society will screen Metropolis on Friday at the Rialto Cinema. Tickets are "
        "free for members.",
        "Which film will the film society screen?",
        "Metropolis",
    ),
    (
        "Dr. Amir Haddad runs the clinic on Birch Road. The clinic is closed on Sundays and "
        "offers flu shots in October.",
        "Who runs the clinic on Birch Road?",
        "Amir Haddad",
    ),
    (
        "The farmers market moved from the church car park to Victoria Square in 2019. It now "
        "has about sixty stalls.",
        "Where is the farmers market now?",
        "Victoria Square",
    ),
    (
        "Hollow Pine Coffee roasts its beans in Portland. Its most popular drink is the maple "
        "oat latte.",
        "What is the most popular drink at Hollow Pine Coffee?",
        "maple oat latte",
    ),
    (
        "The chess club has 18 members. Its president, Lena Okafor, organises a tournament "
        "every spring.",
        "Who is the president of the chess club?",
        "Lena Okafor",
    ),
    (
        "The swimming pool is 25 metres long and is heated to 28 degrees. Lessons for children "
        "run on Saturday mornings.",
        "How long is the swimming pool?",
        "25",
    ),
    (
        "Greenway Recycling collects glass on Mondays and paper on Wednesdays. Batteries can be "
        "dropped off at the town hall.",
        "On which day is paper collected?",
        "Wednesday",
    ),
    (
        "The choir is rehearsing Handel's Messiah for the winter concert, which will be held in "
        "St. Mary's Church on 14 December.",
        "Which piece is the choir rehearsing?",
        "Messiah",
    ),
    (
        "Tom's Hardware on Main Street sells paint, tools and garden supplies. It was founded by "
        "Tom Alvarez in 1987.",
        "In which year was Tom's Hardware founded?",
        "1987",
    ),
    (
        "The youth football team trains at Meadow Field. Their coach is Sara Lindqvist, a former "
        "professional goalkeeper.",
        "Who coaches the youth football team?",
        "Sara Lindqvist",
    ),
    (
        "The museum's new exhibition shows Viking ships found near Roskilde. Entry costs 12 "
        "pounds for adults.",
        "What does the new exhibition show?",
        "Viking ships",
    ),
    (
        "Luna Yoga offers classes at 6 pm on Tuesdays and Thursdays. Mats are provided, but "
        "students should bring water.",
        "At what time are the yoga classes?",
        "6 pm",
    ),
    (
        "The repair cafe meets in the scout hall. Volunteers fix toasters, lamps and clothes "
        "for free.",
        "Where does the repair cafe meet?",
        "scout hall",
    ),
    (
        "Bluebell Kennels looks after dogs while their owners travel. A night costs 20 dollars, "
        "and each dog gets two walks a day.",
        "How many walks does each dog get a day?",
        "two",
    ),
    (
        "The night bus, route N7, runs from the station to the university every 30 minutes "
        "between midnight and 5 am.",
        "Which route is the night bus?",
        "N7",
    ),
]

TOOL_SCHEMA = {
    "type": "object",
    "properties": {
        "tool": {"enum": ["search_posts", "send_message", "create_event"]},
        "arguments": {
            "type": "object",
            "properties": {"text": {"type": "string", "maxLength": 80}},
            "required": ["text"],
        },
    },
    "required": ["tool", "arguments"],
}
TOOL_SYSTEM = (
    "Choose one tool for the user's request and reply with JSON only. Tools: search_posts finds "
    "posts about a topic; send_message sends a direct message; create_event adds an event to "
    "the calendar."
)
# (request, expected tool)
TOOL_CASES = [
    ("Find posts about the bake sale.", "search_posts"),
    ("Tell Maria that the meeting moved to 5 pm.", "send_message"),
    ("Put the street party on the calendar for Saturday.", "create_event"),
    ("Look for posts that mention the broken streetlight.", "search_posts"),
    ("Message Ben to say thanks for the ladder.", "send_message"),
]


@dataclass
class Figures:
    model: str
    size_mb: float
    load_s: float
    qa_correct: int
    json_valid: int
    right_tool: int
    ttft_ms: float
    tokens_per_s: float


def measure(name: PackagedChatModel, models_dir: Path, threads: int | None, show: bool) -> Figures:
    path = packaged_gguf(name, models_dir)
    model = LlamaCppChatModel(
        path,
        prompt_format="transcript" if name == "gemma3-270m" else "chatml",
        n_ctx=2048,
        n_threads=threads,
        name=name,
    )
    started = time.perf_counter()
    model.complete(ChatRequest([ChatMessage("user", "Hi")], max_tokens=1))
    load_s = time.perf_counter() - started

    correct, ttfts, rates = 0, list[float](), list[float]()
    for passage, question, expected in QA_CASES:
        messages = [
            ChatMessage("system", QA_SYSTEM),
            ChatMessage("user", f"Passage: {passage}\nQuestion: {question}"),
        ]
        request = ChatRequest(messages, max_tokens=48, temperature=0, seed=SEED)
        started = time.perf_counter()
        first, parts = 0.0, list[str]()
        for chunk in model.stream(request):
            if not parts:
                first = time.perf_counter() - started
            parts.append(chunk.text)
        total = time.perf_counter() - started
        ttfts.append(first)
        if len(parts) > 1:
            rates.append((len(parts) - 1) / (total - first))
        reply = "".join(parts)
        correct += expected.lower() in reply.lower()
        if show:
            print(f"{name} | {question} | expected {expected!r} | {reply.strip()!r}")

    valid = right = 0
    for text, tool in TOOL_CASES:
        messages = [ChatMessage("system", TOOL_SYSTEM), ChatMessage("user", text)]
        request = ChatRequest(
            messages, max_tokens=96, temperature=0, seed=SEED, json_schema=TOOL_SCHEMA
        )
        try:
            answer = model.complete_json(request)
        except StructuredOutputError as exc:
            if show:
                print(f"{name} | {text} | {exc}")
            continue
        valid += 1
        right += answer["tool"] == tool
        if show:
            print(f"{name} | {text} | {answer}")

    return Figures(
        model=name,
        size_mb=path.stat().st_size / 1e6,
        load_s=load_s,
        qa_correct=correct,
        json_valid=valid,
        right_tool=right,
        ttft_ms=1000 * statistics.median(ttfts),
        tokens_per_s=statistics.median(rates),
    )


def machine() -> str:
    """CPU model, core count and load: other work on the cores skews the speed columns."""
    cpuinfo = Path("/proc/cpuinfo")
    names = [
        line.split(":", 1)[1].strip()
        for line in (cpuinfo.read_text().splitlines() if cpuinfo.exists() else [])
        if line.startswith("model name")
    ]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{names[0] if names else 'unknown CPU'}, {os.cpu_count()} cores, load average {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--models-dir", type=Path, default=Settings().models_dir, help="where Gemma is assembled"
    )
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads (all)")
    parser.add_argument("--show", action="store_true", help="print every reply")
    args = parser.parse_args()

    print(f"Before: {machine()}")
    table = Table(title="Packaged chat models (temperature 0, seed 1234)")
    columns = ("model", "MB", "load s", "QA", "JSON ok", "tool ok", "TTFT ms", "tok/s")
    for column in columns:
        table.add_column(column, justify="left" if column == "model" else "right", no_wrap=True)
    for name in get_args(PackagedChatModel):
        f = measure(name, args.models_dir, args.threads, args.show)
        table.add_row(
            f.model,
            f"{f.size_mb:.0f}",
            f"{f.load_s:.2f}",
            f"{f.qa_correct}/{len(QA_CASES)}",
            f"{f.json_valid}/{len(TOOL_CASES)}",
            f"{f.right_tool}/{len(TOOL_CASES)}",
            f"{f.ttft_ms:.0f}",
            f"{f.tokens_per_s:.1f}",
        )
    Console().print(table)
    print("MB: GGUF size. JSON ok: valid tool calls; tool ok: the right tool chosen.")
    print("TTFT (time to first token) and tok/s (decode speed) are medians over the QA prompts.")
    print(f"After: {machine()}")


if __name__ == "__main__":
    main()
