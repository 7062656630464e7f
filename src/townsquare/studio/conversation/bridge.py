"""Answers across two sources: a question that describes a thing instead of naming it.

"How long is the class you told Liz to do next?" names no class: one source (a radio
transcript) says which class ("come to Gears & Brakes Basics"), another (the catalog) how long
that class is. The question is followed across that bridge:

1. **the description**: the question says "the <thing> that/who/you ..." (``Cues.described``);
   a question without one is not bridged.
2. **the bridge**: the sentences of the retrieved passages closest in meaning to the question,
   and the names they hold (capitalised words: "Gears & Brakes Basics", "Jonah") that the
   question does not say.
3. **the answer**: a second search for each name, in the bridge sentences' order and, within
   a sentence, nearest the description's words first (``nearest_first``); the first
   sentence of the asked type (``answers.Chooser.scan``) that holds every word of the name
   (``name_words``: a code such as a postcode, "BS5", too), itself or under its heading (a
   catalog row's name, less what it says in brackets), answers.

The reply quotes both sentences and cites both sources; a name that leads to no answer of the
asked type is no answer, and with no name left the question is answered as any other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from townsquare.studio.conversation.answers import Answer, Candidate, Chooser
from townsquare.studio.conversation.sums import Search
from townsquare.studio.conversation.values import values
from townsquare.studio.conversation.wording import (
    STOPWORDS,
    content_words,
    split_sentences,
    stem,
    words,
)
from townsquare.studio.knowledge.dates import find_dates
from townsquare.studio.knowledge.passages import Passage

BRIDGE_SENTENCES = 3  # the best sentences that name something: the thing is named in one
BRIDGE_DENSE_MIN = 0.3  # a bridge sentence is at least this close to the question (cosine)
NAME_WORDS = 2  # a heading named in lower case has this many words at least ("wheel building day")
# A bridge sentence is ranked by its closeness in meaning, plus the share of the description's
# words in it (and its heading), plus this weight times their share in its whole passage.
PASSAGE_WEIGHT = 0.5
# A name: capitalised words (and numbers after them), joined by "&", "-" or "of".
_NAME = re.compile(
    r"(?:[A-Z][\w'\u2019]*(?:-[\w'\u2019]+)*)(?:\s+(?:(?:&|and|of)\s+)?(?:[A-Z][\w'\u2019]*(?:-[\w'\u2019]+)*|\d+\b))*"
)
_CALENDAR = """monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december mondays tuesdays wednesdays
thursdays fridays saturdays sundays"""
_ORDINARY = STOPWORDS | frozenset(_CALENDAR.split())
_SPEAKER = re.compile(r"^[A-Z][A-Z ]+:\s*")  # a transcript's "INES: "
# A code: capitals and digits, both ("BS5", "LS17", "B12"): a postcode, a room, a plot. It names
# one thing as a name does, though it has no content word (numbers are kept apart).
_CODE = re.compile(
    r"(?<![\w-])(?=[A-Z\d]*[A-Z])(?=[A-Z\d]*\d)(?![\d]+[AP]M\b)[A-Z\d]{2,8}(?![\w-])"
)
# What a heading says in brackets qualifies the thing it names ("Solo walk (1 hour)"): a
# sentence that names the thing ("the solo walk") need not say it.
_QUALIFIER = re.compile(r"\s*[(\[][^)\]]*[)\]]")


def bridged(chooser: Chooser, passages: Sequence[Passage], search: Search) -> Answer | None:
    """The answer through a thing the question describes, or None."""
    pattern = chooser.cues.described
    described = re.search(pattern, chooser.question) if pattern else None
    if described is None:
        return None
    clause = content_words(chooser.question[described.start() :], ignore=chooser.cues.asking)
    # A name the question says is not the thing (the thing is what it describes), except the
    # words of the description itself ("the course Marek co-teaches": Marek may lead to it).
    said = name_words(chooser.question) | content_words(chooser.owner)
    said -= name_words(described.group(0))
    asking = content_words(chooser.question, ignore=chooser.cues.asking)
    # The passages that say what the description says ("won the blue ribbon"), beside those
    # retrieved for the whole question (mostly about the thing asked: the catalog's prints).
    described_by = search(chooser.question[described.start() :])
    seen = {p.chunk_id for p in passages}
    passages = [*passages, *(p for p in described_by if p.chunk_id not in seen)]
    tried = 0
    for bridge, passage in _bridge_sentences(chooser, passages, clause, asking):
        named = nearest_first(bridge, _named(bridge, passage, said, search), clause)
        tried += bool(named)
        for name in named:
            wanted = frozenset(name_words(_QUALIFIER.sub("", name)))
            # Every sentence of the asked type that holds the whole name is about it (a code
            # has no content word to measure "about" by).
            found = [
                c
                for c, _ in chooser.scan(search(name), chooser.asked.type, wanted)
                if wanted <= name_words(f"{c.passage.locator}\n{c.sentence}")
                and c.sentence != bridge
            ]
            if found:
                # "when" is answered by a calendar date before a weekday ("October 6" before
                # "Tuesday evenings"), when one is found
                dated = [c for c in found if find_dates(c.sentence, near=chooser.on)]
                if chooser.asked.type == "when" and dated:
                    found = dated
                answer, _ = chooser.pick(found)
                return _reply(chooser, name, (bridge, passage), answer)
        if tried == BRIDGE_SENTENCES:
            break
    return None


def _bridge_sentences(
    chooser: Chooser, passages: Sequence[Passage], clause: set[str], asking: set[str]
) -> list[tuple[str, Passage]]:
    """The sentences of the passages that hold some of the description's words ("told Femi
    to buy"), best first: closest in meaning to the question, with most of the description's
    words, in a passage with most of the question's."""
    kind = chooser.asked.type
    scored = []
    for passage in passages:
        heading = f"{passage.title}\n{passage.locator}"
        if not _share(clause, f"{heading}\n{passage.text}"):
            continue
        held = _share(asking, f"{heading}\n{passage.text}")
        said = turns(passage.text)
        sentences = [sentence for sentence, _ in said]
        for at, (sentence, context) in enumerate(said):
            if kind not in ("yesno", "name") and values(kind, sentence):
                continue  # it answers the asked type itself: an answer, not a bridge
            # A sentence under a heading that says what it is about ("A blue ribbon!": "Heron
            # at Dawn took first place ...") is as close as the two together, and a turn of a
            # transcript as close as it and the turn it answers.
            near = max(
                chooser.guard.similarity(chooser.question, text) or 0.0
                for text in (sentence, f"{passage.locator}: {sentence}", f"{context}{sentence}")
            )
            if near >= BRIDGE_DENSE_MIN:
                own = _share(clause, f"{heading}\n{context}\n{sentence}")
                # What a sentence describes is often named by the next one, the next turn of a
                # transcript above all ("So someone's framing for the first time. Where do you
                # point them?" - "Honestly, the oak float frame."): the two after it may name
                # the thing.
                after = sentences[at + 1 : at + 3]
                scored.append((near + own + PASSAGE_WEIGHT * held, [sentence, *after], passage))
    scored.sort(key=lambda item: -item[0])
    return [(sentence, passage) for _, group, passage in scored for sentence in group]


