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
from dataclasses import dataclass
from pathlib import PurePosixPath

from townsquare.errors import InvalidInput

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


def extract(filename: str, data: bytes) -> list[Section]:
    """The sections of an uploaded file, in reading order, blank ones dropped."""
    kind, _ = check_upload(filename, data)
    sections = [
        Section(_clean(s.text), " ".join(s.locator.split())[:MAX_LOCATOR], s.keep_whole)
        for s in _EXTRACTORS[kind](filename, data)
    ]
    sections = [s for s in sections if s.text]
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


def _html(filename: str, data: bytes) -> list[Section]:
    """Visible text split at h1-h6; scripts, styles and navigation are not content."""
    from bs4 import BeautifulSoup  # imported here: only uploads of HTML pay for it

    soup = BeautifulSoup(data, "html.parser")
    # Text before the first heading is cited by the page's title.
    heading = soup.title.get_text(" ", strip=True) if soup.title is not None else ""
    for tag in soup(["head", "script", "style", "nav", "noscript", "template", "svg"]):
        tag.decompose()
    for tag in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        tag.replace_with(f"\n{_HEADING_MARK}{tag.get_text(' ', strip=True)}\n")
    sections: list[Section] = []
    lines: list[str] = []
    for line in soup.get_text("\n").split("\n"):
        if line.startswith(_HEADING_MARK):
            sections.append(Section("\n".join(lines), heading))
            heading, lines = line.removeprefix(_HEADING_MARK), []
        else:
            lines.append(line)
    sections.append(Section("\n".join(lines), heading))
    return sections


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
    """One section per row, written as "column: value" lines; the locator is the row's name
    (a name, title or sku column) or "row N"."""
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
            lines = [f"{key}: {value.strip()}" for key, value in cells.items() if value.strip()]
            name = cells.get(name_column or "", "").strip()
            sections.append(Section("\n".join(lines), name or f"row {number}", keep_whole=True))
    except csv.Error as error:
        raise InvalidInput(f"{filename}: bad CSV at line {reader.line_num} ({error})") from error
    return sections


_EXTRACTORS: dict[str, Callable[[str, bytes], list[Section]]] = {
    "text": _plain,
    "markdown": _markdown,
    "html": _html,
    "pdf": _pdf,
    "faq": _faq,
    "catalog": _catalog,
}
