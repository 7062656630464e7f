"""Character Cards V1/V2/V3 as JSON, PNG and CHARX: mapping, exact round trips, bad cards."""

from __future__ import annotations

import base64
import copy
import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile, PngImagePlugin

from townsquare.studio.cards import CardError, CardFormat, ImportedCard, export_card, import_card
from townsquare.studio.cards.mapping import handle_from_name, parse_examples, render_examples
from townsquare.studio.cards.png import EXPORT_MAX_SIDE, Chunk, read_chunks, write_chunks
from townsquare.studio.spec import AgentProfile, DialogueTurn

# A card as SillyTavern writes it: V1 fields mirrored at the top, tool-specific extensions,
# a lorebook with SillyTavern's own entry extensions, whitespace the profile trims.
SERAPHINA_V2: dict[str, Any] = {
    "name": "Seraphina",
    "description": "{{char}} is a guardian spirit of Eldoria's forest.",
    "personality": "caring, protective, wise",
    "scenario": "{{user}} wakes up in {{char}}'s glade after an attack.",
    "first_mes": "*Seraphina smiles softly.* You're safe now.\n",
    "mes_example": "<START>\n{{user}}: Who are you?\n{{char}}: *bows* I am Seraphina.\n"
    "I watch over this forest.\n<START>\n{{user}}: Is it safe here?\n{{char}}: Yes.",
    "spec": "chara_card_v2",
    "spec_version": "2.0",
    "avatar": "none",
    "talkativeness": "0.5",
    "fav": False,
    "create_date": "2024-05-01 @12h 00m 00s 000ms",
    "data": {
        "name": "Seraphina",
        "description": "{{char}} is a guardian spirit of Eldoria's forest.",
        "personality": "caring, protective, wise",
        "scenario": "{{user}} wakes up in {{char}}'s glade after an attack.",
        "first_mes": "*Seraphina smiles softly.* You're safe now.\n",
        "mes_example": "<START>\n{{user}}: Who are you?\n{{char}}: *bows* I am Seraphina.\n"
        "I watch over this forest.\n<START>\n{{user}}: Is it safe here?\n{{char}}: Yes.",
        "creator_notes": "Best with a large model. SECRET-NOTE-7 do not prompt this.",
        "system_prompt": "{{original}} Write in third person.",
        "post_history_instructions": "Keep replies under 150 words.",
        "alternate_greetings": ["*A soft light fills the glade.* Awake at last?", " "],
        "tags": ["fantasy", "female", "guardian"],
        "creator": "alice",
        "character_version": "1.2",
        "extensions": {
            "talkativeness": "0.5",
            "fav": False,
            "world": "Eldoria",
            "depth_prompt": {"prompt": "Seraphina is gentle.", "depth": 4, "role": "system"},
        },
        "character_book": {
            "name": "Eldoria",
            "entries": [
                {
                    "id": 0,
                    "keys": ["glade", "forest"],
                    "secondary_keys": [],
                    "comment": "The glade",
                    "content": "The glade is protected by ancient magic.",
                    "constant": False,
                    "selective": True,
                    "insertion_order": 100,
                    "enabled": True,
                    "position": "before_char",
                    "use_regex": True,
                    "extensions": {"position": 0, "probability": 100, "selectiveLogic": 0},
                },
                {
                    "id": 1,
                    "keys": ["shadow"],
                    "content": "Shadowborn creatures fear light.",
                    "insertion_order": 90,
                    "enabled": True,
                    "extensions": {},
                },
            ],
            "extensions": {},
        },
    },
}

AURORA_V3: dict[str, Any] = {
    "spec": "chara_card_v3",
    "spec_version": "3.0",
    "data": {
        "name": "Aurora",
        "description": "Aurora is a ship's AI who loves star charts.",
        "personality": "curious; precise; dry humour",
        "scenario": "Aboard the survey vessel Kestrel.",
        "first_mes": "Good morning, captain.",
        "mes_example": "<START>\n{{user}}: Status?\n{{char}}: All systems nominal.",
        "creator_notes": "Notes for people browsing cards.",
        "creator_notes_multilingual": {"fr": "MULTILINGUAL-NOTE-FR"},
        "system_prompt": "",
        "post_history_instructions": "",
        "alternate_greetings": [],
        "group_only_greetings": ["Hello, crew."],
        "tags": ["sci-fi"],
        "creator": "bob",
        "character_version": "3",
        "nickname": "Rory",
        "source": ["https://example.org/aurora"],
        "creation_date": 1_700_000_000,
        "modification_date": 1_700_000_500,
        "assets": [
            {"type": "icon", "uri": "ccdefault:", "name": "main", "ext": "png"},
            {
                "type": "background",
                "uri": "https://example.org/bg.webp",
                "name": "main",
                "ext": "webp",
            },
        ],
        "extensions": {"risuai": {"utilityBot": False}},
        "character_book": {
            "entries": [
                {
                    "keys": ["/kestrel/i"],
                    "content": "@@depth 2\nThe Kestrel is a refitted freighter.",
                    "use_regex": True,
                    "enabled": True,
                    "insertion_order": 0,
                    "extensions": {},
                }
            ],
            "extensions": {},
        },
    },
}


