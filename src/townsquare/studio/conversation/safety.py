"""Safety around the model: what may enter a prompt and what may leave it (avoided topics are
``avoided``).

Three kinds of text reach a prompt that nobody trusted: retrieved passages (an owner's post can
quote a stranger; an uploaded file can be anything), the member's messages, and the member's
display name. None of them may steer the agent. In order of defence:

1. ``strip_role_markers`` removes what a chat template would read as a new turn or role
   (``<|im_start|>system``, ``[INST]``, ``### Instruction`` and ``System:`` lines), from every
   untrusted text before it is rendered.
2. ``sanitise_passage`` also drops each sentence that speaks to an AI ("ignore previous
   instructions", "you are now", "reveal your system prompt", "AI assistants reading this
   must ..."): such a sentence is never a fact worth citing, so it leaves the prompt *and* the
   grounding guard's support set (a quoted answer cannot repeat it either).
3. ``check_reply`` reads the model's output: verbatim leaks of the prompt's rules or of any
   hidden text of the agent card (``hidden_texts``: instructions, personality, scenario,
   example dialogues, and the lorebook entries in the prompt; not the greeting or tagline a
   member sees anyway),
   claims to be human, and text the member asked to have repeated after an override attempt.
   ``StreamGuard`` applies it while a reply streams, holding back only the tail that could
   still grow into a violation, so one is caught before any of it is shown.

Patterns cannot catch every paraphrase; they are one layer. For creator and business agents the
grounding guard is the other: a reply must be supported by the (sanitised) sources, which an
injected instruction never is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import regex

from townsquare.studio.conversation.persona import Persona
from townsquare.studio.conversation.wording import (
    content_words,
    split_sentences,
    words,
)
from townsquare.studio.knowledge.passages import Passage

# A run of this many words shared with the secret text is a leak, not a coincidence.
LEAK_SHINGLE = 8

_ROLE_TOKENS = re.compile(
    r"<\|[^|<>]{1,40}\|>"  # ChatML and friends: <|im_start|>, <|system|>, <|endoftext|>
    r"|\[/?INST\]|<<\/?SYS>>"  # Llama 2
    r"|</?(?:s|system|user|assistant|source|memory|data)\b[^>]{0,80}>",  # our delimiters
    re.I,
)
_ROLE_LINE = re.compile(
    r"^[ \t>#*]*(?:#{1,6}[ \t]*)?"
    r"(?:system|assistant|instructions?|response|developer)[ \t]*(?::|$)[^\n]*$\n?",
    re.I | re.M,
)
_ROLE_LABEL = re.compile(
    r"^[ \t>#*]*(?:#{1,6}[ \t]*)?(?:system|assistant|instructions?|response|developer|user)"
    r"[ \t]*:?[ \t]*",
    re.I | re.M,
)
_AI = r"(?:ai|a\.i\.|assistants?|chat ?bots?|bots?|language models?|llms?|models?|gpts?)"
_INJECTION = re.compile(
    "|".join(
        [
            r"\b(?:ignore|disregard|forget|override|bypass|skip)\b[^.!?\n]{0,40}"
            r"\b(?:instructions?|rules|prompts?|directions|guidelines|guardrails|sources?|policy)",
            r"\byou are now\b",
            r"\bfrom now on\b[^.!?\n]{0,20}\byou\b",
            r"\b(?:new|updated|real|hidden|secret)\s+(?:instructions?|rules|system prompt|policy)",
            r"\bsystem prompt\b",
            r"\b(?:reveal|print|show|repeat|output|display|dump|translate|leak)\b[^.!?\n]{0,30}"
            r"\b(?:your|the)\b[^.!?\n]{0,15}\b(?:instructions|prompt|rules|configuration)",
            rf"\b(?:attention|note|message|dear|hey|hi|to)\b[^.!?\n]{{0,12}}\b{_AI}\b",
            rf"\b{_AI}\b[^.!?\n]{{0,20}}\b(?:must|should|shall|are required to|will now)\b",
            rf"\bif you are an? {_AI}",
            r"\banyone (?:answering|replying|responding)\b",
            r"\b(?:say|reply|respond|answer|repeat|write|output|print|end)\b[^.!?\n]{0,25}"
            r"\b(?:exactly|verbatim|word for word|only with|with the (?:word|phrase|text|code))",
            r"\brepeat after me\b",
            r"\b(?:developer|maintenance|debug|god|jailbreak) mode\b",
            r"\bpretend (?:to be|you are|you're)\b",
            r"(?:^|[.!?:]\s+)act as\b|\byou (?:must |should |will |now |can )?act as\b",
            r"\bdo anything now\b",
        ]
    ),
    re.I,
)
# ``regex`` rather than ``re``: a partial match says where a claim may be starting mid-stream.
_HUMAN_CLAIM = regex.compile(
    r"\bI(?:'m| am)\s+(?:a\s+|an\s+)?(?:real\s+|actual\s+)?(?:human(?: being)?|person)\b"
    r"|\bI(?:'m| am)\s+not\s+(?:an?\s+)?(?:ai|a\.i\.|bot|robot|machine|language model|program)\b"
    r"|\bnot an? (?:ai|bot)\b",
    regex.I,
)
# A word as ``grounding.words`` reads one, with where it is.
_WORD_SPAN = re.compile(r"[a-zA-Z0-9]+")
_QUOTED = re.compile(r"[\"\u201c\u2018']([^\"\u201c\u201d\u2018\u2019']{3,300})[\"\u201d\u2019']")
_AFTER_COLON = re.compile(
    r"\b(?:say|reply|respond|answer|repeat|write|output|print|end)\b[^:\n]{0,40}:\s*(.{3,300})",
    re.I,
)


def strip_role_markers(text: str) -> str:
    """``text`` without chat-template tokens, our own delimiters, or role-header lines."""
    return _ROLE_LINE.sub("", _ROLE_TOKENS.sub(" ", text)).strip()


def is_injection(sentence: str) -> bool:
    """Whether a sentence speaks to an AI to change what it does."""
    return _INJECTION.search(sentence) is not None


def _without_injections(text: str) -> str:
    kept_lines = []
    for line in text.splitlines():
        kept = [s for s in split_sentences(line) if not is_injection(s)]
        if kept:
            kept_lines.append(" ".join(kept))
    return "\n".join(kept_lines).strip()


def sanitise_text(text: str) -> str:
    """``text`` without role markers, role-header lines (a "System:" line in a document is
    never content) and instruction-like sentences; lines are kept, so a list still reads as
    one. For every untrusted text a model reads: passages, a watched comment."""
    return _without_injections(strip_role_markers(text))


def sanitise_passage(passage: Passage) -> Passage | None:
    """The passage sanitised (``sanitise_text``), title included; None if nothing is left."""
    text = sanitise_text(passage.text)
    if not text:
        return None
    title = " ".join(strip_role_markers(passage.title).split())
    return replace(passage, text=text, title="" if is_injection(title) else title)


def question_part(message: str) -> str:
    """What a member's message asks once any override attempt is taken out: role tokens and
    role labels ("SYSTEM: ...") removed, instruction-like sentences dropped. Unlike a passage's
    "System:" line, the rest of the member's line is kept: it may hold their real question."""
    return _without_injections(_ROLE_LABEL.sub("", _ROLE_TOKENS.sub(" ", message)))


