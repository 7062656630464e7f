from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from townsquare import cpu

AVX2_ONLY = "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n\nprocessor\t: 1\nflags\t: fpu\n"
SAPPHIRE = "processor\t: 0\nflags\t\t: avx2 avx512f avx512_bf16 amx_bf16 amx_tile\n"


def _cpu(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str | None) -> None:
    info = tmp_path / "cpuinfo"
    if text is not None:
        info.write_text(text)
    monkeypatch.setattr(cpu, "CPUINFO", info)
    cpu.cpu_flags.cache_clear()  # and again after the test (_fresh_cache)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    yield
    cpu.cpu_flags.cache_clear()


def test_the_first_cpus_flags_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _cpu(monkeypatch, tmp_path, AVX2_ONLY)
    assert cpu.cpu_flags() == frozenset({"fpu", "sse2", "avx", "avx2", "fma"})
    assert not cpu.has_fast_bfloat16()


def test_avx512_bf16_or_amx_makes_bfloat16_fast(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _cpu(monkeypatch, tmp_path, SAPPHIRE)
    assert cpu.has_fast_bfloat16()


def test_no_cpuinfo_means_no_flags(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _cpu(monkeypatch, tmp_path, None)
    assert cpu.cpu_flags() == frozenset() and not cpu.has_fast_bfloat16()
