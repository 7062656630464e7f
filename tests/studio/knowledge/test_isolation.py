"""Extraction in a child process under a CPU-time, wall-time and memory limit, at the lowest
CPU priority (issue 16, finding 2)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from tests.studio.knowledge.documents import hostile_pdf, pdf_bytes
from townsquare.errors import InvalidInput
from townsquare.settings import Settings
from townsquare.studio.knowledge.extract import Section
from townsquare.studio.knowledge.isolation import (
    ISOLATE_ABOVE_BYTES,
    READER,
    Cost,
    Limits,
    extract_bounded,
)

ROOMY = Limits(cpu_s=60, timeout_s=120.0, memory_mb=512)
UPLOADED = date(2026, 5, 20)


def test_the_limits_come_from_the_settings() -> None:
    assert Limits.from_settings(Settings()) == Limits(cpu_s=20, timeout_s=60.0, memory_mb=1024)


def test_a_hostile_pdf_fails_at_the_cpu_time_limit() -> None:
    data = hostile_pdf()
    assert len(data) < 16 * 1024  # ~10 KiB that cost pypdf ~25 s in-process
    cost = Cost()
    with pytest.raises(InvalidInput) as refused:
        extract_bounded(
            "hostile.pdf", data, uploaded=UPLOADED, limits=Limits(1, 120.0, 512), cost=cost
        )
    assert str(refused.value) == (
        "hostile.pdf needed more than 1 s of CPU time to read (the limit); "
        "split it into smaller files or upload its text as .txt"
    )
    assert 0.5 < cost.seconds < 2.5  # the CPU seconds the kernel counted for the reader


def test_a_hostile_pdf_fails_at_the_wall_time_limit() -> None:
    started = time.monotonic()
    cost = Cost()
    with pytest.raises(InvalidInput) as refused:
        extract_bounded(
            "hostile.pdf", hostile_pdf(), uploaded=UPLOADED, limits=Limits(60, 2.0, 512), cost=cost
        )
    assert time.monotonic() - started < 5.0
    assert 2.0 <= cost.seconds < 5.0  # killed at the limit: the time it held the worker
    assert str(refused.value) == (
        "hostile.pdf took longer than 2 s to read (the limit); "
        "split it into smaller files or upload its text as .txt"
    )


def test_a_file_that_needs_too_much_memory_fails_with_the_limit() -> None:
    text = ("word " * 2_000_000).encode()  # 10 MB of text held several times over while read
    cost = Cost()
    with pytest.raises(InvalidInput) as refused:
        extract_bounded(
            "big.html",
            b"<p>" + text + b"</p>",
            uploaded=UPLOADED,
            limits=Limits(60, 120.0, 64),
            cost=cost,
        )
    assert str(refused.value) == (
        "big.html needs more than 64 MiB of memory to read (the limit); split it into smaller files"
    )
    assert 0.0 < cost.seconds < 60.0  # what it used before it ran out


def test_an_ordinary_pdf_reads_the_same_as_in_process() -> None:
    data = pdf_bytes(["The kiln fires on Fridays.", "Glazes dry overnight."])
    cost = Cost(seconds=1.0)  # what earlier steps cost: added to, never reset
    sections = extract_bounded("studio.pdf", data, uploaded=UPLOADED, limits=ROOMY, cost=cost)
    assert sections == [
        Section("The kiln fires on Fridays.", "page 1"),
        Section("Glazes dry overnight.", "page 2"),
    ]
    assert 1.0 < cost.seconds < 61.0  # the child's CPU seconds, counted by the kernel


def test_the_readers_own_refusal_keeps_its_message() -> None:
    cost = Cost()
    with pytest.raises(InvalidInput, match=r"^broken\.pdf could not be read as a PDF"):
        extract_bounded(
            "broken.pdf", b"%PDF-1.4 not really", uploaded=UPLOADED, limits=ROOMY, cost=cost
        )
    assert 0.0 < cost.seconds < 60.0  # a refusal costs the reader's work too


def test_a_file_read_in_process_costs_this_threads_cpu_time() -> None:
    text = "\n\n".join(f"# Part {n}\n" + "clay and glaze " * 400 for n in range(100)).encode()
    assert len(text) <= ISOLATE_ABOVE_BYTES  # read in this thread, not in a child
    cost = Cost()
    sections = extract_bounded("notes.md", text, uploaded=UPLOADED, limits=ROOMY, cost=cost)
    assert len(sections) == 100
    assert 0.0 < cost.seconds < 60.0


def test_the_child_reads_a_date_without_a_year_before_the_upload() -> None:
    page = b"<h1>Fix-a-Flat</h1><p>Posted on Tue 4 Nov</p><p>Now \xc2\xa325.</p>"
    sections = extract_bounded("class.html", page, uploaded=UPLOADED, limits=ROOMY, cost=Cost())
    assert {s.dated for s in sections} == {date(2025, 11, 4)}


def _readers_policy() -> list[tuple[int, int]]:
    """(scheduling policy, niceness) of each child of this process reading a file right now."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == os.getpid() and READER.encode() in command:
            found.append((int(fields[38]), int(fields[16])))  # stat fields 41 and 19
    return found


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux scheduling policies")
def test_the_reader_runs_at_the_idle_scheduling_policy() -> None:
    """A hostile file must not take a core from request handling: the child moves itself to
    ``SCHED_IDLE`` before it imports a parser."""

    def read() -> None:
        with pytest.raises(InvalidInput):
            extract_bounded(
                "hostile.pdf",
                hostile_pdf(),
                uploaded=UPLOADED,
                limits=Limits(60, 3.0, 512),
                cost=Cost(),
            )

    reading = threading.Thread(target=read)
    reading.start()
    seen: set[int] = set()
    while reading.is_alive() and os.SCHED_IDLE not in seen:
        seen.update(policy for policy, _ in _readers_policy())
        time.sleep(0.01)
    reading.join()
    assert os.SCHED_IDLE in seen
    assert os.sched_getscheduler(0) != os.SCHED_IDLE  # the server itself is not moved


def test_where_idle_scheduling_is_refused_the_reader_takes_niceness_19() -> None:
    """Run in a process of its own: a process cannot raise its priority back."""
    script = (
        "import os\n"
        "def refuse(*args):\n"
        "    raise PermissionError(1, 'refused')\n"
        "os.sched_setscheduler = refuse\n"
        "from townsquare.studio.knowledge.reader import lowest_priority\n"
        "print(lowest_priority(), os.nice(0))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["nice", "19", "19"]
