"""The Studio's agent form: the profile fields as text boxes (lists one per line, avoided topics
as ``topic | reply``, dialogues as ``user:``/``agent:`` lines) and back."""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import FormData

from townsquare.studio.spec import AgentProfile

LIST_FIELDS = ("traits", "interests", "alternate_greetings", "openers")
TEXT_FIELDS = (
    "name",
    "tagline",
    "personality",
    "tone",
    "scenario",
    "greeting",
    "instructions",
    "visibility",
    "reply_mode",
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def profile_from_form(form: FormData) -> dict[str, Any]:
    """The profile fields as the service takes them, from the Studio form's text boxes: lists
    one per line, avoided topics as ``topic | reply``, dialogues as ``user:``/``agent:`` lines
    with a blank line between dialogues."""
    values: dict[str, Any] = {name: str(form.get(name, "")) for name in TEXT_FIELDS}
    for name in LIST_FIELDS:
        values[name] = _lines(str(form.get(name, "")))
    topics = []
    for line in _lines(str(form.get("avoid_topics", ""))):
        topic, _, reply = line.partition("|")
        topics.append({"topic": topic.strip(), "reply": reply.strip()})
    values["avoid_topics"] = topics
    dialogues = []
    for block in str(form.get("example_dialogues", "")).replace("\r", "").split("\n\n"):
        turns = []
        for line in _lines(block):
            speaker, _, text = line.partition(":")
            turns.append({"speaker": speaker.strip().lower(), "text": text.strip()})
        if turns:
            dialogues.append(turns)
    values["example_dialogues"] = dialogues
    if sentences := str(form.get("reply_sentences", "")).strip():
        values["reply_sentences"] = sentences  # the service says when it is not 1-8
    return values


def form_from_profile(profile: AgentProfile) -> dict[str, str]:
    """The reverse of ``profile_from_form``: what the text boxes show for a stored agent."""
    values = {name: str(getattr(profile, name)) for name in TEXT_FIELDS}
    for name in LIST_FIELDS:
        values[name] = "\n".join(getattr(profile, name))
    values["avoid_topics"] = "\n".join(f"{t.topic} | {t.reply}" for t in profile.avoid_topics)
    values["reply_sentences"] = str(profile.reply_sentences)
    values["example_dialogues"] = "\n\n".join(
        "\n".join(f"{turn.speaker}: {turn.text}" for turn in dialogue)
        for dialogue in profile.example_dialogues
    )
    return values


def book_text(book: dict[str, Any] | None) -> str:
    """The lorebook as the Studio's text box shows it: indented JSON, or nothing."""
    return json.dumps(book, indent=2, ensure_ascii=False) if book else ""
