"""Import and export: a card's bytes (JSON, PNG or CHARX; V1, V2 or V3) to an agent, and back.

The container is sniffed from the bytes, never trusted from the file name. Every failure is a
:class:`CardError` naming the field or the part of the file that is wrong.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NoReturn, get_args

from townsquare.studio.cards import assets, charx, png
from townsquare.studio.cards.fields import (
    ASSETS,
    NUMBER,
    OBJECT,
    TEXT,
    TEXT_LIST,
    TEXT_MAP,
    CardError,
    Check,
    checked,
)
from townsquare.studio.cards.mapping import (
    CARD_TEXT_FIELDS,
    EXTENSION,
    TOWNSQUARE_FIELDS,
    card_fields,
    has_townsquare_news,
    profile_from_card,
    townsquare_block,
    townsquare_fields,
)
from townsquare.studio.lorebook_entries import LorebookError, validate_lorebook
from townsquare.studio.spec import AgentKind, AgentProfile, AgentSpec

MAX_CARD_BYTES = 20 * 2**20
CardFormat = Literal["json_v2", "json_v3", "png_v2", "png_v3", "charx"]
CardVersion = Literal["v1", "v2", "v3"]

_FORMATS: tuple[CardFormat, ...] = get_args(CardFormat)
_SPECS: dict[str, CardVersion] = {"chara_card_v2": "v2", "chara_card_v3": "v3"}
_V1_FIELDS = ("name", "description", "personality", "scenario", "first_mes", "mes_example")
# Card fields that are kept for export without Townsquare acting on them, and what each holds.
_KEPT: dict[str, Check] = {
    "creator_notes": TEXT,
    "tags": TEXT_LIST,
    "creator": TEXT,
    "character_version": TEXT,
    "extensions": OBJECT,
    "assets": ASSETS,
    "nickname": TEXT,
    "creator_notes_multilingual": TEXT_MAP,
    "source": TEXT_LIST,
    "group_only_greetings": TEXT_LIST,
    "creation_date": NUMBER,
    "modification_date": NUMBER,
}
_MAPPED = {*CARD_TEXT_FIELDS, "alternate_greetings", "character_book"}
# What a V2 reader sees in a V3 PNG (the V3 spec asks exporters to say so in the creator notes).
_BACKFILL_NOTE = (
    "This character card is Character Card V3, but it is loaded as a Character Card V2. "
    "Please use a Character Card V3 compatible application to use this character card properly."
)


@dataclass(frozen=True)
class ImportedCard:
    spec: AgentSpec  # handle: from extensions.townsquare, else derived from the name
    lorebook: dict[str, Any] | None  # the character_book as the card had it
    card_extra: dict[str, Any]  # what Townsquare does not act on, so export restores it
    avatar: bytes | None  # the card's picture: the PNG itself (card chunks removed) or main icon
    version: CardVersion


def import_card(data: bytes, *, filename: str = "", kind: AgentKind = "character") -> ImportedCard:
    """An agent from a card file. Raises :class:`CardError` naming what is wrong."""
    if len(data) > MAX_CARD_BYTES:
        raise CardError(f"card: at most {MAX_CARD_BYTES // 2**20} MB")
    if data.startswith(png.SIGNATURE):
        return _from_png(data, kind)
    if data.startswith(b"PK"):
        with charx.open_charx(data) as archive:
            raw = charx.read_member(archive, charx.CARD_MEMBER, max_bytes=MAX_CARD_BYTES)
            if raw is None:
                raise CardError("charx: card.json is missing from the zip")

            def read_embedded(path: str) -> bytes | None:
                return charx.read_member(archive, path, max_bytes=MAX_CARD_BYTES)

            card = _parse_json(raw, "charx card.json")
            return _from_card(card, kind, read_embedded=read_embedded)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _from_card(_parse_json(data, "json"), kind)
    named = f"{filename}: " if filename else ""
    raise CardError(f"card: {named}not a character card (expected JSON, PNG or CHARX)")


def export_card(
    profile: AgentProfile,
    *,
    handle: str,
    kind: str,
    lorebook: dict[str, Any] | None,
    card_extra: dict[str, Any],
    avatar: bytes | None,
    fmt: CardFormat,
) -> bytes:
    """The agent as a card file. A PNG without an avatar gets a plain placeholder picture."""
    if fmt not in _FORMATS:
        raise CardError(f"format: {fmt!r} is not one of {', '.join(_FORMATS)}")
    kept_assets = (card_extra.get("data") or {}).get("assets")
    written_assets, icon_path = assets.for_export(
        kept_assets, charx_avatar=avatar if fmt == "charx" else None
    )

    def card(version: CardVersion) -> dict[str, Any]:
        return _card(profile, handle, kind, lorebook, card_extra, written_assets, version)

    if fmt in ("json_v2", "json_v3"):
        return _json_bytes(card("v2" if fmt == "json_v2" else "v3"), indent=2)
    if fmt == "charx":
        files = {icon_path: avatar} if icon_path is not None and avatar is not None else {}
        return charx.write_charx(_json_bytes(card("v3"), indent=2), files)
    picture = png.as_png(avatar) if avatar is not None else png.placeholder(profile.name)
    v2 = card("v2")
    if fmt == "png_v2":
        return png.with_card_texts(picture, {"chara": _base64_json(v2)})
    notes = v2["data"]["creator_notes"]
    v2["data"]["creator_notes"] = f"{_BACKFILL_NOTE}\n\n{notes}" if notes else _BACKFILL_NOTE
    return png.with_card_texts(
        picture, {"chara": _base64_json(v2), "ccv3": _base64_json(card("v3"))}
    )


def _from_png(data: bytes, kind: AgentKind) -> ImportedCard:
    chunks = png.read_chunks(data)
    payloads = png.card_payloads(chunks, max_bytes=MAX_CARD_BYTES)
    keyword = next((keyword for keyword in png.CARD_KEYWORDS if keyword in payloads), None)
    if keyword is None:
        raise CardError("png: no character card in this image (no chara or ccv3 text chunk)")
    where = f"png {keyword} chunk"
    card = _parse_json(_unbase64(payloads[keyword], where), where)
    # V3: a PNG card's icon is the PNG itself; the avatar is the picture without the card.
    picture = assets.checked_image(png.write_chunks(png.without_card_chunks(chunks)), "png")
    return _from_card(card, kind, picture=picture)


def _from_card(
    card: object,
    kind: AgentKind,
    *,
    read_embedded: Callable[[str], bytes | None] | None = None,
    picture: bytes | None = None,
) -> ImportedCard:
    version, data, prefix = _card_data(card)
    spec, verbatim = profile_from_card(data, prefix=prefix, kind=kind)
    book = data.get("character_book")
    lorebook = None
    if book is not None:
        try:
            lorebook = validate_lorebook(book, field=f"{prefix}character_book")
        except LorebookError as error:
            raise CardError(str(error)) from error
    kept = _kept(data, prefix)
    avatar = picture
    if avatar is None:
        avatar = assets.icon_bytes(kept.get("assets") or [], read_embedded, prefix)
    if "assets" in kept:
        kept["assets"] = assets.kept_on_import(kept["assets"])
    card_extra: dict[str, Any] = {"data": kept}
    if verbatim:
        card_extra["verbatim"] = verbatim
    return ImportedCard(
        spec=spec, lorebook=lorebook, card_extra=card_extra, avatar=avatar, version=version
    )


def _card_data(card: object) -> tuple[CardVersion, Mapping[str, Any], str]:
    """(version, the fields, where they sit) for a V2/V3 card, or a V1 card upgraded."""
    if not isinstance(card, Mapping):
        raise CardError("card: must be a JSON object")
    spec = card.get("spec")
    if spec is None:
        if "name" not in card:
            raise CardError("spec: missing (and no V1 name either): not a character card")
        return "v1", {key: card[key] for key in _V1_FIELDS if key in card}, ""
    if spec == "lorebook_v3":
        raise CardError("spec: this is a lorebook (lorebook_v3), not a character card")
    if spec not in _SPECS:
        raise CardError(f"spec: {spec!r} is not chara_card_v2 or chara_card_v3")
    data = card.get("data")
    if data is None:
        raise CardError("data: missing")
    if not isinstance(data, Mapping):
        raise CardError("data: must be an object")
    return _SPECS[spec], data, "data."


def _kept(data: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """The card fields Townsquare keeps without acting on: the ones the specs define (a null
    one counts as absent) and, as they are, the ones no spec defines."""
    kept: dict[str, Any] = {}
    for key in data:
        if key in _MAPPED:
            continue
        if key not in _KEPT or checked(data, key, _KEPT[key], prefix + key) is not None:
            kept[key] = copy.deepcopy(data[key])
    block = townsquare_block(data, prefix)
    if block or EXTENSION in kept.get("extensions", {}):
        # Our own block is read into the profile; only keys we do not know stay here.
        read = {*TOWNSQUARE_FIELDS, "handle", "kind"}
        kept["extensions"][EXTENSION] = {k: v for k, v in block.items() if k not in read}
    return kept


def _card(
    profile: AgentProfile,
    handle: str,
    kind: str,
    lorebook: dict[str, Any] | None,
    card_extra: Mapping[str, Any],
    written_assets: list[dict[str, Any]] | None,
    version: CardVersion,
) -> dict[str, Any]:
    kept = copy.deepcopy(dict(card_extra.get("data") or {}))
    fields = card_fields(profile, card_extra.get("verbatim"))
    extensions = kept.pop("extensions", {})
    ours = extensions.pop(EXTENSION, None)
    if ours is not None or has_townsquare_news(profile, kind):
        extensions[EXTENSION] = {
            **(ours or {}),
            **townsquare_fields(profile, handle=handle, kind=kind),
        }
    data: dict[str, Any] = {
        **{key: fields[key] for key in _V1_FIELDS},
        "creator_notes": kept.pop("creator_notes", ""),
        "system_prompt": fields["system_prompt"],
        "post_history_instructions": fields["post_history_instructions"],
        "alternate_greetings": fields["alternate_greetings"],
        "tags": kept.pop("tags", []),
        "creator": kept.pop("creator", ""),
        "character_version": kept.pop("character_version", ""),
        "extensions": extensions,
    }
    if lorebook is not None:
        data["character_book"] = copy.deepcopy(lorebook)
    kept.pop("assets", None)
    if written_assets is not None:
        data["assets"] = written_assets
    if version == "v3":
        data["group_only_greetings"] = kept.pop("group_only_greetings", [])
        return {"spec": "chara_card_v3", "spec_version": "3.0", "data": {**data, **kept}}
    # V2 cards repeat the V1 fields at the top level for readers that only know V1.
    mirror = {key: data[key] for key in _V1_FIELDS}
    return {"spec": "chara_card_v2", "spec_version": "2.0", **mirror, "data": {**data, **kept}}


def _parse_json(raw: bytes, where: str) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CardError(f"{where}: not UTF-8 text") from error
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise CardError(
            f"{where}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
        ) from error
    except RecursionError as error:
        raise CardError(f"{where}: nested too deeply") from error


def _refuse_constant(name: str) -> NoReturn:
    raise CardError(f"json: {name} is not a JSON value")


def _unbase64(payload: bytes, where: str) -> bytes:
    if payload.lstrip().startswith(b"{"):  # some tools store the JSON itself
        return payload
    compact = b"".join(payload.split())
    try:
        return base64.b64decode(compact + b"=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError) as error:
        raise CardError(f"{where}: not valid base64") from error


def _base64_json(card: dict[str, Any]) -> str:
    return base64.b64encode(_json_bytes(card, indent=None)).decode("ascii")


def _json_bytes(card: dict[str, Any], *, indent: int | None) -> bytes:
    return json.dumps(card, ensure_ascii=False, indent=indent).encode("utf-8")
