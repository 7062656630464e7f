"""Extraction in a child process under a wall-time and memory limit (issue 16, finding 2)."""

from __future__ import annotations

import time

import pytest

from tests.studio.knowledge.documents import hostile_pdf, pdf_bytes
from townsquare.errors import InvalidInput
from townsquare.studio.knowledge.extract import Section
from townsquare.studio.knowledge.isolation import extract_bounded


def test_a_hostile_pdf_fails_within_the_time_limit() -> None:
    data = hostile_pdf()
    assert len(data) < 16 * 1024  # ~10 KiB that cost pypdf ~25 s in-process
    started = time.monotonic()
    with pytest.raises(InvalidInput) as refused:
        extract_bounded("hostile.pdf", data, timeout_s=2.0, memory_mb=512)
    assert time.monotonic() - started < 5.0
    assert str(refused.value) == (
        "hostile.pdf took longer than 2 s to read (the limit); "
        "split it into smaller files or upload its text as .txt"
    )


def test_a_file_that_needs_too_much_memory_fails_with_the_limit() -> None:
    text = ("word " * 2_000_000).encode()  # 10 MB of text held several times over while read
    with pytest.raises(InvalidInput) as refused:
        extract_bounded("big.html", b"<p>" + text + b"</p>", timeout_s=60.0, memory_mb=64)
    assert str(refused.value) == (
        "big.html needs more than 64 MiB of memory to read (the limit); split it into smaller files"
    )


def test_an_ordinary_pdf_reads_the_same_as_in_process() -> None:
    data = pdf_bytes(["The kiln fires on Fridays.", "Glazes dry overnight."])
    sections = extract_bounded("studio.pdf", data, timeout_s=30.0, memory_mb=512)
    assert sections == [
        Section("The kiln fires on Fridays.", "page 1"),
        Section("Glazes dry overnight.", "page 2"),
    ]


def test_the_readers_own_refusal_keeps_its_message() -> None:
    with pytest.raises(InvalidInput, match=r"^broken\.pdf could not be read as a PDF"):
        extract_bounded("broken.pdf", b"%PDF-1.4 not really", timeout_s=30.0, memory_mb=512)
