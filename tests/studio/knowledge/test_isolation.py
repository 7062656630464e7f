"""Extraction in a child process under a wall-time and memory limit (issue 16, finding 2)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from tests.studio.knowledge.documents import hostile_pdf, pdf_bytes
from townsquare.errors import InvalidInput
from townsquare.studio.knowledge.extract import Section
from townsquare.studio.knowledge.isolation import (
    CHILD_NICENESS,
    ISOLATE_ABOVE_BYTES,
    Cost,
    extract_bounded,
)


def test_a_hostile_pdf_fails_within_the_time_limit() -> None:
    data = hostile_pdf()
    assert len(data) < 16 * 1024  # ~10 KiB that cost pypdf ~25 s in-process
    started = time.monotonic()
    cost = Cost()
    with pytest.raises(InvalidInput) as refused:
        extract_bounded("hostile.pdf", data, timeout_s=2.0, memory_mb=512, cost=cost)
    assert time.monotonic() - started < 5.0
    assert 2.0 <= cost.seconds < 5.0  # killed at the limit: the time it held the worker
    assert str(refused.value) == (
        "hostile.pdf took longer than 2 s to read (the limit); "
        "split it into smaller files or upload its text as .txt"
    )


def test_a_file_that_needs_too_much_memory_fails_with_the_limit() -> None:
    text = ("word " * 2_000_000).encode()  # 10 MB of text held several times over while read
    with pytest.raises(InvalidInput) as refused:
        extract_bounded(
            "big.html", b"<p>" + text + b"</p>", timeout_s=60.0, memory_mb=64, cost=Cost()
        )
    assert str(refused.value) == (
        "big.html needs more than 64 MiB of memory to read (the limit); split it into smaller files"
    )


def test_an_ordinary_pdf_reads_the_same_as_in_process() -> None:
    data = pdf_bytes(["The kiln fires on Fridays.", "Glazes dry overnight."])
    cost = Cost(seconds=1.0)  # what earlier steps cost: added to, never reset
    sections = extract_bounded("studio.pdf", data, timeout_s=30.0, memory_mb=512, cost=cost)
    assert sections == [
        Section("The kiln fires on Fridays.", "page 1"),
        Section("Glazes dry overnight.", "page 2"),
    ]
    assert 1.0 < cost.seconds < 31.0  # the child's own CPU seconds, reported with its answer


def test_the_readers_own_refusal_keeps_its_message() -> None:
    cost = Cost()
    with pytest.raises(InvalidInput, match=r"^broken\.pdf could not be read as a PDF"):
        extract_bounded(
            "broken.pdf", b"%PDF-1.4 not really", timeout_s=30.0, memory_mb=512, cost=cost
        )
    assert 0.0 < cost.seconds < 30.0  # a refusal costs the reader's work too


def test_a_file_read_in_process_costs_this_threads_cpu_time() -> None:
    text = "\n\n".join(f"# Part {n}\n" + "clay and glaze " * 400 for n in range(100)).encode()
    assert len(text) <= ISOLATE_ABOVE_BYTES  # read in this thread, not in a child
    cost = Cost()
    sections = extract_bounded("notes.md", text, timeout_s=30.0, memory_mb=512, cost=cost)
    assert len(sections) == 100
    assert 0.0 < cost.seconds < 30.0


def _readers_niceness() -> list[int]:
    """The niceness of each child of this process that is reading a file right now."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == os.getpid() and b"townsquare.studio.knowledge.isolation" in command:
            found.append(int(fields[16]))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads niceness from /proc")
def test_the_reader_runs_at_a_lower_cpu_priority() -> None:
    """A hostile file must not take a core from request handling: the child lowers its own
    priority before it parses anything."""
    expected = min(19, os.nice(0) + CHILD_NICENESS)

    def read() -> None:
        with pytest.raises(InvalidInput):
            extract_bounded("hostile.pdf", hostile_pdf(), timeout_s=3.0, memory_mb=512, cost=Cost())

    reading = threading.Thread(target=read)
    reading.start()
    seen: set[int] = set()
    while reading.is_alive() and expected not in seen:
        seen.update(_readers_niceness())
        time.sleep(0.01)
    reading.join()
    assert expected in seen
    assert expected > os.nice(0)
