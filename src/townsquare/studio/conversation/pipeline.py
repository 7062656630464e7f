"""The reply pipeline: one member message in, a stream of text and one final ``Reply`` out.

In order:

1. **Retrieval** — the agent's knowledge is searched (k = ``RETRIEVE_K``) and every passage is
   sanitised: role markers and sentences that speak to an AI are removed (``safety``).
2. **Avoided topics** — a message about one of the owner's avoided topics, rather than about
   what the retrieved passages say, gets the owner's reply verbatim; the model is not called
   (``avoided.avoided_topic``).
3. **Prompt** — persona, lorebook, memory and passages within the context budget (``prompt``).
4. **Generation**, then what may be shown:
   - *creator and business agents* (``spec.GROUNDED_KINDS``) speak for a real person. A
     question of a known type (a price, a date, ...: ``questions``) is answered without the
     model by the source sentence that holds its answer (``answers``), or computed from two
     (``sums``), or "unknown". Any other question is written by the model, and the
     grounding guard reads the whole reply before any of it is shown. Every factual sentence
     supported by a relevant passage: the reply stands, with its citations ("answered").
     Otherwise the most relevant passage answers in its own words, quoted and cited
     ("quoted"). No passage relevant enough: the agent says it does not know and offers to
     pass the question to its owner ("unknown"; the model is not even asked, since nothing it
     could say would pass). Small talk needs no source: a pleasantry without facts stands.
   - *character and assistant agents* stream as tokens arrive, less only a tail that could
     still grow into a leaked instruction or a claim to be human, so either is caught before
     it is shown, and
     replaced by a refusal in persona ("chat").

``Reply.text`` is what is stored and shown. A streamed reply replaced mid-way ends its deltas
with the replacement, so a client that renders ``Reply.text`` at the end shows the right thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Literal

from townsquare.ai.chat import ChatModel, ChatRequest
from townsquare.ai.embeddings import Embedder
from townsquare.ai.languages import detect_language
from townsquare.studio.conversation.answers import Answer, Chooser, today
from townsquare.studio.conversation.avoided import avoided_topic
from townsquare.studio.conversation.choosing import choose
from townsquare.studio.conversation.cues import cues
from townsquare.studio.conversation.degeneration import Shaper
from townsquare.studio.conversation.focus import focus, holds, retype
from townsquare.studio.conversation.grounding import (
    RELEVANCE_MIN,
    Guard,
    used_citations,
    with_citations,
)
from townsquare.studio.conversation.language import (
    ReplyLanguage,
    fallback_line,
    quoted_note,
    reply_language,
    say,
)
from townsquare.studio.conversation.persona import Persona
from townsquare.studio.conversation.prompt import Lore, Person, build_prompt, drafts_person, secrets
from townsquare.studio.conversation.questions import read_question
from townsquare.studio.conversation.safety import (
    ReplyCheck,
    StreamGuard,
    check_reply,
    echo_targets,
    is_override_attempt,
    public_texts,
    question_part,
    sanitise_passage,
)
from townsquare.studio.conversation.selection import Selector, shipped, typed_answer
from townsquare.studio.conversation.sums import Search
from townsquare.studio.conversation.types import Delta, Reply, ReplyInput
from townsquare.studio.conversation.vocatives import without_own_vocatives
from townsquare.studio.conversation.wording import content_words, is_small_talk, words
from townsquare.studio.knowledge.passages import Passage, Retriever
from townsquare.studio.lorebook import activate_lore

RETRIEVE_K = 5
PROMPT_PASSAGES = 2  # the most relevant passages a grounded answer is written from
GROUNDED_MAX_TOKENS = 60  # one or two sentences; a small model drifts after that
# A free reply gets this many tokens per sentence the owner allows (a long sentence is ~30),
# and is cut at its last whole sentence when they run out.
CHAT_TOKENS_PER_SENTENCE = 40
CHAT_TEMPERATURE = 0.7
# llama.cpp's repetition controls for free replies: a mild repeat penalty, measured with
# bench/characters.py (docs/benchmarks.md, "Characters"; no sweep yet); the degeneration
# trimmer catches what it lets through. llama-cpp-python 0.3.36 has no DRY sampler option.
CHAT_REPEAT_PENALTY = 1.15
CHAT_PRESENCE_PENALTY = 0.0
CHAT_FREQUENCY_PENALTY = 0.0
SEED = 7  # grounded replies are greedy and seeded, so the same question gets the same answer
LORE_BUDGET_TOKENS = 400
LORE_SCAN_TURNS = 4  # the message and this many turns before it are scanned for lore keys
SHORT_QUERY_WORDS = 3  # a follow-up this short is searched together with the previous question
DELTA_WORDS = 4  # words per Delta when a checked reply is sent in pieces

REFUSAL = (
    "I'd rather not do that. I'm {name}, an AI agent, and I stay who I am."
    " What else would you like to talk about?"
)
EMPTY = "Sorry, I lost my words there. Could you say that again?"


def run_reply(
    inp: ReplyInput,
    *,
    model: ChatModel,
    retriever: Retriever | None,
    embedder: Embedder | None,
    drafts: int = 1,
    selection: Literal["rules", "learned"] = "rules",
) -> Iterator[Delta | Reply]:
    """Answers ``inp.message``: Deltas as the reply may be shown, then the ``Reply``. A free
    reply (character, assistant) is chosen by the judges of ``choosing`` from ``drafts``
    drafts when there is an embedder. A typed question's answer is picked by the rules of
    ``answers`` or by the learned ``selection``."""
    persona = inp.persona
    language = reply_language(inp.message)
    query = _query(inp)
    retrieved = retriever.search(query, RETRIEVE_K) if retriever is not None else []
    sources = [clean for p in retrieved if (clean := sanitise_passage(p)) is not None]
    material = [p.text for p in sources]
    topic = avoided_topic(inp.message, persona.avoid_topics, embedder, material)
    if topic is not None:
        # The owner's own words, after a line in the member's language when it is not English.
        lead = say("avoided", language) + " " if language.code != "en" else ""
        yield from in_pieces(Reply(lead + topic.reply, [], "avoided", [], offer_handoff=False))
        return
    scan = [t.text for t in inp.history[-LORE_SCAN_TURNS:]] + [inp.message]
    lore = activate_lore(
        persona.lorebook, scan, budget_tokens=LORE_BUDGET_TOKENS, count_tokens=model.count_tokens
    )

    def search(text: str) -> list[Passage]:  # a second fact's own search (``sums``)
        found = retriever.search(text, RETRIEVE_K) if retriever is not None else []
        return [clean for p in found if (clean := sanitise_passage(p)) is not None]

    guard = Guard(embedder, persona.names)
    selector = shipped() if selection == "learned" else None
    run = _Run(inp, model, guard, embedder, lore, retrieved, search, language, drafts, selector)
    if persona.grounded:
        yield from in_pieces(run.grounded(query, sources))
    else:
        yield from run.chat(sources)


def _query(inp: ReplyInput) -> str:
    """What to search for: the message less any override attempt in it (a question wrapped in
    "ignore your instructions ..." is still answered, from the question alone), with the
    member's previous message when the new one is a short follow-up ("and how much is it?")."""
    message = question_part(inp.message)
    if not message or len(content_words(message)) >= SHORT_QUERY_WORDS:
        return message
    earlier = [question_part(t.text) for t in inp.history if t.speaker == "member"]
    return f"{earlier[-1]} {message}".strip() if earlier else message


