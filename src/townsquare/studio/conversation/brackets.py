"""Bracketed card descriptions (W++ and PList) read into plain sentences before the model
reads them.

Many community cards describe the character as a compact bracketed list instead of prose:
W++, ``[character("Tam") { Job("chimney sweep" + "roof mender") Likes("tea") }]``, and
PList, ``[Tam's persona: gruff, kind; Tam's likes: tea, rooftops]``. Large models read them
as written; a 135M model copies the punctuation or ignores it, and the persona reminder (the
description's first sentence, ``prompt.reminder``) becomes forty words of brackets and quotes.
Here each block becomes one sentence per attribute ("Job: chimney sweep, roof mender.
Likes: tea."), in the card's own words and labels; text outside the brackets is kept, and a
bracketed aside that is neither form ("[laughs]") is left as it is. The stored card keeps its
text (it exports as it came), as with the macros (``macros``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from townsquare.studio.conversation.persona import Persona

# W++: ``[character("Name") { Key("value" + "value") Key2("value") }]``, over any lines.
_WPP = re.compile(r"\[\s*character\s*\(\s*\"[^\"]*\"\s*\)\s*\{(?P<body>[^{}]*)\}\s*\]", re.I)
_WPP_ATTRIBUTE = re.compile(r"(?P<key>[^\s()\"]+(?: [^\s()\"]+)*)\s*\((?P<values>[^()]*)\)")
_QUOTED = re.compile(r"\"([^\"]*)\"")
# PList: ``[label: values; label: values]`` (no nested brackets).
_BLOCK = re.compile(r"\[(?P<body>[^\[\]]*)\]")
_LABEL = re.compile(r"^\s*(?P<label>[^:;]{1,60}?)\s*:\s*(?P<values>.+?)\s*$", re.S)


def _sentences(match: re.Match[str], pairs: list[tuple[str, str]], name: str) -> str:
    """``pairs`` (label, values) as sentences; a label that is only the character's ``name``
    is left out ("[Tam: gruff, kind]" says what Tam is). No full stop before the text's own."""
    said = []
    for label, values in pairs:
        text = " ".join(values.split() if label.strip() == name else f"{label}: {values}".split())
        said.append(text if text.endswith((".", "!", "?")) else f"{text}.")
    text = " ".join(said)
    follows = match.string[match.end() : match.end() + 1]
    return text[:-1] if follows and follows in ".!?,;:" and text.endswith(".") else text


def _wpp(match: re.Match[str], name: str) -> str:
    pairs = []
    for attribute in _WPP_ATTRIBUTE.finditer(match.group("body")):
        quoted = _QUOTED.findall(attribute.group("values"))
        values = ", ".join(v.strip() for v in quoted) if quoted else attribute.group("values")
        if values.strip():
            pairs.append((attribute.group("key"), values))
    return _sentences(match, pairs, name) if pairs else match.group(0)


def _plist(match: re.Match[str], name: str) -> str:
    parts = [_LABEL.match(part) for part in match.group("body").split(";") if part.strip()]
    if not parts or not all(parts):
        return match.group(0)  # an aside, or text that only looks like a list
    return _sentences(match, [(p.group("label"), p.group("values")) for p in parts if p], name)


def plain(text: str, name: str) -> str:
    """``text`` with its W++ and PList blocks written as sentences; ``name``: the
    character's (``plain('[Tam's likes: tea, roofs]', "Tam")`` is "Tam's likes: tea, roofs.")."""
    text = _WPP.sub(lambda match: _wpp(match, name), text)
    return _BLOCK.sub(lambda match: _plist(match, name), text)


def worded(persona: Persona) -> Persona:
    """``persona`` with the bracketed lists of its descriptive fields written as sentences."""
    return replace(
        persona,
        personality=plain(persona.personality, persona.name),
        tone=plain(persona.tone, persona.name),
        scenario=plain(persona.scenario, persona.name),
    )
