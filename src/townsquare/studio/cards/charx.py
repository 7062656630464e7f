"""CHARX: a V3 card as a zip, ``card.json`` at the root and assets referenced as
``embeded://path`` (the spec's spelling). Only what is asked for is decompressed, each member
with a hard size cap, so a zip bomb is refused after reading at most that much."""

from __future__ import annotations

import io
import zipfile
import zlib

from townsquare.studio.cards.fields import CardError

CARD_MEMBER = "card.json"
EMBEDDED_PREFIX = "embeded://"
MAX_MEMBERS = 10_000
# Zip timestamps are fixed so that exporting the same agent twice gives the same bytes.
_EPOCH = (1980, 1, 1, 0, 0, 0)


def open_charx(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise CardError("charx: not a readable zip file") from error
    if len(archive.infolist()) > MAX_MEMBERS:
        archive.close()
        raise CardError(f"charx: more than {MAX_MEMBERS} files")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, *, max_bytes: int) -> bytes | None:
    """The member's bytes, or None when the archive has no such file."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    where = f"charx {name}"
    if info.flag_bits & 0x1:
        raise CardError(f"{where}: encrypted files are not supported")
    if info.file_size > max_bytes:
        raise CardError(f"{where}: larger than {max_bytes // 2**20} MB uncompressed")
    try:
        # zipfile stops at the declared size and checks the CRC, so a header that lies about
        # the size cannot make this read more than was checked above.
        with archive.open(info) as member:
            return member.read()
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError) as error:
        raise CardError(f"{where}: damaged or compressed in an unsupported way") from error


def write_charx(card_json: bytes, files: dict[str, bytes]) -> bytes:
    """A CHARX with ``card.json`` and ``files`` (zip path -> bytes; images are stored as they are,
    since they are compressed already)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo(CARD_MEMBER, date_time=_EPOCH), card_json, zipfile.ZIP_DEFLATED
        )
        for path, content in files.items():
            archive.writestr(zipfile.ZipInfo(path, date_time=_EPOCH), content, zipfile.ZIP_STORED)
    return out.getvalue()
