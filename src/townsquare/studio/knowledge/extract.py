"""Uploaded files -> sections of plain text, each with a locator that says where it came from.

A locator ("page 12", a heading, an FAQ question, a product name) is what a citation shows, so
each format keeps the unit its readers would point at. Structured rows (one FAQ answer, one
catalog item) are marked ``keep_whole``: split in half, a price loses the product it belongs to.

Every failure is an ``InvalidInput`` whose message names the file and what to do about it; the
upload endpoint shows it as a 422 and the ingest worker stores it on the failed source.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from townsquare.errors import InvalidInput
from townsquare.studio.knowledge.dates import source_date

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_LOCATOR = 120  # the width of KnowledgeChunk.locator

# Extension -> (format, MIME type stored on the source).
FORMATS: dict[str, tuple[str, str]] = {
    ".txt": ("text", "text/plain"),
    ".md": ("markdown", "text/markdown"),
    ".markdown": ("markdown", "text/markdown"),
    ".html": ("html", "text/html"),
    ".htm": ("html", "text/html"),
    ".pdf": ("pdf", "application/pdf"),
    ".json": ("faq", "application/json"),
    ".csv": ("catalog", "text/csv"),
}
SUPPORTED = ".txt, .md, .html, .pdf, FAQ .json or catalog .csv"
# Catalog columns that name a row, in order of preference.
NAME_COLUMNS = ("name", "title", "product", "product name", "item", "sku")


@dataclass(frozen=True)
class Section:
    """A stretch of text that chunks never cross."""

    text: str
    locator: str = ""
    keep_whole: bool = False  # one FAQ answer or catalog row: one chunk
    dated: date | None = None  # when it was written, by what the file says (``dates``)


def file_format(filename: str, data: bytes = b"") -> tuple[str, str]:
    """(format, MIME type) from the file name, or from a PDF's magic bytes when it has no
    usable extension (some browsers send "blob")."""
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix in FORMATS:
        return FORMATS[suffix]
    if data.startswith(b"%PDF-"):
        return FORMATS[".pdf"]
    shown = f"'{suffix}'" if suffix else "a file without an extension"
    raise InvalidInput(f"{filename}: {shown} is not supported; upload {SUPPORTED}")


# The parsers ``_html`` and ``_pdf`` import when first used (so a process that reads neither
# never loads them); ``reader`` imports them before it limits its own memory, so that the limit
# bounds what a file costs to read, not the parsers' code.
PARSER_MODULES = ("bs4", "pypdf")


def check_upload(filename: str, data: bytes) -> tuple[str, str]:
    """The checks that are cheap enough to run before an upload is accepted: type, size and
    emptiness. Whether the contents parse is found out by ``extract`` in the background."""
    detected = file_format(filename, data)
    if not data:
        raise InvalidInput(f"{filename} is empty")
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"{filename} is {len(data) / 2**20:.1f} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB"
        )
    return detected


def extract(filename: str, data: bytes, *, uploaded: date | None = None) -> list[Section]:
    """The sections of an uploaded file, in reading order, blank ones dropped, each dated by
    what the file says (a date without a year: the latest before ``uploaded``)."""
    kind, _ = check_upload(filename, data)
    sections = [
        Section(_clean(s.text), " ".join(s.locator.split())[:MAX_LOCATOR], s.keep_whole)
        for s in _EXTRACTORS[kind](filename, data)
    ]
    sections = [s for s in sections if s.text]
    # A section's own "updated" line dates it, else the file's (a dating line anywhere in it,
    # or a date at its top); a record (an FAQ pair, a catalog row) only by its own. Neither:
    # undated, older than any dated source (not the upload's date: a catalog uploaded today
    # is not newer than last month's price-change post).
    records = kind in ("faq", "catalog")
    whole = "\n".join(f"{s.locator}\n{s.text}" for s in sections)
    file_date = None if records else source_date(whole, uploaded=uploaded)
    sections = [
        replace(s, dated=source_date(s.text, uploaded=uploaded, first_line=False) or file_date)
        for s in sections
    ]
    if not sections:
        raise InvalidInput(f"{filename} has no text to learn from")
    return sections


def _clean(text: str) -> str:
    """Spaces collapsed within lines, at most one blank line between paragraphs."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def decode_text(filename: str, data: bytes) -> str:
    """UTF-8 (with or without a BOM) or BOM-marked UTF-16. Guessing a legacy code page would
    silently garble text, so anything else is refused with the position of the first bad byte."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{filename} is not UTF-8 text (byte 0x{data[error.start]:02x} at position "
            f"{error.start}); save it as UTF-8 and upload it again"
        ) from error
    if "\x00" in text:
        raise InvalidInput(f"{filename} looks like a binary file, not text")
    return text


def _plain(filename: str, data: bytes) -> list[Section]:
    return [Section(decode_text(filename, data))]


_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")


def _markdown(filename: str, data: bytes) -> list[Section]:
    """One section per ATX heading; links keep their text, emphasis markers go."""
    sections: list[Section] = []
    heading = ""
    lines: list[str] = []
    for line in decode_text(filename, data).splitlines():
        match = _HEADING.match(line)
        if match:
            sections.append(Section("\n".join(lines), heading))
            heading, lines = _md_inline(match.group(2)), []
        else:
            lines.append(_md_inline(line))
    sections.append(Section("\n".join(lines), heading))
    return sections


def _md_inline(text: str) -> str:
    return _MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", text))


_HEADING_MARK = "\x00heading\x00"
# Elements that start a line of their own; everything else (links, emphasis, spans) is inline,
# and its text stays in the sentence around it.
_BLOCKS = (
    "p", "div", "li", "dt", "dd", "blockquote", "pre", "section", "article", "aside", "header",
    "footer", "main", "figure", "figcaption", "address", "details", "summary", "tr", "hr",
)  # fmt: skip


def _html(filename: str, data: bytes) -> list[Section]:
    """Visible text split at h1-h6; scripts, styles and navigation are not content. Inline
    elements stay inside their sentence ("won the <b>Gold Award</b>" is one sentence), a table
    becomes one line per row with the header's names, and a list a line of its own per item
    (``chunking`` joins a list to its lead-in)."""
    from bs4 import BeautifulSoup  # imported here: only uploads of HTML pay for it

    soup = BeautifulSoup(data, "html.parser")
    # Text before the first heading is cited by the page's title.
    heading = soup.title.get_text(" ", strip=True) if soup.title is not None else ""
    for tag in soup(["head", "script", "style", "nav", "noscript", "template", "svg"]):
        tag.decompose()
    # A line break in the markup is a space; only blocks and <br> break lines.
    for text in soup.find_all(string=True):
        if "\n" in text and text.find_parent("pre") is None:
            text.replace_with(text.replace("\n", " "))
    for table in soup.find_all("table"):
        table.replace_with("\n" + "\n".join(_table_rows(table)) + "\n")
    for tag in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        tag.replace_with(f"\n{_HEADING_MARK}{tag.get_text(' ', strip=True)}\n")
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for tag in soup.find_all("li"):
        tag.insert(0, "- ")
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    sections: list[Section] = []
    lines: list[str] = []
    for line in soup.get_text().split("\n"):
        line = line.strip()
        if not line:
            continue  # blocks are lines; blank ones between them say nothing
        if line.startswith(_HEADING_MARK):
            sections.append(Section("\n".join(lines), heading))
            heading, lines = line.removeprefix(_HEADING_MARK), []
        else:
            lines.append(line)
    sections.append(Section("\n".join(lines), heading))
    return sections


def _table_rows(table: Any) -> list[str]:
    """One sentence per body row: "<first cell>: <header> <cell>; <header> <cell>." (its
    caption first, when it has one)."""
    rows = [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all(["th", "td"])]
        for row in table.find_all("tr")
    ]
    rows = [row for row in rows if any(row)]
    caption = table.find("caption")
    lines = [caption.get_text(" ", strip=True)] if caption is not None else []
    if len(rows) < 2:
        return lines + ["; ".join(cell for cell in row if cell) for row in rows]
    header, *body = rows
    for row in body:
        lines.append(statement(dict(zip(header, row, strict=False)), name_column=header[0]))
    return lines


def _pdf(filename: str, data: bytes) -> list[Section]:
    """One section per page, "page N". A page that will not extract is skipped and logged,
    so one bad page does not lose a 500-page manual."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    locked = InvalidInput(f"{filename} is password-protected; upload an unlocked copy")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs are encrypted only to restrict printing, with an empty password.
            try:
                opened = reader.decrypt("")
            except PyPdfError as error:
                raise locked from error
            if not opened:
                raise locked
        pages = list(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise InvalidInput(f"{filename} could not be read as a PDF ({error})") from error
    sections = []
    for number, page in enumerate(pages, 1):
        try:
            sections.append(Section(page.extract_text() or "", f"page {number}"))
        except Exception as error:  # pypdf raises many kinds on malformed content streams
            log.warning("%s: skipped page %d, which could not be read: %s", filename, number, error)
    if not any(section.text.strip() for section in sections):
        raise InvalidInput(
            f"{filename} has no extractable text; if it is a scan, run OCR on it first"
        )
    return sections


def _faq(filename: str, data: bytes) -> list[Section]:
    """A list of {"question", "answer"} objects, or {"faqs": [...]}: one section per pair."""
    try:
        document = json.loads(decode_text(filename, data))
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{filename} is not valid JSON ({error})") from error
    items = document.get("faqs") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise InvalidInput(
            f'{filename}: an FAQ file is a list of {{"question", "answer"}} objects '
            'or {"faqs": [...]}'
        )
    sections = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise InvalidInput(f"{filename}: FAQ item {number} is not an object")
        pair = [item.get("question"), item.get("answer")]
        for field, value in zip(("question", "answer"), pair, strict=True):
            if not isinstance(value, str) or not value.strip():
                raise InvalidInput(f"{filename}: FAQ item {number} has no '{field}' text")
        question, answer = (str(value).strip() for value in pair)
        sections.append(Section(f"{question}\n{answer}", question, keep_whole=True))
    return sections


def _catalog(filename: str, data: bytes) -> list[Section]:
    """One section per row, written as one statement that names each column ("Taster: price
    £45; duration 2 hours."); the locator is the row's name (a name, title or sku column) or
    "row N"."""
    text = decode_text(filename, data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect, restkey="more")
    header = [name.strip() for name in reader.fieldnames or []]
    if not any(header):
        raise InvalidInput(f"{filename}: a catalog CSV needs a header row naming its columns")
    name_column = next(
        (column for wanted in NAME_COLUMNS for column in header if column.lower() == wanted), None
    )
    sections = []
    try:
        for number, row in enumerate(reader, 1):
            cells = {
                str(key).strip(): ", ".join(value) if isinstance(value, list) else (value or "")
                for key, value in row.items()
            }
            name = cells.get(name_column or "", "").strip()
            text = statement(cells, name_column=name_column)
            sections.append(Section(text, name or f"row {number}", keep_whole=True))
    except csv.Error as error:
        raise InvalidInput(f"{filename}: bad CSV at line {reader.line_num} ({error})") from error
    return sections


# A column whose header names a currency: its bare numbers are amounts of it.
_CURRENCY_COLUMN = (
    (re.compile(r"£|\bgbp\b|\bpounds?\b", re.I), "£"),
    (re.compile(r"€|\beur\b|\beuros?\b", re.I), "€"),
    (re.compile(r"\$|\busd\b|\bdollars?\b", re.I), "$"),
)
_BARE_AMOUNT = re.compile(r"\d+(?:[.,]\d{1,2})?")
_LONG_VALUE = 8  # words: a value this long (a description) is written last


def statement(cells: dict[str, str], *, name_column: str | None) -> str:
    """A record (a catalog row, a table row) as one self-contained sentence: its name, then
    each other column as "<column> <value>", the long ones last, so that a description's own
    full stops never part a price from the name it belongs to."""
    name = " ".join(cells.get(name_column or "", "").split())
    fields = []
    for key, value in cells.items():
        value = " ".join(value.split())
        if not value or key == name_column:
            continue
        column = " ".join(key.replace("_", " ").split())
        for pattern, symbol in _CURRENCY_COLUMN:
            if pattern.search(column) and _BARE_AMOUNT.fullmatch(value):
                value = f"{symbol}{value}"
                column = " ".join(pattern.sub(" ", column).replace("()", " ").split())
                break
        fields.append((len(value.split()) >= _LONG_VALUE, f"{column} {value}".strip()))
    body = "; ".join(text for _, text in sorted(fields, key=lambda field: field[0]))
    text = f"{name}: {body}" if name and body else name or body
    return text if not text or text.endswith((".", "!", "?")) else f"{text}."


_EXTRACTORS: dict[str, Callable[[str, bytes], list[Section]]] = {
    "text": _plain,
    "markdown": _markdown,
    "html": _html,
    "pdf": _pdf,
    "faq": _faq,
    "catalog": _catalog,
}