def card_bytes(card: dict[str, Any]) -> bytes:
    return json.dumps(card).encode("utf-8")


def export(imported: ImportedCard, fmt: CardFormat, *, avatar: bytes | None = None) -> bytes:
    return export_card(
        imported.spec,
        handle=imported.spec.handle,
        kind=imported.spec.kind,
        lorebook=imported.lorebook,
        card_extra=imported.card_extra,
        avatar=avatar if avatar is not None else imported.avatar,
        fmt=fmt,
    )


def picture(color: str = "teal", size: tuple[int, int] = (24, 36), fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def png_card(texts: dict[str, str], *, compressed: bool = False, itxt: bool = False) -> bytes:
    """A PNG written by Pillow, as another tool would write it."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "another tool")
    for keyword, text in texts.items():
        if itxt:
            info.add_itxt(keyword, text, zip=compressed)
        else:
            info.add_text(keyword, text, zip=compressed)
    out = io.BytesIO()
    Image.new("RGB", (24, 36), "purple").save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def b64(card: dict[str, Any]) -> str:
    return base64.b64encode(card_bytes(card)).decode("ascii")


def png_texts(png: bytes) -> dict[str, str]:
    with Image.open(io.BytesIO(png)) as image:
        return dict(image.text)  # type: ignore[attr-defined]


def unb64(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(base64.b64decode(text))
    return loaded


def charx(card: dict[str, Any] | None, files: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if card is not None:
            archive.writestr("card.json", card_bytes(card))
        for path, content in (files or {}).items():
            archive.writestr(path, content)
    return out.getvalue()


def pixels(image_bytes: bytes) -> bytes:
    with Image.open(io.BytesIO(image_bytes)) as image:
        return image.convert("RGB").tobytes()


# --- Mapping -------------------------------------------------------------------------------


def test_a_v2_card_maps_onto_the_profile() -> None:
    imported = import_card(card_bytes(SERAPHINA_V2), filename="seraphina.json")
    spec = imported.spec
    assert imported.version == "v2"
    assert (spec.handle, spec.kind, spec.name) == ("seraphina", "character", "Seraphina")
    assert spec.personality == "{{char}} is a guardian spirit of Eldoria's forest."
    assert spec.tone == "caring, protective, wise"
    assert spec.scenario.startswith("{{user}} wakes up")
    assert spec.greeting == "*Seraphina smiles softly.* You're safe now."
    assert spec.alternate_greetings == ["*A soft light fills the glade.* Awake at last?"]
    assert spec.instructions == (
        "{{original}} Write in third person.\n\nKeep replies under 150 words."
    )
    assert spec.example_dialogues == [
        [
            DialogueTurn(speaker="user", text="Who are you?"),
            DialogueTurn(speaker="agent", text="*bows* I am Seraphina.\nI watch over this forest."),
        ],
        [
            DialogueTurn(speaker="user", text="Is it safe here?"),
            DialogueTurn(speaker="agent", text="Yes."),
        ],
    ]
    assert imported.lorebook == SERAPHINA_V2["data"]["character_book"]
    assert imported.card_extra["data"]["extensions"] == SERAPHINA_V2["data"]["extensions"]
    assert imported.avatar is None


def test_creator_notes_never_reach_the_profile() -> None:
    for card in (SERAPHINA_V2, AURORA_V3):
        imported = import_card(card_bytes(card))
        profile_json = imported.spec.model_dump_json()
        assert "SECRET-NOTE-7" not in profile_json
        assert "MULTILINGUAL-NOTE-FR" not in profile_json
        assert imported.card_extra["data"]["creator_notes"] == card["data"]["creator_notes"]


def test_a_long_personality_summary_becomes_a_persona_paragraph() -> None:
    card = copy.deepcopy(SERAPHINA_V2)
    card["data"]["personality"] = "kind " * 60
    imported = import_card(card_bytes(card))
    assert imported.spec.tone == ""
    assert imported.spec.personality.endswith("\n\nPersonality: " + ("kind " * 60).strip())
    assert json.loads(export(imported, "json_v2"))["data"] == card["data"]


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("Seraphina", "seraphina"),
        ("Dr. Émile Zola", "dr_emile_zola"),
        ("花子", "character"),
        ("Al", "al_character"),
        ("The Extremely Long-Winded Name of a Character Card", "the_extremely_long_winded_name_o"),
    ],
)
def test_handles_are_derived_from_the_name(name: str, handle: str) -> None:
    assert handle_from_name(name, "character") == handle
    card = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": name}}
    assert import_card(card_bytes(card)).spec.handle == handle


def test_example_dialogue_labels_and_stray_text() -> None:
    text = "stray line\n<start>\n<USER>: hi\n<BOT>: hello\nAurora: and more\n\n<START>\n{{user}}:"
    assert parse_examples(text, "Aurora") == [
        [
            {"speaker": "user", "text": "hi"},
            {"speaker": "agent", "text": "hello"},
            {"speaker": "agent", "text": "and more\n"},
        ]
    ]


@given(
    st.lists(
        st.lists(
            st.builds(
                DialogueTurn,
                speaker=st.sampled_from(["user", "agent"]),
                text=st.text(
                    st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1
                ).filter(lambda text: text.strip() and not text.lower().startswith("<start>")),
            ),
            min_size=1,
            max_size=4,
        ),
        max_size=4,
    )
)
def test_rendered_examples_parse_back(dialogues: list[list[DialogueTurn]]) -> None:
    parsed = parse_examples(render_examples(dialogues), "Someone")
    assert [[DialogueTurn.model_validate(turn) for turn in d] for d in parsed] == dialogues


# --- Round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize(("card", "fmt"), [(SERAPHINA_V2, "json_v2"), (AURORA_V3, "json_v3")])
def test_realistic_cards_round_trip_exactly(card: dict[str, Any], fmt: CardFormat) -> None:
    exported = json.loads(export(import_card(card_bytes(card)), fmt))
    assert exported["spec"] == card["spec"]
    assert exported["spec_version"] == card["spec_version"]
    assert exported["data"] == card["data"]


def test_v2_export_mirrors_the_v1_fields_at_the_top_level() -> None:
    exported = json.loads(export(import_card(card_bytes(SERAPHINA_V2)), "json_v2"))
    for key in ("name", "description", "personality", "scenario", "first_mes", "mes_example"):
        assert exported[key] == SERAPHINA_V2["data"][key]


def test_edits_after_import_replace_the_verbatim_text() -> None:
    imported = import_card(card_bytes(SERAPHINA_V2))
    edited = AgentProfile.model_validate(
        {**imported.spec.model_dump(exclude={"handle", "kind"}), "instructions": "Be brief."}
    )
    data = json.loads(
        export_card(
            edited,
            handle="seraphina",
            kind="character",
            lorebook=None,
            card_extra=imported.card_extra,
            avatar=None,
            fmt="json_v2",
        )
    )["data"]
    assert (data["system_prompt"], data["post_history_instructions"]) == ("Be brief.", "")
    assert data["first_mes"] == SERAPHINA_V2["data"]["first_mes"]  # unedited: as the card had it
    assert "character_book" not in data


def test_townsquare_fields_travel_in_an_extension() -> None:
    profile = AgentProfile(
        name="Mira",
        tagline="Your bouldering buddy",
        personality="Mira climbs every weekend.",
        traits=["upbeat"],
        interests=["climbing", "tea"],
        tone="warm, teasing",
        greeting="Hey! Ready to climb?",
        openers=["What grade do you climb?"],
        avoid_topics=[{"topic": "politics", "reply": "I'd rather talk climbing!"}],
        visibility="unlisted",
        reply_mode="drafts",
        example_dialogues=[[{"speaker": "user", "text": "hi"}, {"speaker": "agent", "text": "yo"}]],
    )
    exported = export_card(
        profile,
        handle="mira_climbs",
        kind="creator",
        lorebook=None,
        card_extra={},
        avatar=None,
        fmt="json_v3",
    )
    card = json.loads(exported)
    assert card["data"]["description"] == "Mira climbs every weekend."
    assert card["data"]["personality"] == "warm, teasing"
    assert card["data"]["mes_example"] == "<START>\n{{user}}: hi\n{{char}}: yo"
    assert card["data"]["extensions"]["townsquare"]["handle"] == "mira_climbs"
    assert card["data"]["extensions"]["townsquare"]["kind"] == "creator"
    reimported = import_card(exported, kind="creator")
    assert reimported.spec.model_dump() == {
        **profile.model_dump(),
        "handle": "mira_climbs",
        "kind": "creator",
    }
    assert reimported.card_extra["data"]["extensions"] == {"townsquare": {}}
    assert "verbatim" not in reimported.card_extra  # the mapping itself is lossless here
    assert json.loads(export(reimported, "json_v3")) == card


def test_a_card_from_elsewhere_gets_no_townsquare_block() -> None:
    exported = json.loads(export(import_card(card_bytes(AURORA_V3)), "json_v3"))
    assert "townsquare" not in exported["data"]["extensions"]


def test_unknown_keys_in_the_townsquare_block_survive() -> None:
    card = copy.deepcopy(AURORA_V3)
    card["data"]["extensions"]["townsquare"] = {"tagline": "Star charts!", "future_field": [1, 2]}
    imported = import_card(card_bytes(card))
    assert imported.spec.tagline == "Star charts!"
    block = json.loads(export(imported, "json_v3"))["data"]["extensions"]["townsquare"]
    assert block["future_field"] == [1, 2]
    assert block["tagline"] == "Star charts!"


def test_a_v1_card_is_upgraded() -> None:
    v1 = {
        "name": "Old Timer",
        "description": "A V1 character.",
        "personality": "grumpy",
        "scenario": "",
        "first_mes": "Hmph.",
        "mes_example": "",
        "chat": "Old Timer - 2023-01-01",
    }
    imported = import_card(card_bytes(v1))
    assert imported.version == "v1"
    assert (imported.spec.name, imported.spec.tone, imported.spec.greeting) == (
        "Old Timer",
        "grumpy",
        "Hmph.",
    )
    data = json.loads(export(imported, "json_v2"))["data"]
    assert {key: data[key] for key in v1 if key != "chat"} == {
        key: value for key, value in v1.items() if key != "chat"
    }
    assert data["alternate_greetings"] == [] and data["extensions"] == {}


# --- PNG ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("compressed", "itxt"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_png_cards_from_other_tools(compressed: bool, itxt: bool) -> None:
    data = png_card({"chara": b64(SERAPHINA_V2)}, compressed=compressed, itxt=itxt)
    imported = import_card(data, filename="seraphina.png")
    assert imported.spec.name == "Seraphina"
    assert imported.avatar is not None
    assert pixels(imported.avatar) == pixels(data)
    avatar_keywords = [chunk.data.split(b"\0")[0] for chunk in read_chunks(imported.avatar)]
    assert b"chara" not in avatar_keywords  # the card does not travel inside the avatar
    assert b"Software" in avatar_keywords


@pytest.mark.parametrize("itxt", [False, True])
def test_a_png_card_with_raw_json_text_is_accepted(itxt: bool) -> None:
    card = copy.deepcopy(SERAPHINA_V2)
    card["data"]["name"] = "Séraphine 🌿"
    if itxt:
        data = png_card({"chara": json.dumps(card, ensure_ascii=False)}, itxt=True)
    else:  # a lax tool writing UTF-8 JSON into a tEXt chunk
        data = with_chunk(b"tEXt", b"chara\x00" + json.dumps(card, ensure_ascii=False).encode())
    assert import_card(data).spec.name == "Séraphine 🌿"


def test_ccv3_is_preferred_over_chara() -> None:
    old = copy.deepcopy(SERAPHINA_V2)
    old["data"]["name"] = "Backfilled"
    imported = import_card(png_card({"chara": b64(old), "ccv3": b64(AURORA_V3)}))
    assert (imported.spec.name, imported.version) == ("Aurora", "v3")


def test_png_v3_export_writes_both_chunks_and_keeps_the_picture() -> None:
    avatar = png_card({"Comment": "keep me"})
    imported = import_card(card_bytes(AURORA_V3))
    exported = export(imported, "png_v3", avatar=avatar)
    texts = png_texts(exported)
    assert unb64(texts["ccv3"])["data"] == AURORA_V3["data"]
    backfill = unb64(texts["chara"])
    assert backfill["spec"] == "chara_card_v2"
    assert backfill["data"]["creator_notes"].startswith("This character card is Character Card V3")
    assert texts["Comment"] == "keep me"
    image_chunks = [c for c in read_chunks(exported) if c.type in (b"IHDR", b"IDAT", b"PLTE")]
    assert image_chunks == [c for c in read_chunks(avatar) if c.type in (b"IHDR", b"IDAT", b"PLTE")]
    assert import_card(exported).spec == imported.spec


def test_png_v2_export_has_only_the_chara_chunk() -> None:
    exported = export(import_card(card_bytes(SERAPHINA_V2)), "png_v2", avatar=picture())
    texts = png_texts(exported)
    assert "ccv3" not in texts
    assert unb64(texts["chara"])["data"] == SERAPHINA_V2["data"]


def test_png_export_without_an_avatar_renders_a_placeholder() -> None:
    imported = import_card(card_bytes(SERAPHINA_V2))
    first, second = export(imported, "png_v2"), export(imported, "png_v2")
    assert first == second
    with Image.open(io.BytesIO(first)) as image:
        assert image.size == (512, 768)
        colours = image.convert("RGB").getcolors(maxcolors=100_000)
    assert colours is not None and len(colours) > 1  # the initial is drawn


def test_a_jpeg_avatar_is_converted_for_a_png_card() -> None:
    exported = export(import_card(card_bytes(SERAPHINA_V2)), "png_v3", avatar=picture(fmt="JPEG"))
    with Image.open(io.BytesIO(exported)) as image:
        assert (image.format, image.size) == ("PNG", (24, 36))


def test_a_large_jpeg_avatar_is_decoded_at_reduced_scale_for_a_png_card(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decoded: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def spy(image: ImageFile.ImageFile) -> Any:
        decoded.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    big = picture(size=(4000, 3000), fmt="JPEG")
    exported = export(import_card(card_bytes(SERAPHINA_V2)), "png_v3", avatar=big)
    assert decoded and max(max(size) for size in decoded) <= 2 * EXPORT_MAX_SIDE
    with Image.open(io.BytesIO(exported)) as image:
        assert max(image.size) == EXPORT_MAX_SIDE


def test_an_avatar_too_large_to_convert_is_refused_with_a_reason() -> None:
    bomb = Image.new("P", (16, 16))
    out = io.BytesIO()
    bomb.save(out, format="GIF")
    data = bytearray(out.getvalue())
    data[6:10] = struct.pack("<HH", 13_000, 13_000)  # the logical screen the GIF claims
    data[data.index(b"\x2c") + 5 : data.index(b"\x2c") + 9] = struct.pack("<HH", 13_000, 13_000)
    with pytest.raises(CardError, match=r"^avatar: the picture is 13000x13000 pixels"):
        export(import_card(card_bytes(SERAPHINA_V2)), "png_v3", avatar=bytes(data))


# --- CHARX ----------------------------------------------------------------------------------


def charx_card(uri: str = "embeded://assets/icon/images/main.png") -> dict[str, Any]:
    card = copy.deepcopy(AURORA_V3)
    card["data"]["assets"] = [
        {"type": "icon", "uri": uri, "name": "main", "ext": "png"},
        {
            "type": "emotion",
            "uri": "embeded://assets/emotion/images/happy.png",
            "name": "happy",
            "ext": "png",
        },
        {"type": "background", "uri": "https://example.org/bg.webp", "name": "main", "ext": "webp"},
    ]
    return card


def test_charx_import_reads_the_card_and_the_main_icon() -> None:
    icon = picture("gold")
    data = charx(
        charx_card(),
        {"assets/icon/images/main.png": icon, "assets/emotion/images/happy.png": picture("pink")},
    )
    imported = import_card(data, filename="aurora.charx")
    assert (imported.spec.name, imported.version, imported.avatar) == ("Aurora", "v3", icon)
    kept = imported.card_extra["data"]["assets"]
    assert [asset["name"] for asset in kept] == ["main", "main"]  # the emotion's bytes are not kept


def test_charx_round_trip_writes_the_icon_back_in_place() -> None:
    icon = picture("gold")
    imported = import_card(charx(charx_card(), {"assets/icon/images/main.png": icon}))
    exported = export(imported, "charx")
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        assert sorted(archive.namelist()) == ["assets/icon/images/main.png", "card.json"]
        assert archive.read("assets/icon/images/main.png") == icon
        card = json.loads(archive.read("card.json"))
    expected = charx_card()
    del expected["data"]["assets"][1]
    assert card["data"] == expected["data"]
    assert import_card(exported).avatar == icon


def test_charx_export_makes_the_avatar_the_main_icon() -> None:
    avatar = picture("navy", fmt="JPEG")
    exported = export(import_card(card_bytes(SERAPHINA_V2)), "charx", avatar=avatar)
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        assert archive.read("assets/icon/images/main.jpg") == avatar
        card = json.loads(archive.read("card.json"))
    assert card["spec"] == "chara_card_v3"
    assert card["data"]["assets"] == [
        {
            "type": "icon",
            "uri": "embeded://assets/icon/images/main.jpg",
            "name": "main",
            "ext": "jpg",
        }
    ]
    reimported = import_card(exported)
    assert reimported.avatar == avatar
    assert reimported.spec == import_card(card_bytes(SERAPHINA_V2)).spec


def test_a_new_avatar_replaces_the_main_icon_in_a_charx() -> None:
    from_png = import_card(card_bytes(AURORA_V3))  # main icon "ccdefault:"
    from_charx = import_card(charx(charx_card(), {"assets/icon/images/main.png": picture()}))
    jpeg = picture("maroon", fmt="JPEG")
    for imported in (from_png, from_charx):
        with zipfile.ZipFile(io.BytesIO(export(imported, "charx", avatar=jpeg))) as archive:
            assert archive.read("assets/icon/images/main.jpg") == jpeg
            assert "assets/icon/images/main.png" not in archive.namelist()
            assets = json.loads(archive.read("card.json"))["data"]["assets"]
        assert assets[0] == {
            "type": "icon",
            "uri": "embeded://assets/icon/images/main.jpg",
            "name": "main",
            "ext": "jpg",
        }
        assert assets[-1]["type"] == "background"


def test_an_embedded_icon_becomes_the_default_in_a_json_export() -> None:
    imported = import_card(charx(charx_card(), {"assets/icon/images/main.png": picture()}))
    assets = json.loads(export(imported, "json_v3"))["data"]["assets"]
    assert assets[0] == {"type": "icon", "uri": "ccdefault:", "name": "main", "ext": "png"}


def test_a_bare_card_json_with_an_embedded_icon_has_no_avatar() -> None:
    imported = import_card(card_bytes(charx_card()))
    assert imported.avatar is None
    assert json.loads(export(imported, "json_v3"))["data"]["assets"][0]["uri"] == "ccdefault:"


def test_a_data_url_that_is_not_base64_is_left_alone() -> None:
    imported = import_card(card_bytes(charx_card("data:image/svg+xml,<svg/>")))
    assert imported.avatar is None


def test_a_data_url_icon_in_a_json_card_is_the_avatar() -> None:
    icon = picture("olive")
    uri = "data:image/png;base64," + base64.b64encode(icon).decode()
    imported = import_card(card_bytes(charx_card(uri)))
    assert imported.avatar == icon
    assert json.loads(export(imported, "json_v3"))["data"]["assets"][0]["uri"] == uri


# --- Malformed cards --------------------------------------------------------------------------


def v2(**data: Any) -> bytes:
    return card_bytes(
        {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "X", **data}}
    )


def bad_book(entries: list[Any]) -> bytes:
    return v2(character_book={"entries": entries, "extensions": {}})


def encrypted_charx() -> bytes:
    data = bytearray(charx(AURORA_V3))
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the "encrypted" flag, as the central directory states it
    return bytes(data)


def damaged_charx() -> bytes:
    data = bytearray(charx({"spec": "chara_card_v3", "data": {"name": "x" * 2_000}}))
    data[60] ^= 0xFF  # inside card.json's compressed bytes
    return bytes(data)


def pixel_bomb() -> bytes:
    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    return write_chunks([Chunk(b"IHDR", header), Chunk(b"IEND", b"")])


def with_chunk(kind: bytes, data: bytes) -> bytes:
    chunks = read_chunks(picture())
    return write_chunks([chunks[0], Chunk(kind, data), *chunks[1:]])


def data_url_card(payload: str) -> bytes:
    return card_bytes(charx_card("data:image/png;base64," + payload))


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("card.json", b" " * (21 * 2**20))
    return out.getvalue()


# (name, the file or a function making a large one, the error expected)
MALFORMED: list[tuple[str, bytes | Callable[[], bytes], str]] = [
    ("not json", b"{nope", r"^json: not valid JSON \(Expecting property name"),
    ("nan", b'{"spec": "chara_card_v2", "data": {"name": NaN}}', "NaN is not a JSON value"),
    ("array", b"[1, 2]", "not a character card"),
    ("gif", b"GIF89a......", "not a character card"),
    ("not an object", b'{"spec": "chara_card_v2", "data": []}', "^data: must be an object"),
    ("missing data", b'{"spec": "chara_card_v2"}', "^data: missing"),
    ("unknown spec", b'{"spec": "tavern", "data": {}}', "^spec: 'tavern' is not"),
    ("lorebook", b'{"spec": "lorebook_v3", "data": {}}', "is a lorebook"),
    ("no spec nor name", b'{"description": "x"}', "^spec: missing"),
    ("missing name", card_bytes({"spec": "chara_card_v3", "data": {}}), "^data.name: missing"),
    ("blank name", v2(name="  "), "^data.name: must not be empty"),
    ("v1 name type", b'{"name": 5}', "^name: must be a string"),
    ("description type", v2(description=5), "^data.description: must be a string"),
    ("greetings type", v2(alternate_greetings="hi"), "^data.alternate_greetings: must be a list"),
    ("tags type", v2(tags=[1]), "^data.tags: must be a list of strings"),
    ("extensions type", v2(extensions=[]), "^data.extensions: must be an object"),
    ("date type", v2(creation_date="today"), "^data.creation_date: must be a number"),
    ("assets type", v2(assets=[{"type": "icon"}]), "^data.assets: must be a list of"),
    ("book type", v2(character_book=[]), "^data.character_book: must be an object"),
    (
        "book entry keys",
        bad_book([{"keys": ["a"], "content": "A"}] * 2 + [{"keys": "c", "content": "C"}]),
        r"^data.character_book.entries\[2\].keys: must be a list of strings",
    ),
    ("non-list entries", bad_book({"a": 1}), "^data.character_book.entries: must be a list"),  # type: ignore[arg-type]
    ("name too long", v2(name="x" * 81), "^data.name: String should have at most 80 characters"),
    (
        "persona too long",
        v2(description="x" * 32_001),
        "^data.description: String should have at most",
    ),
    (
        "personality too long",
        v2(description="x" * 7_900, personality="y" * 300),
        "^data.personality: too long",
    ),
    (
        "example turn too long",
        v2(mes_example="<START>\n{{user}}: hi\n{{char}}: " + "z" * 2_001),
        r"^data.mes_example \(example dialogue 1, turn 2\): String should have at most 2000",
    ),
    ("nul", v2(scenario="a\x00b"), "^data.scenario: text must not contain NUL characters"),
    (
        "too many openers",
        v2(extensions={"townsquare": {"openers": ["a", "b", "c", "d"]}}),
        "^data.extensions.townsquare.openers: List should have at most 3 items",
    ),
    (
        "bad avoid topic",
        v2(extensions={"townsquare": {"avoid_topics": [{"topic": "x"}]}}),
        r"^data.extensions.townsquare.avoid_topics\[0\].topic: String should have at least 2",
    ),
    (
        "bad handle",
        v2(extensions={"townsquare": {"handle": "Not A Handle!"}}),
        "^data.extensions.townsquare.handle: must be 3-32 characters",
    ),
    (
        "block type",
        v2(extensions={"townsquare": "x"}),
        "^data.extensions.townsquare: must be an object",
    ),
    ("bad base64", png_card({"chara": "%%%not base64%%%"}), "^png chara chunk: not valid base64"),
    ("base64 of junk", png_card({"chara": "aGVsbG8="}), r"^png chara chunk: not valid JSON"),
    ("png without card", png_card({}), "^png: no character card in this image"),
    ("truncated png", png_card({"chara": b64(SERAPHINA_V2)})[:60], "^png: the file is truncated"),
    (
        "truncated header",
        png_card({"chara": b64(SERAPHINA_V2)})[:36],
        "^png: the file is truncated",
    ),
    (
        "zTXt bomb",
        lambda: with_chunk(b"zTXt", b"chara\x00\x00" + zlib.compress(b"A" * (21 * 2**20))),
        "^png chara chunk: larger than 20 MB uncompressed",
    ),
    ("zTXt damaged", with_chunk(b"zTXt", b"chara\x00\x00not zlib"), "compressed text is damaged"),
    ("iTXt damaged", with_chunk(b"iTXt", b"chara\x00\x00"), "^png chara chunk: the iTXt header"),
    ("iTXt no fields", with_chunk(b"iTXt", b"chara\x00\x00\x00en"), "the iTXt header is damaged"),
    ("iTXt not UTF-8", with_chunk(b"iTXt", b"chara\x00\x00\x00\x00\x00{\xff}"), "not UTF-8"),
    ("chunk not a card", png_card({"chara": b64([1])}), "^card: must be a JSON object"),  # type: ignore[arg-type]
    ("json not UTF-8", b'{"name": "\xff"}', "^json: not UTF-8 text"),
    (
        "json too deep",
        b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "^json: nested too deeply",
    ),
    ("encrypted", encrypted_charx(), "^charx card.json: encrypted files are not supported"),
    ("damaged member", damaged_charx(), "^charx card.json: damaged"),
    (
        "too many files",
        lambda: charx(AURORA_V3, {f"f{n}": b"" for n in range(10_000)}),
        "^charx: more than 10000 files",
    ),
    ("data URL", data_url_card("%%%"), r"^data.assets\[0\].uri: the data URL is not valid base64"),
    (
        "icon not an image",
        data_url_card(base64.b64encode(b"just text").decode()),
        r"^data.assets\[0\].uri: not a PNG, JPEG, GIF or WebP image",
    ),
    (
        "pixel bomb",
        data_url_card(base64.b64encode(pixel_bomb()).decode()),
        r"^data.assets\[0\].uri: the image has more than 48,000,000 pixels",
    ),
    ("zip without card", charx(None, {"x.txt": b"x"}), "^charx: card.json is missing"),
    ("broken zip", b"PK\x03\x04 this is not a zip", "^charx: not a readable zip file"),
    ("zip bomb", zip_bomb, "^charx card.json: larger than 20 MB uncompressed"),
    (
        "missing icon",
        charx(charx_card(), {}),
        r"^data.assets\[0\].uri: embeded://assets/icon/images/main.png is not in the file",
    ),
    (
        "icon not an image",
        charx(charx_card(), {"assets/icon/images/main.png": b"\x89PNG\r\n\x1a\nbroken"}),
        r"^data.assets\[0\].uri: the image is damaged",
    ),
    ("too big", lambda: b"{" + b" " * (20 * 2**20), "^card: at most 20 MB"),
]


@pytest.mark.parametrize(
    ("data", "message"), [case[1:] for case in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_malformed_cards_are_refused_naming_the_field(
    data: bytes | Callable[[], bytes], message: str
) -> None:
    with pytest.raises(CardError, match=message):
        import_card(data() if callable(data) else data)


def test_an_unknown_export_format_is_refused() -> None:
    imported = import_card(card_bytes(AURORA_V3))
    with pytest.raises(CardError, match=r"^format: 'gif' is not one of json_v2, json_v3, png_v2"):
        export(imported, "gif")  # type: ignore[arg-type]


def test_a_damaged_png_chunk_is_named() -> None:
    data = bytearray(png_card({"chara": b64(SERAPHINA_V2)}))
    data[50] ^= 0xFF  # inside the first text chunk after IHDR
    with pytest.raises(CardError, match=r"^png: the \w+ chunk is damaged \(bad CRC\)"):
        import_card(bytes(data))


# --- Property-based round trips -------------------------------------------------------------

_text = st.text(
    st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=40
)
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)
_extensions = st.dictionaries(_text.filter(lambda key: key != "townsquare"), _json, max_size=3)
_entries = st.fixed_dictionaries(
    {
        "keys": st.lists(_text, max_size=3),
        "content": _text,
        "extensions": _extensions,
        "enabled": st.booleans(),
        "insertion_order": st.integers(-100, 100),
    },
    optional={
        "case_sensitive": st.booleans(),
        "use_regex": st.booleans(),
        "constant": st.booleans(),
        "selective": st.booleans(),
        "secondary_keys": st.lists(_text, max_size=2),
        "priority": st.integers(0, 100),
        "id": st.integers(0, 1000) | _text,
        "comment": _text,
        "name": _text,
        "position": st.sampled_from(["before_char", "after_char"]),
    },
)
_books = st.fixed_dictionaries(
    {"entries": st.lists(_entries, max_size=3), "extensions": _extensions},
    optional={
        "name": _text,
        "description": _text,
        "scan_depth": st.integers(0, 50),
        "token_budget": st.integers(0, 4_000),
        "recursive_scanning": st.booleans(),
    },
)
_examples = st.lists(
    st.lists(st.tuples(st.sampled_from(["{{user}}", "{{char}}"]), _text), max_size=3), max_size=3
).map(lambda blocks: "\n".join("<START>\n" + "\n".join(f"{w}: {t}" for w, t in b) for b in blocks))
_v2_fields = {
    "name": _text.filter(lambda name: name.strip()),
    "description": st.text(max_size=300).filter(lambda text: "\x00" not in text),
    "personality": _text | st.text("abc ", min_size=201, max_size=400),
    "scenario": _text,
    "first_mes": _text,
    "mes_example": _text | _examples,
    "creator_notes": _text,
    "system_prompt": _text,
    "post_history_instructions": _text,
    "alternate_greetings": st.lists(_text, max_size=4),
    "tags": st.lists(_text, max_size=3),
    "creator": _text,
    "character_version": _text,
    "extensions": _extensions,
}
_v2_data = st.fixed_dictionaries(_v2_fields, optional={"character_book": _books})
_v3_data = st.fixed_dictionaries(
    {**_v2_fields, "group_only_greetings": st.lists(_text, max_size=2)},
    optional={
        "character_book": _books,
        "nickname": _text,
        "source": st.lists(_text, max_size=2),
        "creator_notes_multilingual": st.dictionaries(st.sampled_from(["en", "fr", "ja"]), _text),
        "creation_date": st.integers(0, 2**31),
        "modification_date": st.integers(0, 2**31),
        "assets": st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(["icon", "background", "emotion", "x_custom"]),
                    "uri": st.sampled_from(["ccdefault:", "https://example.org/a.png"]),
                    "name": _text,
                    "ext": st.sampled_from(["png", "webp", "unknown"]),
                }
            ),
            max_size=3,
        ),
        "x_unknown_field": _json,
    },
)
_fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_fast
@given(_v2_data)
def test_any_v2_card_round_trips_as_json(data: dict[str, Any]) -> None:
    card = {"spec": "chara_card_v2", "spec_version": "2.0", "data": data}
    exported = json.loads(export(import_card(card_bytes(card)), "json_v2"))
    assert exported["data"] == data


@_fast
@given(_v3_data)
def test_any_v3_card_round_trips_as_json(data: dict[str, Any]) -> None:
    card = {"spec": "chara_card_v3", "spec_version": "3.0", "data": data}
    exported = json.loads(export(import_card(card_bytes(card)), "json_v3"))
    assert exported["data"] == data


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_v3_data, st.sampled_from(["png_v2", "png_v3", "charx"]))
def test_any_v3_card_round_trips_through_png_and_charx(
    data: dict[str, Any], fmt: CardFormat
) -> None:
    card = {"spec": "chara_card_v3", "spec_version": "3.0", "data": data}
    imported = import_card(card_bytes(card))
    again = import_card(export(imported, fmt))
    assert (again.spec, again.lorebook) == (imported.spec, imported.lorebook)
    assert json.loads(export(again, "json_v3"))["data"] == data
