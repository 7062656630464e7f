"""Test documents made in memory: PDFs (with fpdf2), FAQ JSON, catalog CSV."""

from __future__ import annotations

import json
import zlib

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


def hostile_pdf(pages: int = 3, stream_bytes: int = 2 * 2**20) -> bytes:
    """The PDF of issue 16, finding 2: a few KiB on disk, each page a ``stream_bytes`` content
    stream of ``(A) Tj`` (deflated), which costs pypdf's text extraction many seconds a page."""
    content = zlib.compress(b"BT /F1 12 Tf " + b"(A) Tj " * (stream_bytes // 7) + b"ET", 9)
    page_ids = [4 + 2 * n for n in range(pages)]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % i for i in page_ids)
        + b"] "
        + b"/Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for page_id in page_ids:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1)
        )
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
            + content
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