def turns(text: str) -> list[tuple[str, str]]:
    """The sentences of ``text``, each with what it was said in answer to: in a transcript, its
    speaker's label and the turn before ("FEMI: What should I buy?" for Ines's "the
    Rockhopper is what I'd buy"), so "the bike you told Femi to buy" finds the turn that
    answers Femi, whose name is only in a label; elsewhere, nothing."""
    said: list[tuple[str, str]] = []
    before = ""
    for line in text.splitlines():
        label = _SPEAKER.match(line)
        if label is None:
            said.extend((sentence, "") for sentence in split_sentences(line))
            continue
        context = f"{before}\n{label.group(0)}" if before else label.group(0)
        said.extend((sentence, context) for sentence in split_sentences(line[label.end() :]))
        before = line
    return said


def _share(words: set[str], text: str) -> float:
    return len(words & content_words(text)) / len(words) if words else 0.0


def _named(sentence: str, passage: Passage, said: set[str], search: Search) -> list[str]:
    """The things ``sentence`` names that the question does not: its capitalised names, then
    the headings (a catalog row's name) of passages it names in lower case ("the wheel
    building day"), a heading less what it says in brackets ("Solo walk (1 hour)" is named by
    "the solo walk")."""
    found = names(sentence, ignore=said)
    held = content_words(sentence)
    for other in search(sentence):
        stems = content_words(_QUALIFIER.sub("", other.locator))
        if (
            other.source_id != passage.source_id
            and len(stems) >= NAME_WORDS
            and stems <= held
            and not stems & said
            and other.locator not in found
        ):
            found.append(other.locator)
    # A heading that holds a capitalised name is the fuller name ("Framing basics workshop"
    # for "Framing"): tried first.
    fuller = [
        heading
        for heading in found
        if any(name != heading and content_words(name) < content_words(heading) for name in found)
    ]
    return [*fuller, *(name for name in found if name not in fuller)]


