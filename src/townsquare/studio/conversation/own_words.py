"""The card's own words: the few words of a character's card that say most about its world,
offered to the model in the persona reminder as words it may use (``prompt.reminder``).

A small model speaks in a character's voice almost only where the card gives it a word it can
reuse in any reply ("sailor", "the sea"): a description it paraphrases away, a word it copies.
Which words: not the common words of the card's language (its stop-word list, ``stop_words``),
then those the owner wrote in most of the card's separate parts (the description, the
tone, the scenario, the greeting, the character's lines in the example dialogues, the tagline,
traits and interests), then the most often, then the longest (a longer word is the rarer one in
most languages). No list of topics or trades: any card, in any language written in words,
gives its own. Function words, pleasantries, numbers and the names of the character and the
member are never offered.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

from stop_words import StopWordError, get_stop_words

from townsquare.ai.languages import detect_language
from townsquare.studio.conversation.persona import Persona
from townsquare.studio.conversation.wording import CHATTER, STOPWORDS, stem

OWN_WORDS = 6  # the most words offered: enough to pick from, few enough to read last
SHORTEST = 3  # letters; shorter words are function words in most languages
_WORD = re.compile(r"[^\W\d_]+")  # letters of any script; "don't" is "don" and "t"


def own_words(persona: Persona, *, ignore: Iterable[str] = ()) -> list[str]:
    """Up to ``OWN_WORDS`` words of ``persona``'s card (its macros already read), best first,
    each as the owner first wrote it (lower-cased); ``ignore``: more names to leave out (the
    member's)."""
    agent_lines = [
        line.text
        for dialogue in persona.example_dialogues
        for line in dialogue
        if line.speaker == "agent"
    ]
    parts = [
        persona.personality,
        persona.tone,
        persona.scenario,
        persona.greeting,
        " ".join(agent_lines),
        persona.tagline,
        " ".join([*persona.traits, *persona.interests]),
    ]
    common = _common_words(detect_language(" ".join(parts)))
    names = {stem(w) for text in (*persona.names, *ignore) for w in _words(text)}
    first: dict[str, str] = {}  # stem -> the word as first written
    count: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for part in parts:
        seen = set()
        for word in _words(part):
            if len(word) < SHORTEST or word in STOPWORDS or word in CHATTER or word in common:
                continue
            key = stem(word)
            if key in names:
                continue
            first.setdefault(key, word)
            count[key] += 1
            seen.add(key)
        places.update(seen)
    ranked = sorted(first, key=lambda key: (-places[key], -count[key], -len(first[key])))
    return [first[key] for key in ranked[:OWN_WORDS]]


@functools.cache
def _common_words(language: str | None) -> frozenset[str]:
    """The stop words of ``language`` (an ISO 639-1 code), none for a language without a list."""
    try:
        return frozenset(w.lower() for w in get_stop_words(language)) if language else frozenset()
    except StopWordError:
        return frozenset()


def _words(text: str) -> list[str]:
    """Lower-cased words of letters, in any script."""
    return _WORD.findall(text.lower())
