"""`townsquare doctor`'s chat-model check: where this CPU could run the model faster."""

from __future__ import annotations

import pytest

from townsquare import doctor


@pytest.mark.parametrize(
    ("binding", "flags", "hinted"),
    [
        ("cyllama", {"avx2", "fma", "avx512f"}, True),
        ("cyllama", {"avx2", "fma"}, False),
        ("llama-cpp-python", {"avx2", "avx512f"}, False),
    ],
)
def test_the_prebuilt_binding_on_an_avx512_cpu_names_the_faster_build(
    monkeypatch: pytest.MonkeyPatch, binding: str, flags: set[str], hinted: bool
) -> None:
    monkeypatch.setattr(doctor, "cpu_flags", lambda: frozenset(flags))
    note = doctor._faster_build(binding)
    assert ("`pip install llama-cpp-python`" in note) is hinted
    assert (note == "") is not hinted