def in_pieces(reply: Reply) -> Iterator[Delta | Reply]:
    """A checked reply as a few Deltas (so clients stream every reply the same way), then it."""
    pieces = re.findall(r"\s*\S+", reply.text)
    for start in range(0, len(pieces), DELTA_WORDS):
        yield Delta("".join(pieces[start : start + DELTA_WORDS]))
    yield reply


def chat_stops(persona: Persona) -> tuple[str, ...]:
    """Where a free reply ends: when the model starts writing the member's next line, or a
    line of its own under a label (the example dialogues' "Member:" and "Name:")."""
    return ("\nMember:", "\nUser:", f"\n{persona.name}:", "<|im_end|>")


def _whole_sentences(text: str) -> str:
    """A reply cut off by max_tokens, without its unfinished last sentence (if it has others)."""
    ends = [m.end() for m in re.finditer(r"[.!?…][\"'\u201d\u2019)\]]*(?=\s|$)", text)]
    return text[: ends[-1]] if ends else text


class _Run:
    """One reply's state: the input, the model, the guard and what retrieval found."""

    def __init__(
        self,
        inp: ReplyInput,
        model: ChatModel,
        guard: Guard,
        embedder: Embedder | None,
        lore: Lore,
        retrieved: list[Passage],
        search: Search,
        language: ReplyLanguage,
        drafts: int,
        selector: Selector | None,
    ) -> None:
        self.inp = inp
        self.selector = selector
        self.language = language
        self.drafts = drafts
        self.persona = inp.persona
        self.model = model
        self.guard = guard
        self.embedder = embedder
        self.lore = lore
        self.retrieved = retrieved
        self.search = search
        self.secrets = secrets(inp.persona, lore)
        self.public = public_texts(inp.persona)
        self.echo = echo_targets(inp.message)

    def _request(
        self, passages: Sequence[Passage], max_tokens: int, person: Person = "second"
    ) -> ChatRequest:
        messages = build_prompt(
            self.inp,
            passages,
            self.lore,
            count_tokens=self.model.count_tokens,
            context_tokens=self.model.context_tokens,
            max_reply_tokens=max_tokens,
            person=person,
        )
        if self.persona.grounded:
            return ChatRequest(messages, max_tokens=max_tokens, temperature=0, seed=SEED)
        return ChatRequest(
            messages,
            max_tokens=max_tokens,
            temperature=CHAT_TEMPERATURE,
            stop=chat_stops(self.persona),
            repeat_penalty=CHAT_REPEAT_PENALTY,
            presence_penalty=CHAT_PRESENCE_PENALTY,
            frequency_penalty=CHAT_FREQUENCY_PENALTY,
            speakers=("Member", self.persona.name),
        )

    def _generate(self, passages: Sequence[Passage]) -> str:
        completion = self.model.complete(self._request(passages, GROUNDED_MAX_TOKENS))
        text = completion.text.strip()
        return _whole_sentences(text) if completion.finish_reason == "length" else text

    def _reply(
        self,
        text: str,
        outcome: Literal["answered", "quoted", "unknown", "chat"],
        citations: list[dict[str, object]] | None = None,
    ) -> Reply:
        if outcome == "quoted" and citations:
            quoted = " ".join(str(citation["quote"]) for citation in citations)
            if note := quoted_note(self.language, detect_language(quoted)):
                text = f"{text} {note}"
        if outcome != "chat" and (line := fallback_line(self.language)):
            text = f"{text}\n{line}"
        return Reply(
            text, citations or [], outcome, self.retrieved, offer_handoff=outcome == "unknown"
        )

    # --- creator and business agents ---------------------------------------------------

    def grounded(self, query: str, sources: list[Passage]) -> Reply:
        if is_small_talk(self.inp.message, self.persona.names):
            return self._small_talk()
        asked = read_question(query, language=self.language.code, names=self.persona.names)
        asked = retype(asked, query)
        if asked.type != "other":
            # A typed question is answered by the sentence that holds its answer, or not at all.
            owner = self.persona.owner_name
            chooser = Chooser(query, asked, self.guard, owner=owner, on=today())
            chosen = typed_answer(chooser, sources, self.search, self.selector)
            if not isinstance(chosen, Answer):
                return self._unknown()
            return self._reply(chosen.text, "quoted", citations=chosen.citations)
        relevance = {id(p): self.guard.relevance(query, p) for p in sources}
        # A passage answers only when what it would be quoted for names the thing asked
        # ("the winning time" is not answered by the race report's opening lines).
        asking = cues(self.language.code).asking
        thing = focus(query, self.language.code, ignore=asking)
        ranked = sorted(
            (
                p
                for p in sources
                if relevance[id(p)] >= RELEVANCE_MIN
                and holds(
                    thing,
                    [p.locator, *self.guard.best_sentences(query, p)],
                    ignore=asking,
                    similarity=self.guard.similarity,
                )
            ),
            key=lambda p: relevance[id(p)],
            reverse=True,
        )
        if not ranked:
            return self._unknown()
        # The model sees, and may be supported by, only the best few: fewer distractors for a
        # small model, and no "fact" borrowed from a passage about something else.
        relevant = ranked[:PROMPT_PASSAGES]
        best = relevant[0]
        answer = self.guard.best_sentences(query, best)
        text = self._generate(relevant)
        verdict = self.guard.check(text, relevant).supported_prefix()
        # Supported is not enough: "I'm writing a book!" is true but does not say who publishes
        # it, and "the country loaf is 450g" is true of the recipe, not of the price list. The
        # reply must carry what the most relevant passage says in answer to the question.
        answering = any(
            check.passage is best and check.quote in answer for check in verdict.sentences
        )
        if verdict.supported and answering and self._clean(text):
            cited_text, citations = with_citations(verdict)
            return self._reply(cited_text, "answered", citations=citations)
        quote = " ".join(answer)
        text = cues(self.language.code).phrases.quoted.format(
            owner=self.persona.owner_name, quote=quote
        )
        return self._reply(text, "quoted", citations=[best.citation(quote)])

    def _unknown(self) -> Reply:
        text = say("unknown", self.language, owner_handle=self.persona.owner_handle)
        return self._reply(text, "unknown")

    def _small_talk(self) -> Reply:
        """A pleasantry answered in persona; a reply that slips in a fact is replaced."""
        text = self._generate([])
        verdict = self.guard.check(text, [])
        if text and not any(s.factual for s in verdict.sentences) and self._clean(text):
            return self._reply(text, "chat")
        return self._reply(self._pleasantry(), "chat")

    def _pleasantry(self) -> str:
        said = set(words(self.inp.message))
        if said & {"thanks", "thank", "cheers", "ta"}:
            return "You're welcome!"
        if said & {"bye", "goodbye", "night", "later"}:
            return "Bye for now!"
        return self.persona.greeting or (
            f"Hi {self.inp.member_name}! I'm {self.persona.name}, an AI agent of"
            f" {self.persona.owner_name}. What would you like to know?"
        )

    def _clean(self, text: str) -> bool:
        return check_reply(text, secrets=self.secrets, echo=self.echo, public=self.public) is None

    # --- character and assistant agents ------------------------------------------------

    def chat(self, sources: list[Passage]) -> Iterator[Delta | Reply]:
        """With an embedder and ``drafts`` > 1, the drafts are written whole and the best fit
        is sent (``choosing``); otherwise the reply streams a sentence at a time. Either way each
        draft is shaped (``degeneration.Shaper``: cut before a loop and after the owner's number
        of sentences) and checked (``safety``); a stream holds back only what could still become
        a violation (all of it when the message itself tries to override the agent). The member
        is never called by the agent's own name (``vocatives``)."""
        if self.embedder is not None and self.drafts > 1:
            drafts = [self._draft(sources, drafts_person(i)) for i in range(self.drafts)]
            usable = [d.text.strip() for d in drafts if d.violation is None and d.text.strip()]
            if usable:
                known = " ".join(t.text for t in self.inp.history)
                best = choose(
                    usable,
                    message=self.inp.message,
                    persona=self.persona,
                    embedder=self.embedder,
                    known=known,
                )
                text = usable[best]
                verdict = self.guard.check(text, sources)
                yield from in_pieces(self._reply(text, "chat", citations=used_citations(verdict)))
                return
            stream = drafts[-1]
        else:
            stream = StreamGuard(self._check, hold_all=is_override_attempt(self.inp.message))
            for shown in self._written(sources, stream):
                yield Delta(shown)
        text = stream.text.strip()
        if stream.violation is not None or not text:
            text = REFUSAL.format(name=self.persona.name) if text else EMPTY
            yield Delta(("\n\n" if stream.released.strip() else "") + text)
            yield self._reply(text, "chat")
            return
        verdict = self.guard.check(text, sources)
        yield self._reply(text, "chat", citations=used_citations(verdict))

    def _unnamed(self, shown: str) -> str:
        """Shaped text (whole sentences) without the member called by the agent's name."""
        return without_own_vocatives(shown, self.persona.name)

    @property
    def _check(self) -> ReplyCheck:
        return ReplyCheck(secrets=self.secrets, echo=self.echo, public=self.public)

    def _draft(self, sources: list[Passage], person: Person) -> StreamGuard:
        """One whole draft, shaped and checked, nothing shown."""
        stream = StreamGuard(self._check, hold_all=True)
        for _ in self._written(sources, stream, person):
            pass
        return stream

    def _written(
        self, sources: list[Passage], stream: StreamGuard, person: Person = "second"
    ) -> Iterator[str]:
        """Generates a free reply into ``stream``, yielding what it releases as it goes."""
        shaper = Shaper(max_sentences=self.persona.reply_sentences)
        max_tokens = CHAT_TOKENS_PER_SENTENCE * self.persona.reply_sentences
        chunks = self.model.stream(self._request(sources, max_tokens, person))
        finish_reason = None
        try:
            for chunk in chunks:
                finish_reason = chunk.finish_reason or finish_reason
                if shown := stream.feed(self._unnamed(shaper.feed(chunk.text))):
                    yield shown
                if stream.violation is not None or shaper.done:
                    break
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # stops generation now and frees the model for the next request
        if stream.violation is None and (
            shown := stream.feed(self._unnamed(shaper.finish(cut_off=finish_reason == "length")))
        ):
            yield shown
        if rest := stream.finish():
            yield rest
