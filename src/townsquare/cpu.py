"""What this CPU does fast, read at run time, so that a numeric recipe is never fast on one CPU
and many times slower on another (bfloat16 matrix products are native only with AVX512-BF16 or
AMX; elsewhere oneDNN emulates them)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

CPUINFO = Path("/proc/cpuinfo")
BFLOAT16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


@cache
def cpu_flags() -> frozenset[str]:
    """The feature flags of the first CPU in ``/proc/cpuinfo`` (empty where there is none)."""
    try:
        text = CPUINFO.read_text(errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "flags":
            return frozenset(value.split())
    return frozenset()


def has_fast_bfloat16() -> bool:
    """Whether bfloat16 matrix products run natively here (AVX512-BF16 or AMX)."""
    return bool(BFLOAT16_FLAGS & cpu_flags())
