"""Extraction in a child process, under a wall-time and a memory limit.

Parsers are where a hostile upload does its damage: a 10 KiB PDF of huge ``(A) Tj`` content
streams costs pypdf half a minute, and a deeply nested HTML page or a 50 MiB text file costs
memory and time before any embedding starts. So PDF, HTML and any file over
``ISOLATE_ABOVE_BYTES`` are read by ``python -m townsquare.studio.knowledge.isolation`` in a
child process that lowers its own priority and caps its address space
(``TOWNSQUARE_KNOWLEDGE_EXTRACT_MEMORY_MB``), and that the parent kills when it runs past
``TOWNSQUARE_KNOWLEDGE_EXTRACT_TIMEOUT_S``. The ingest worker's thread only waits on a pipe,
so nothing else in the server slows, and the source fails with a message saying which limit
the file ran into.

What reading a file cost is added to a ``Cost`` the caller passes, whether it succeeds or not:
the child's CPU seconds (user + system, which it reports itself), or the wall time it ran when
it answered nothing (killed at the limit, out of memory); a file read in-process, this thread's
CPU seconds. The ingest worker charges it to the uploader (``social.quotas``).

The protocol is plain: the child reads a JSON header line (file name, memory limit) and the
file's bytes on stdin, and writes one JSON object on stdout: ``{"sections": [[text, locator,
keep_whole, dated], ...], "cpu_s": seconds}`` or ``{"error": message, "cpu_s": seconds}`` for
an ``InvalidInput``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from townsquare.errors import InvalidInput
from townsquare.studio.knowledge.extract import Section, extract, file_format

ISOLATE_ABOVE_BYTES = 1024 * 1024  # plain text, Markdown, FAQ and CSV files up to this: in-process
_ISOLATED_FORMATS = ("pdf", "html")
_OUT_OF_MEMORY = 3  # the child's exit status when the memory limit stopped it
CHILD_NICENESS = 10  # added to the server's niceness: requests come first on a busy machine


@dataclass
class Cost:
    """Seconds of work spent on one file so far, added to as each step finishes."""

    seconds: float = 0.0


def extract_bounded(
    filename: str, data: bytes, *, timeout_s: float, memory_mb: int, cost: Cost
) -> list[Section]:
    """``extract(filename, data)``, in a child process for PDF, HTML and large files; a file
    that runs past either limit raises ``InvalidInput`` naming the limit. What the reading
    cost is added to ``cost``, also when it fails."""
    kind, _ = file_format(filename, data)
    if kind not in _ISOLATED_FORMATS and len(data) <= ISOLATE_ABOVE_BYTES:
        started = time.thread_time()
        try:
            return extract(filename, data)
        finally:
            cost.seconds += time.thread_time() - started
    header = json.dumps({"filename": filename, "memory_mb": memory_mb}).encode() + b"\n"
    started = time.monotonic()
    try:
        child = subprocess.run(
            [sys.executable, "-m", __name__],
            input=header + data,
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as error:  # run() has killed the child
        cost.seconds += time.monotonic() - started
        raise InvalidInput(
            f"{filename} took longer than {timeout_s:g} s to read (the limit); "
            "split it into smaller files or upload its text as .txt"
        ) from error
    try:
        answer: dict[str, Any] = json.loads(child.stdout)
    except ValueError:
        answer = {}
    cost.seconds += answer["cpu_s"] if "cpu_s" in answer else time.monotonic() - started
    if child.returncode == _OUT_OF_MEMORY:
        raise InvalidInput(
            f"{filename} needs more than {memory_mb} MiB of memory to read (the limit); "
            "split it into smaller files"
        )
    if "sections" not in answer and "error" not in answer:
        raise InvalidInput(
            f"{filename} could not be read: the reader stopped with status {child.returncode}"
        )
    if "error" in answer:
        raise InvalidInput(answer["error"])
    return [
        Section(text, locator, keep, date.fromisoformat(dated) if dated else None)
        for text, locator, keep, dated in answer["sections"]
    ]


def _child() -> int:
    """The child's side: limits first, then read, extract and answer."""
    import resource

    header = json.loads(sys.stdin.buffer.readline())
    data = sys.stdin.buffer.read()
    limit = int(header["memory_mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.nice(CHILD_NICENESS)
    try:
        sections = extract(header["filename"], data)
        answer: dict[str, Any] = {
            "sections": [
                [s.text, s.locator, s.keep_whole, s.dated.isoformat() if s.dated else None]
                for s in sections
            ]
        }
    except InvalidInput as error:
        answer = {"error": str(error)}
    except MemoryError:
        return _OUT_OF_MEMORY
    usage = resource.getrusage(resource.RUSAGE_SELF)
    answer["cpu_s"] = usage.ru_utime + usage.ru_stime
    sys.stdout.buffer.write(json.dumps(answer).encode())
    return 0


if __name__ == "__main__":
    sys.exit(_child())
