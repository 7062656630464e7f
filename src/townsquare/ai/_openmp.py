"""Keep OpenMP worker threads from spinning, before llama.cpp or torch loads its OpenMP runtime.

By default libgomp's idle threads spin. When another process holds one of the cores, that
spinning starves the thread everyone waits for: on a 2-core machine next to a busy neighbour,
32 tokens of SmolLM2 took 108 s with two llama.cpp threads and 0.6 s with
``OMP_WAIT_POLICY=PASSIVE``. The runtime reads the variable once, when it loads, so this must run
before the first import of ``llama_cpp`` or ``torch``; an explicit setting is left alone.
"""

from __future__ import annotations

import os


def passive_openmp() -> None:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
