"""The lines of a rehearsal: the other person's, checked sentence by sentence as the model
writes them, and the member's, checked for an attempt to end the role-play.

The embedded 135M model often drifts: it narrates ("Dana smiles"), labels its own lines, loops
on one sentence, or talks about being an assistant. A line keeps at most ``REPLY_SENTENCES``
good sentences and stops at the first bad one (the caller says a steering line when none is
left).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator, Sequence

from townsquare.ai.chat import ChatChunk, ChatModel, ChatRequest
from townsquare.studio.conversation.safety import is_override_attempt
from townsquare.studio.rehearsal_scenarios import Scenario

REPLY_SENTENCES = 2  # the other person speaks in short turns
# A sentence of at least this many words repeats an earlier one when it shares this share of
# its words with it.
REPEAT_MIN_WORDS = 4
REPEAT_OVERLAP = 0.8

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'\u201d\u2019)\]]*\s+")
_STAGE_DIRECTION = re.compile(r"\([^)]*\)?|\*[^*]*\*?|\[[^\]]*\]?")
_SPEAKER_LABEL = re.compile(r"^[\w .'\u2019-]{1,40}:\s*")
_OUT_OF_CHARACTER = re.compile(
    r"\b(?:as an ai|an ai|a\.i\.|ai model|language model|assistant|chat ?bot|role-?play|"
    r"scenario|the user|system prompt|instructions?|in character|conversation so far|"
    r"here to help|happy to help|not available|assist(?:ance)?)\b"
    r"|\b(?:she|he) (?:says|asks|replies)\b|\b(?:smiles|nods|sighs|shrugs|frowns)\b",
    re.I,
)
# Member lines that try to end the role-play without sounding like a prompt injection.
_BREAKS_SCENE = re.compile(
    r"\b(?:ignore|forget|drop|stop|leave|break|quit)\b[^.!?\n]{0,30}"
    r"\b(?:scenario|role-?play(?:ing)?|character|script|game|pretending)\b"
    r"|\bout of character\b"
    r"|\byou(?:'re| are) (?:just )?(?:an? )?(?:ai|bot|chat ?bot|language model|assistant)\b"
    r"|\b(?:write|compose|generate)\b[^.!?\n]{0,12}"
    r"\b(?:poem|story|essay|song|haiku|limerick|code|recipe)\b",
    re.I,
)


def off_script(text: str) -> bool:
    """Whether a member line tries to end the role-play or rewrite the other person."""
    return is_override_attempt(text) or _BREAKS_SCENE.search(text) is not None


def spoken(
    model: ChatModel, request: ChatRequest, scenario: Scenario, *, avoid: Sequence[str]
) -> Generator[str, None, None]:
    """The usable sentences of the model's line, as they complete: cleaned of labels and stage
    directions, at most ``REPLY_SENTENCES``, ending at the first one that is out of character,
    loops ("I'm sorry, I'm sorry."), or repeats a sentence of its own or of ``avoid``. May
    yield nothing."""
    seen = {normalised(sentence) for line in avoid for sentence in [line, *_split(line)]}
    count = 0
    chunks = model.stream(request)
    try:
        for sentence in _sentences(chunks):
            line = _clean(sentence, first=count == 0)
            if not line:
                continue
            key = normalised(line)
            if (
                _repeats(key, seen)
                or _loops(line)
                or _OUT_OF_CHARACTER.search(line)
                or _starts_with(line, scenario.name)
            ):
                return
            seen.add(key)
            yield line if count == 0 else f" {line}"
            count += 1
            if count == REPLY_SENTENCES:
                return
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # stops generation now and frees the model for the next request


def _sentences(chunks: Iterator[ChatChunk]) -> Iterator[str]:
    """Complete sentences as the model writes them. A line break after some text ends the
    reply (the model has started on someone else's line), and so does running out of tokens
    (the last sentence would be cut off)."""
    buffer = ""
    finish_reason = None
    for chunk in chunks:
        buffer += chunk.text
        finish_reason = chunk.finish_reason or finish_reason
        text = buffer.lstrip()
        if "\n" in text:
            yield from _split(text[: text.index("\n")])
            return
        ends = list(_SENTENCE_END.finditer(text))
        if ends:
            yield from _split(text[: ends[-1].end()])
            text = text[ends[-1].end() :]
        buffer = text
    if finish_reason != "length":
        yield from _split(buffer)


def _split(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def _clean(sentence: str, *, first: bool) -> str:
    text = _STAGE_DIRECTION.sub(" ", sentence)
    if first:
        text = _SPEAKER_LABEL.sub("", text.strip())
    # A leading "- " is the model copying the prompt's list of example lines.
    text = " ".join(text.split()).lstrip("-\u2013\u2014 ").strip("\"'\u201c\u201d\u2018\u2019 ")
    return text if re.search(r"\w", text) else ""


def _starts_with(line: str, name: str) -> bool:
    """A line that starts with the speaker's own name is narration ("Dana stands up") or the
    model talking to itself ("Dana, I'm glad ...")."""
    return bool(name) and re.match(rf"{re.escape(name)}\b", line, re.I) is not None


def _repeats(key: str, seen: set[str]) -> bool:
    """Whether a normalised sentence is one of ``seen``, or (from four words up) shares 80% of
    its words with one: the small model re-says its last line with a word or two changed."""
    if key in seen:
        return True
    words = set(key.split())
    for earlier in seen:
        other = set(earlier.split())
        shortest = min(len(words), len(other))
        if shortest >= REPEAT_MIN_WORDS and len(words & other) >= REPEAT_OVERLAP * shortest:
            return True
    return False


def _loops(sentence: str) -> bool:
    """Whether a clause of the sentence comes twice: the small model's repetition loop."""
    clauses = [normalised(c) for c in re.split(r"[,;:]", sentence)]
    clauses = [c for c in clauses if c]
    return len(set(clauses)) < len(clauses)


def normalised(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