def nearest_first(sentence: str, found: list[str], clause: set[str]) -> list[str]:
    """``found`` ordered by how near each name stands to the description's words in
    ``sentence``: in "start with a wheel taster, and ... the course I always recommend next is
    the six-week wheel course", the course recommended is the one beside "recommend"."""
    stems = [stem(word) for word in words(sentence)]

    def distance(name: str) -> int:
        own = [stem(word) for word in words(name)]
        spans = [
            range(i, i + len(own)) for i in range(len(stems)) if stems[i : i + len(own)] == own
        ]
        return min(
            (
                abs(i - j)
                for span in spans
                for i in span
                for j, word in enumerate(stems)
                if word in clause and j not in span
            ),
            default=len(stems),
        )

    return sorted(found, key=distance)


def name_words(text: str) -> set[str]:
    """The words a name is known by: its content words and its codes ("LS7" of "Meanwood
    Beck: Covers postcodes LS7"), lower case."""
    return content_words(text) | {code.lower() for code in _CODE.findall(text)}


def names(sentence: str, *, ignore: set[str]) -> list[str]:
    """The names in ``sentence`` (in order), less a leading ordinary word ("Then", "The"),
    days and months, and those with a word in ``ignore`` (the question's, the owner's); a
    code in a name is a name of its own too ("BS5" of "Eastville's BS5")."""
    found = []
    for match in _NAME.finditer(sentence):
        tokens = match.group(0).split()
        while tokens and (tokens[0].lower() in _ORDINARY or tokens[0] in ("&", "and", "of")):
            tokens = tokens[1:]
        name = " ".join(tokens)
        stems = content_words(name)
        # One capitalised word that starts a sentence or a label ("Time: 6pm") is no name.
        label = len(tokens) == 1 and (
            match.start() == 0 or sentence[match.end() : match.end() + 1] == ":"
        )
        codes = [code for code in _CODE.findall(name) if code.lower() not in ignore]
        if stems and not stems & ignore and not name.isupper() and not label:
            found.append(name)
        found.extend(code for code in codes if code not in found)
    return found


def _reply(chooser: Chooser, name: str, bridge: tuple[str, Passage], answer: Candidate) -> Answer:
    sentence, passage = bridge
    text = chooser.cues.phrases.bridge.format(name=name, quote1=sentence, quote2=answer.sentence)
    return Answer(text, [passage.citation(sentence), answer.passage.citation(answer.sentence)])