def is_override_attempt(message: str) -> bool:
    """Whether a member's message tries to change the agent's instructions or persona."""
    return is_injection(strip_role_markers(message)) or _ROLE_TOKENS.search(message) is not None


def echo_targets(message: str) -> list[str]:
    """What an override attempt asks the agent to say: quoted text, or what follows
    'say:'/'repeat exactly:'. Empty unless the message is an override attempt."""
    if not is_override_attempt(message):
        return []
    found = [m.group(1) for m in _QUOTED.finditer(message)]
    found += [m.group(1) for m in _AFTER_COLON.finditer(message)]
    return [target.strip() for target in found if content_words(target)]


def hidden_texts(persona: Persona) -> list[str]:
    """What the owner wrote for the model and no member sees: a reply must not repeat it. The
    lorebook's entries are hidden too; the prompt adds those it holds (``prompt.secrets``),
    since only what the model read can leak, and a book may be far longer than a prompt."""
    examples = [line.text for dialogue in persona.example_dialogues for line in dialogue]
    texts = [persona.instructions, persona.personality, persona.scenario, *examples]
    return [text for text in texts if text]


def public_texts(persona: Persona) -> list[str]:
    """What any member who can see the agent reads anyway (its profile, its greeting, the
    owner's replies to avoided topics): repeating a run of it is no leak, even when a hidden
    text has the same run."""
    profile = [persona.name, persona.tagline, persona.greeting, persona.tone]
    return [*profile, *persona.traits, *persona.interests, *(t.reply for t in persona.avoid_topics)]


@dataclass(frozen=True)
class Violation:
    kind: Literal["leak", "human", "echo"]
    detail: str


def _normalised(text: str) -> str:
    return " ".join(words(text))


def _runs(texts: Sequence[str], sizes: range) -> set[tuple[str, ...]]:
    """Every run of consecutive words of each text, of each length in ``sizes``."""
    runs: set[tuple[str, ...]] = set()
    for text in texts:
        tokens = tuple(words(text))
        for size in sizes:
            runs.update(tokens[i : i + size] for i in range(len(tokens) - size + 1))
    return runs


