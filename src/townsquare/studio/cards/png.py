"""Cards inside PNG files: the card is base64 JSON in a text chunk (``chara`` for V2, ``ccv3`` for
V3). Chunks are read and written here with ``struct`` and ``zlib`` so that every other chunk, and so
the picture, stays byte for byte what it was."""

from __future__ import annotations

import colorsys
import hashlib
import io
import struct
import unicodedata
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from townsquare.social.media_probe import MAX_IMAGE_PIXELS
from townsquare.studio.cards.fields import CardError

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CARD_KEYWORDS = ("ccv3", "chara")  # in order of preference
_TEXT_CHUNKS = (b"tEXt", b"zTXt", b"iTXt")
# V3 lets PNGs carry assets in chunks named like this; we keep none of them.
_ASSET_KEYWORD_PREFIX = "chara-ext-asset_"
PLACEHOLDER_SIZE = (512, 768)  # the 2:3 portrait most card tools show
EXPORT_MAX_SIDE = 1024  # a converted avatar's longest side in a PNG card


@dataclass(frozen=True)
class Chunk:
    type: bytes
    data: bytes


def read_chunks(png: bytes) -> list[Chunk]:
    """The chunks up to and including IEND; raises on a truncated or damaged file."""
    assert png.startswith(SIGNATURE), "callers check the signature"
    chunks = []
    offset = len(SIGNATURE)
    while True:
        if offset + 8 > len(png):
            raise CardError("png: the file is truncated")
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        end = offset + 12 + length
        if end > len(png):
            raise CardError("png: the file is truncated")
        data = png[offset + 8 : end - 4]
        (crc,) = struct.unpack(">I", png[end - 4 : end])
        if zlib.crc32(kind + data) != crc:
            raise CardError(f"png: the {kind.decode('latin-1')} chunk is damaged (bad CRC)")
        chunks.append(Chunk(kind, data))
        offset = end
        if kind == b"IEND":
            return chunks


def write_chunks(chunks: Iterable[Chunk]) -> bytes:
    out = bytearray(SIGNATURE)
    for chunk in chunks:
        out += struct.pack(">I", len(chunk.data)) + chunk.type + chunk.data
        out += struct.pack(">I", zlib.crc32(chunk.type + chunk.data))
    return bytes(out)


def card_payloads(chunks: list[Chunk], *, max_bytes: int) -> dict[str, bytes]:
    """The raw ``chara`` / ``ccv3`` texts (base64, or JSON from lax tools) from tEXt, zTXt or
    iTXt chunks; the first chunk of each keyword wins."""
    found: dict[str, bytes] = {}
    for chunk in chunks:
        if chunk.type not in _TEXT_CHUNKS:
            continue
        keyword = _keyword(chunk)
        if keyword in CARD_KEYWORDS and keyword not in found:
            found[keyword] = _payload(chunk, keyword, max_bytes)
    return found


def without_card_chunks(chunks: list[Chunk]) -> list[Chunk]:
    """The picture alone: an avatar must not carry the card (creator notes included) with it."""
    return [
        chunk
        for chunk in chunks
        if not (
            chunk.type in _TEXT_CHUNKS
            and (
                (keyword := _keyword(chunk)) in CARD_KEYWORDS
                or keyword.startswith(_ASSET_KEYWORD_PREFIX)
            )
        )
    ]


def with_card_texts(png: bytes, texts: dict[str, str]) -> bytes:
    """``png`` with its card chunks replaced by one tEXt chunk per keyword, before IEND."""
    chunks = without_card_chunks(read_chunks(png))
    added = [
        Chunk(b"tEXt", keyword.encode("latin-1") + b"\x00" + text.encode("latin-1"))
        for keyword, text in texts.items()
    ]
    return write_chunks([*chunks[:-1], *added, chunks[-1]])


def placeholder(name: str) -> bytes:
    """A plain portrait for an agent without a picture: its initial on a colour from its name."""
    hue = hashlib.sha256(name.encode("utf-8")).digest()[0] / 255
    red, green, blue = colorsys.hls_to_rgb(hue, 0.42, 0.45)
    image = Image.new("RGB", PLACEHOLDER_SIZE, (int(red * 255), int(green * 255), int(blue * 255)))
    initial = _initial(name)
    if initial:
        font = ImageFont.load_default(size=PLACEHOLDER_SIZE[0] // 2)
        middle = (PLACEHOLDER_SIZE[0] // 2, PLACEHOLDER_SIZE[1] // 2)
        ImageDraw.Draw(image).text(middle, initial, fill="white", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def as_png(image_bytes: bytes) -> bytes:
    """An avatar as PNG bytes: PNGs as they are (never decoded), other images converted at most
    ``EXPORT_MAX_SIDE`` pixels on a side. A JPEG is decoded at a reduced scale (``draft``), so
    a huge one never costs its full size in memory; another format over the upload pixel limit
    (stored before that limit existed) is refused rather than decoded."""
    if image_bytes.startswith(SIGNATURE):
        return image_bytes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(image_bytes)) as image:
                image.draft("RGB", (EXPORT_MAX_SIDE, EXPORT_MAX_SIDE))
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise CardError(
                        f"avatar: the picture is {width}x{height} pixels, too large to convert; "
                        "upload a smaller avatar"
                    )
                image.thumbnail((EXPORT_MAX_SIDE, EXPORT_MAX_SIDE))
                converted = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        except (Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
            raise CardError(f"avatar: the picture cannot be converted ({error})") from error
    out = io.BytesIO()
    converted.save(out, format="PNG")
    return out.getvalue()


def _initial(name: str) -> str:
    """The first letter or digit, folded to ASCII (the built-in font has no other glyphs)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return next((char.upper() for char in folded if char.isalnum()), "")


def _keyword(chunk: Chunk) -> str:
    return chunk.data.split(b"\x00", 1)[0].decode("latin-1")


def _payload(chunk: Chunk, keyword: str, max_bytes: int) -> bytes:
    where = f"png {keyword} chunk"
    rest = chunk.data[len(keyword) + 1 :]
    if chunk.type == b"tEXt":
        return rest
    if chunk.type == b"zTXt":
        return _inflate(rest[1:], max_bytes, where)
    # iTXt: compression flag, method, language tag\0, translated keyword\0, text (UTF-8).
    if len(rest) < 2:
        raise CardError(f"{where}: the iTXt header is damaged")
    compressed, parts = rest[0], rest[2:].split(b"\x00", 2)
    if len(parts) != 3:
        raise CardError(f"{where}: the iTXt header is damaged")
    return _inflate(parts[2], max_bytes, where) if compressed else parts[2]


def _inflate(data: bytes, max_bytes: int, where: str) -> bytes:
    """zlib data with a hard cap on the output, so a compressed bomb is refused early."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, max_bytes)
    except zlib.error as error:
        raise CardError(f"{where}: the compressed text is damaged") from error
    if inflater.unconsumed_tail:
        raise CardError(f"{where}: larger than {max_bytes // 2**20} MB uncompressed")
    return out
