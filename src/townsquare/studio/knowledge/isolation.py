"""Extraction in a child process, under a CPU-time, a wall-time and a memory limit.

Parsers are where a hostile upload does its damage: a 10 KiB PDF of huge ``(A) Tj`` content
streams costs pypdf half a minute, and a deeply nested HTML page or a 50 MiB text file costs
memory and time before any embedding starts. So PDF, HTML and any file over
``ISOLATE_ABOVE_BYTES`` are read by a child process (``reader``) that runs at the lowest CPU
priority (``SCHED_IDLE``: it gets a core only when nothing else wants it), stops itself at
``TOWNSQUARE_KNOWLEDGE_EXTRACT_CPU_S`` seconds of CPU time and
``TOWNSQUARE_KNOWLEDGE_EXTRACT_MEMORY_MB`` of address space, and that the parent kills when it
runs past ``TOWNSQUARE_KNOWLEDGE_EXTRACT_TIMEOUT_S`` of wall time. The ingest worker's thread
only waits on a pipe, so nothing else in the server slows, and the source fails with a message
saying which limit the file ran into.

What reading a file cost is added to a ``Cost`` the caller passes, whether it succeeds or not:
the child's CPU seconds (user + system) as the kernel counted them when the child was reaped,
also when the CPU or memory limit stopped it; the wall time, when the file held the ingest
worker to the wall-time limit; a file read in-process, this thread's CPU seconds. The ingest
worker charges it to the uploader (``social.quotas``).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from townsquare.errors import InvalidInput
from townsquare.settings import Settings
from townsquare.studio.knowledge.extract import Section, extract, file_format
from townsquare.studio.knowledge.reader import OUT_OF_MEMORY

ISOLATE_ABOVE_BYTES = 1024 * 1024  # plain text, Markdown, FAQ and CSV files up to this: in-process
_ISOLATED_FORMATS = ("pdf", "html")
READER = "townsquare.studio.knowledge.reader"
IN_PROCESS_HOLD_S = 1.0
IN_PROCESS_HOLD_S_PER_KIB = 0.05


@dataclass
class Cost:
    """Seconds of work spent on one file so far, added to as each step finishes."""

    seconds: float = 0.0


@dataclass(frozen=True)
class Limits:
    """What reading one file in the child may take."""

    cpu_s: int
    timeout_s: float
    memory_mb: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            cpu_s=settings.knowledge_extract_cpu_s,
            timeout_s=settings.knowledge_extract_timeout_s,
            memory_mb=settings.knowledge_extract_memory_mb,
        )


@dataclass
class _Ended:
    status: int  # as ``Popen.returncode``: the exit code, or minus the signal that ended it
    cpu_s: float
    timed_out: bool
    stdout: bytes


def read_in_child(filename: str, data: bytes) -> bool:
    """Whether ``extract_bounded`` reads this file in the child process (PDF, HTML, large)."""
    kind, _ = file_format(filename, data)
    return kind in _ISOLATED_FORMATS or len(data) > ISOLATE_ABOVE_BYTES


def held_seconds(filename: str, data: bytes, limits: Limits) -> float:
    """What a queued file is charged until it is read (``quotas.hold_ingest``): the wall limit
    for a file the child reads (a hostile one can use all of it); for text read in this
    process, ``IN_PROCESS_HOLD_S`` and ``IN_PROCESS_HOLD_S_PER_KIB`` (embedding it), never more
    than the limit. A creator's first dozens of small notes fit one hour's quota; a queue of
    hostile PDFs does not."""
    if read_in_child(filename, data):
        return limits.timeout_s
    estimate = IN_PROCESS_HOLD_S + IN_PROCESS_HOLD_S_PER_KIB * len(data) / 1024
    return min(limits.timeout_s, estimate)


def extract_bounded(
    filename: str, data: bytes, *, uploaded: date, limits: Limits, cost: Cost
) -> list[Section]:
    """``extract(filename, data, uploaded=...)``, in a child process for PDF, HTML and large
    files; a file that runs past a limit raises ``InvalidInput`` naming the limit. What the
    reading cost is added to ``cost``, also when it fails."""
    if not read_in_child(filename, data):
        started = time.thread_time()
        try:
            return extract(filename, data, uploaded=uploaded)
        finally:
            cost.seconds += time.thread_time() - started
    header = {
        "filename": filename,
        "uploaded": uploaded.isoformat(),
        "cpu_s": limits.cpu_s,
        "memory_mb": limits.memory_mb,
    }
    started = time.monotonic()
    ended = _run_reader(json.dumps(header).encode() + b"\n" + data, limits.timeout_s)
    if ended.timed_out:  # it held the ingest worker to the limit: charged that
        cost.seconds += time.monotonic() - started
        raise InvalidInput(
            f"{filename} took longer than {limits.timeout_s:g} s to read (the limit); "
            "split it into smaller files or upload its text as .txt"
        )
    cost.seconds += ended.cpu_s
    if ended.status == -signal.SIGXCPU or (
        ended.status == -signal.SIGKILL and ended.cpu_s >= limits.cpu_s
    ):
        raise InvalidInput(
            f"{filename} needed more than {limits.cpu_s} s of CPU time to read (the limit); "
            "split it into smaller files or upload its text as .txt"
        )
    if ended.status == OUT_OF_MEMORY:
        raise InvalidInput(
            f"{filename} needs more than {limits.memory_mb} MiB of memory to read (the limit); "
            "split it into smaller files"
        )
    try:
        answer: dict[str, Any] = json.loads(ended.stdout) if ended.status == 0 else {}
    except ValueError:
        answer = {}
    if "error" in answer:
        raise InvalidInput(answer["error"])
    if "sections" not in answer:
        raise InvalidInput(
            f"{filename} could not be read: the reader stopped with status {ended.status}"
        )
    return [
        Section(text, locator, keep, date.fromisoformat(dated) if dated else None)
        for text, locator, keep, dated in answer["sections"]
    ]


def _run_reader(given: bytes, timeout_s: float) -> _Ended:
    """Runs the reader on ``given``, killed after ``timeout_s``; reaped here with ``wait4``,
    which gives its CPU time even when it was killed. The child reads all its input before it
    writes anything, so writing then reading cannot deadlock; its stderr is the server's."""
    child = subprocess.Popen(
        [sys.executable, "-m", READER], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert child.stdin is not None and child.stdout is not None
    guard = threading.Lock()  # the timer never signals a pid this thread has reaped
    timed_out = threading.Event()

    def expire() -> None:
        with guard:
            if child.returncode is None:
                timed_out.set()
                child.kill()

    timer = threading.Timer(timeout_s, expire)
    timer.start()
    try:
        # BrokenPipeError: the child ended before it read everything.
        with contextlib.suppress(BrokenPipeError), child.stdin:
            child.stdin.write(given)
        with child.stdout:
            stdout = child.stdout.read()
    except BaseException:
        child.kill()
        raise
    finally:
        timer.cancel()
        with guard:
            _, wait_status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(wait_status)
    return _Ended(child.returncode, usage.ru_utime + usage.ru_stime, timed_out.is_set(), stdout)
