"""The reading child of ``isolation``: ``python -m townsquare.studio.knowledge.reader``.

Before it imports a parser it moves itself to the lowest CPU priority there is
(``SCHED_IDLE`` on Linux, which runs only when no other process wants the core; else
``nice 19``), so a hostile file never takes a core from request handling. After reading its
input it caps its own CPU time (``RLIMIT_CPU``: ``SIGXCPU`` at the limit, ``SIGKILL`` a second
later) and address space (``RLIMIT_AS``), with no core file. The parent adds the wall-time
limit and reads what the child cost from the kernel when it reaps it.

Input on stdin: one JSON header line ``{"filename", "uploaded", "cpu_s", "memory_mb"}``
(``uploaded``: an ISO date), then the file's bytes. Output on stdout:
``{"sections": [[text, locator, keep_whole, dated], ...]}``, or ``{"error": message}`` for an
``InvalidInput``; exit status ``OUT_OF_MEMORY`` when the memory limit stopped it.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
from datetime import date
from typing import Any

OUT_OF_MEMORY = 3  # the exit status when the memory limit stopped the reading


def lowest_priority() -> str:
    """Moves this process to the lowest CPU priority the system allows; returns which."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        return "SCHED_IDLE"
    except (AttributeError, OSError):  # not Linux, or refused (a seccomp filter)
        os.nice(19 - os.nice(0))
        return "nice 19"


def main() -> int:
    lowest_priority()
    from townsquare.errors import InvalidInput
    from townsquare.studio.knowledge.extract import PARSER_MODULES, extract

    for module in PARSER_MODULES:
        importlib.import_module(module)

    header = json.loads(sys.stdin.buffer.readline())
    data = sys.stdin.buffer.read()
    uploaded = date.fromisoformat(header["uploaded"])
    cpu_s, memory = int(header["cpu_s"]), int(header["memory_mb"]) * 2**20
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))  # counts from the start
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        try:
            answer: dict[str, Any] = {
                "sections": [
                    [s.text, s.locator, s.keep_whole, s.dated.isoformat() if s.dated else None]
                    for s in extract(header["filename"], data, uploaded=uploaded)
                ]
            }
        except InvalidInput as error:
            answer = {"error": str(error)}
        out = json.dumps(answer).encode()
    except MemoryError:
        return OUT_OF_MEMORY
    sys.stdout.buffer.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
