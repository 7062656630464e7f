"""Test documents made in memory: PDFs (with fpdf2), FAQ JSON, catalog CSV."""

from __future__ import annotations

import json

from fpdf import FPDF


def pdf_bytes(pages: list[str], *, user_password: str | None = None) -> bytes:
    """A PDF with one page per text; ``user_password`` locks it ("" encrypts it with an empty
    password, which readers open without asking)."""
    document = FPDF()
    document.set_font("Helvetica", size=11)
    if user_password is not None:
        document.set_encryption(owner_password="owner-secret", user_password=user_password)
    for text in pages:
        document.add_page()
        document.multi_cell(0, 6, text)
    return bytes(document.output())


def faq_bytes(pairs: list[tuple[str, str]], *, wrapped: bool = False) -> bytes:
    items = [{"question": q, "answer": a} for q, a in pairs]
    return json.dumps({"faqs": items} if wrapped else items).encode()


def sentence(n: int) -> str:
    """A distinct, ordinary sentence, so chunk sizes and boundaries can be checked."""
    return f"Sentence {n} tells how the kiln was loaded with care on day {n}."
