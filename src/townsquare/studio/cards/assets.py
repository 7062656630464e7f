"""V3 ``assets``: finding the card's picture, and keeping the list truthful across containers.

Townsquare keeps one picture per agent, its avatar. So on import the main icon becomes the
avatar; assets stored inside the file (``embeded://`` in a CHARX, ``__asset:`` chunks in a PNG)
other than the main icon are dropped, since their bytes are not kept and a reference to them
would point nowhere; assets that are URLs (``https:``, ``data:``, ``ccdefault:``) are kept as
they are. On export the main icon points at the avatar where the container can hold it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any

from townsquare.errors import InvalidInput
from townsquare.social.media_probe import IMAGE_MIMES, image_size, sniff_mime
from townsquare.studio.cards.charx import EMBEDDED_PREFIX
from townsquare.studio.cards.fields import CardError

DEFAULT_URI = "ccdefault:"  # V3: "the application's default", for an icon the PNG card itself
_LOCAL_PREFIXES = (EMBEDDED_PREFIX, "__asset:")
_ICON_FOLDER = "assets/icon/images"


def main_icon(assets: Sequence[dict[str, Any]]) -> int | None:
    """The index of the main icon: the icon named "main", or the only icon."""
    icons = [index for index, asset in enumerate(assets) if asset["type"] == "icon"]
    named = [index for index in icons if assets[index]["name"] == "main"]
    if named:
        return named[0]
    return icons[0] if len(icons) == 1 else None


def kept_on_import(assets: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The assets worth keeping: URLs, and the main icon (which becomes the avatar)."""
    main = main_icon(assets)
    return [
        dict(asset)
        for index, asset in enumerate(assets)
        if index == main or not asset["uri"].startswith(_LOCAL_PREFIXES)
    ]


def icon_bytes(
    assets: Sequence[dict[str, Any]],
    read_embedded: Callable[[str], bytes | None] | None,
    prefix: str,
) -> bytes | None:
    """The main icon's image when the card holds it: a data URL, or a file embedded in the
    CHARX that ``read_embedded`` reads (a bare card.json has no files to look in)."""
    main = main_icon(assets)
    if main is None:
        return None
    uri: str = assets[main]["uri"]
    where = f"{prefix}assets[{main}].uri"
    if uri.startswith(EMBEDDED_PREFIX) and read_embedded is not None:
        blob = read_embedded(uri.removeprefix(EMBEDDED_PREFIX))
        if blob is None:
            raise CardError(f"{where}: {uri} is not in the file")
        return checked_image(blob, where)
    if uri.startswith("data:"):
        header, _, payload = uri.partition(",")
        if not header.endswith(";base64"):
            return None
        try:
            blob = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError) as error:
            raise CardError(f"{where}: the data URL is not valid base64") from error
        return checked_image(blob, where)
    return None


def checked_image(blob: bytes, where: str) -> bytes:
    """``blob`` if it is a PNG, JPEG, GIF or WebP that Pillow can read within the upload pixel
    limit (``media_probe.MAX_IMAGE_PIXELS``, read from the header)."""
    sniffed = sniff_mime(blob[:16])
    if sniffed is None or sniffed[0] not in IMAGE_MIMES:
        raise CardError(f"{where}: not a PNG, JPEG, GIF or WebP image")
    try:
        image_size(blob)
    except InvalidInput as error:
        raise CardError(f"{where}: {error}") from error
    return blob


def for_export(
    kept: Sequence[dict[str, Any]] | None, *, charx_avatar: bytes | None
) -> tuple[list[dict[str, Any]] | None, str | None]:
    """(the assets to write, the zip path for the avatar). ``charx_avatar`` is the avatar when
    the container is a CHARX, which stores it; other containers cannot hold a file, so a main
    icon stored inside the original file falls back to ``ccdefault:``."""
    if kept is None and charx_avatar is None:
        return None, None
    assets = [dict(asset) for asset in kept or []]
    main = main_icon(assets)
    if charx_avatar is None:
        if main is not None and assets[main]["uri"].startswith(_LOCAL_PREFIXES):
            assets[main]["uri"] = DEFAULT_URI
        return assets, None
    sniffed = sniff_mime(charx_avatar[:16])
    ext = sniffed[1] if sniffed else "png"
    current = assets[main] if main is not None else None
    if current is not None and current["uri"].startswith(EMBEDDED_PREFIX):
        path = current["uri"].removeprefix(EMBEDDED_PREFIX)
        if _same_ext(current["ext"], ext) and _same_ext(path.rpartition(".")[2], ext):
            return assets, path  # the file the card was imported with, written back in place
    path = f"{_ICON_FOLDER}/main.{ext}"
    icon = {"type": "icon", "uri": EMBEDDED_PREFIX + path, "name": "main", "ext": ext}
    if main is None:
        assets.insert(0, icon)
    else:
        assets[main] = {**assets[main], **icon}
    return assets, path


def _same_ext(declared: str, sniffed: str) -> bool:
    aliases = {"jpeg": "jpg"}
    return aliases.get(declared.lower(), declared.lower()) == sniffed
