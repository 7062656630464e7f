"""Reads what a media file is from its bytes: type, pixel size, duration.

We trust the bytes, not the client's file name or Content-Type.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

from townsquare.errors import InvalidInput

IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif", "image/webp")
VIDEO_MIMES = ("video/mp4", "video/quicktime")
# The most pixels an uploaded image may have (48 MP: an 8000x6000 photo). Checked from the
# header, before anything is decoded, so a small file that would decode to gigabytes (a
# decompression bomb) is refused at once.
MAX_IMAGE_PIXELS = 48_000_000
TOO_MANY_PIXELS = (
    f"the image has more than {MAX_IMAGE_PIXELS:,} pixels (8000x6000); resize it and upload again"
)


@dataclass(frozen=True)
class MediaInfo:
    mime: str
    extension: str
    width: int | None = None
    height: int | None = None
    duration_ms: int | None = None


def sniff_mime(head: bytes) -> tuple[str, str] | None:
    """(mime, extension) from a file's first bytes, or None when we do not accept the type."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif", "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    if head[4:8] == b"ftyp":
        return ("video/quicktime", "mov") if head[8:10] == b"qt" else ("video/mp4", "mp4")
    return None


def _iter_boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """ISO-BMFF boxes between ``start`` and ``end`` as (type, payload start, box end)."""
    boxes = []
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > end:
                break
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            break
        boxes.append((kind, pos + header, pos + size))
        pos += size
    return boxes


def mp4_duration_ms(data: bytes) -> int | None:
    """Duration from the movie header (``moov/mvhd``), or None when absent or unreadable."""
    for kind, payload, box_end in _iter_boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        for sub, sub_payload, sub_end in _iter_boxes(data, payload, box_end):
            if sub != b"mvhd" or sub_end - sub_payload < 32:
                continue
            # Version 1 has 64-bit creation/modification times and duration; version 0 32-bit.
            at = sub_payload
            if data[at] == 1:
                timescale, duration = struct.unpack(">IQ", data[at + 20 : at + 32])
            else:
                timescale, duration = struct.unpack(">II", data[at + 12 : at + 20])
            if timescale == 0:
                return None
            return int(duration * 1000 // timescale)
    return None


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) of an image, read from its header and checked against
    ``MAX_IMAGE_PIXELS``; the pixels themselves are never decoded."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow's own bomb limit is looser than ours; ours is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height <= MAX_IMAGE_PIXELS:
                    image.verify()
    except Image.DecompressionBombError as error:  # Pillow's limit: twice its warning size
        raise InvalidInput(TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise InvalidInput(f"the image is damaged or truncated: {error}") from error
    if width * height > MAX_IMAGE_PIXELS:
        raise InvalidInput(TOO_MANY_PIXELS)
    return width, height


def probe(data: bytes) -> MediaInfo:
    sniffed = sniff_mime(data[:16])
    if sniffed is None:
        raise InvalidInput(
            "unsupported file type; upload PNG, JPEG, GIF or WebP images, or MP4/MOV videos"
        )
    mime, extension = sniffed
    if mime in IMAGE_MIMES:
        width, height = image_size(data)
        return MediaInfo(mime, extension, width=width, height=height)
    duration = mp4_duration_ms(data)
    if duration is None:
        raise InvalidInput("the video has no readable duration (missing moov/mvhd header)")
    return MediaInfo(mime, extension, duration_ms=duration)