class ReplyCheck:
    """What may not leave the model: verbatim runs of ``LEAK_SHINGLE`` words of a secret (the
    prompt's rules, the card's ``hidden_texts``) that no ``public`` text also has, claims to
    be human, and any of ``echo`` (see ``echo_targets``). The secrets are read once, so a
    streamed reply can be checked at every token."""

    def __init__(
        self, *, secrets: Sequence[str], echo: Sequence[str] = (), public: Sequence[str] = ()
    ) -> None:
        shared = _runs(public, range(LEAK_SHINGLE, LEAK_SHINGLE + 1))
        # every run of 1..LEAK_SHINGLE consecutive secret words, less the full-length public ones
        self._runs = _runs(secrets, range(1, LEAK_SHINGLE + 1)) - shared
        # every beginning of a secret word: what an unfinished last word may still become
        secret_words = {word for secret in secrets for word in words(secret)}
        self._prefixes = {word[:i] for word in secret_words for i in range(1, 40)}
        self._echo = [(target, _normalised(target)) for target in echo]

    def __call__(self, reply: str) -> Violation | None:
        """The first thing wrong with ``reply``; None when it may be shown."""
        tokens = tuple(words(reply))
        for i in range(len(tokens) - LEAK_SHINGLE + 1):
            if tokens[i : i + LEAK_SHINGLE] in self._runs:
                shared = " ".join(tokens[i : i + LEAK_SHINGLE])
                return Violation("leak", f"repeats its hidden text: {shared!r}")
        claim = _HUMAN_CLAIM.search(reply)
        if claim:
            return Violation("human", f"claims to be human: {claim.group(0)!r}")
        said = f" {_normalised(reply)} "
        for target, normalised in self._echo:
            if f" {normalised} " in said:
                return Violation("echo", f"repeats what an override attempt asked for: {target!r}")
        return None

    def unsettled(self, text: str) -> int:
        """Where the tail of ``text`` that could still become a violation begins (``len(text)``
        when none could): a run of two or more last words that a secret also has, or one such
        word followed by an unfinished word that may continue it, and a human claim under way
        ("I am a ..."). At most a leak's first word is shown before it is caught: one word in
        common with the instructions is no leak, and holding every such word would hold most
        replies. Echo targets are not tracked: a message that has them is an override attempt,
        whose reply is held whole."""
        spans = [m.span() for m in _WORD_SPAN.finditer(text)]
        tokens = [text[a:b].lower() for a, b in spans]
        unfinished = bool(spans) and spans[-1][1] == len(text)  # the model may still write it
        complete = len(tokens) - 1 if unfinished else len(tokens)
        run = 0  # the longest run of last complete words that a secret also has
        for size in range(min(complete, LEAK_SHINGLE - 1), 0, -1):
            if tuple(tokens[complete - size : complete]) in self._runs:
                run = size
                break
        start = len(text)
        if run >= 2 or (run == 1 and unfinished and tokens[-1] in self._prefixes):
            start = spans[complete - run][0]
        claim = _HUMAN_CLAIM.search(text, partial=True)
        if claim is not None and claim.partial:
            start = min(start, claim.start())
        return start


def check_reply(
    reply: str, *, secrets: Sequence[str], echo: Sequence[str] = (), public: Sequence[str] = ()
) -> Violation | None:
    """``ReplyCheck(secrets=secrets, echo=echo, public=public)(reply)``, for a reply checked
    once."""
    return ReplyCheck(secrets=secrets, echo=echo, public=public)(reply)


class StreamGuard:
    """Releases a streaming reply as the model writes it, holding back only the tail that could
    still become a violation, and checking all of it at every piece.

    ``hold_all`` holds everything until ``finish`` (used when the member's message is itself an
    override attempt: then nothing is shown until the whole reply is checked).
    """

    def __init__(self, check: ReplyCheck, *, hold_all: bool = False) -> None:
        self._check = check
        self._hold_all = hold_all
        self.text = ""
        self._released = 0
        self.violation: Violation | None = None

    def feed(self, piece: str) -> str:
        """Adds a piece of the reply; returns the text now safe to show ('' once violated)."""
        if self.violation is not None:
            return ""
        self.text += piece
        self.violation = self._check(self.text)
        if self.violation is not None or self._hold_all:
            return ""
        return self._release(self._check.unsettled(self.text))

    @property
    def released(self) -> str:
        """What has been shown so far."""
        return self.text[: self._released]

    def finish(self) -> str:
        """The rest of the reply, once it has passed the check; '' if it did not."""
        if self.violation is not None:
            return ""
        return self._release(len(self.text))

    def _release(self, upto: int) -> str:
        piece = self.text[self._released : upto]
        self._released = max(self._released, upto)
        return piece
