"""A business agent's turn: the model picks a tool (or a plain reply) as constrained JSON, the
runner executes it, and the agent answers from what the tool said.

No transaction stays open while the model generates: the context is read in one short
transaction, each tool runs in its own. A yes or no to a proposed change, a verification (and
the request in the same message or the one it held up), a request for a person, a complaint
and a request for a discount are settled without the model (``intake``). The ids a tool acts
on come from the customer's records (``arguments``): a product code from nowhere is a guess, so
the documents answer first, then the product the customer named or a question which one they
mean; a tool call with bad arguments is shown to the model, which may try again, up to
``MAX_STEPS`` calls in all. A change the policy leaves to a person is handed over with a ticket.
What the customer reads after a tool ran is the tool's own sentence, so a small model cannot
misstate a result.

A plain question goes first, without the model, to the documents or the catalog when one of
them clearly answers it (``routing``). Otherwise questions no tool covers are answered from the
business's documents (``documents``) when the model calls ``answer_from_documents``, answers in
words, or searches the catalog in vain. The grounding guard decides whether the documents hold
an answer at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Agent, Message
from townsquare.studio.business import actions, audit, documents
from townsquare.studio.business.arguments import ORDER_NUMBER, invented, resolve
from townsquare.studio.business.catalog import asked_product
from townsquare.studio.business.chat import Call, call_for
from townsquare.studio.business.intake import take_in
from townsquare.studio.business.picks import offered_slots, picked
from townsquare.studio.business.policy import business_policy
from townsquare.studio.business.requests import Request, recognise
from townsquare.studio.business.routing import route_question
from townsquare.studio.business.runner import MALFORMED, execute
from townsquare.studio.business.services import (
    asks_for_service,
    holds_a_booking,
    names_a_booking,
    names_goods,
    shop_services,
)
from townsquare.studio.business.wording import Language, customer_language, say
from townsquare.studio.conversation.degeneration import trim_loop
from townsquare.studio.conversation.memory import Turn
from townsquare.studio.conversation.persona import Persona
from townsquare.studio.conversation.pipeline import in_pieces
from townsquare.studio.conversation.safety import check_reply, echo_targets
from townsquare.studio.conversation.types import Delta, Reply
from townsquare.tools import Result

MAX_STEPS = 3
FREE_SLOTS = Request("list_free_slots", {})
INTRODUCE_AFTER = timedelta(hours=24)  # as the big messaging platforms do after a long gap
# A plain reply must not claim that something was done: only a tool's sentence may say so.
_CLAIM = re.compile(
    r"\b(cancel+ed|refunded|booked|rebooked|moved|returned|exchanged|verified|transferred)\b",
    re.IGNORECASE,
)

_SENTENCES = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class BusinessTurn:
    agent_id: int
    thread_id: int
    message_id: int
    member_id: int
    persona: Persona
    message: str
    history: Sequence[Turn]  # oldest first, before ``message``
    introduce: bool  # the thread's first answer, or the first after a long gap


def needs_introduction(earlier: Sequence[Message], agent_account_id: int, now: datetime) -> bool:
    """The agent says it is automated in its first answer of a thread (a greeting is the
    owner's text, so it does not count) and in its first answer after a long silence."""
    answered = [m for m in earlier if m.sender_id == agent_account_id and m.reply_to_id is not None]
    return not answered or now - earlier[-1].created_at > INTRODUCE_AFTER


def _call(session: Session, turn: BusinessTurn) -> Call:
    agent = session.get(Agent, turn.agent_id)
    assert agent is not None
    return call_for(
        session,
        agent,
        thread_id=turn.thread_id,
        message_id=turn.message_id,
        member_id=turn.member_id,
        language=_language(turn),
    )


def _language(turn: BusinessTurn) -> Language:
    """The customer's language: of this message, else of their latest that tells one."""
    earlier = [t.text for t in turn.history if t.speaker == "member"]
    return customer_language(turn.message, earlier)


def run_business_turn(
    database: Database, models: Models, turn: BusinessTurn
) -> Iterator[Delta | Reply]:
    """Answers ``turn.message``: Deltas, then the ``Reply`` (``transferred`` when the agent
    handed the conversation to a person)."""
    with database.session() as session:
        business_id = _call(session, turn).business_id
        # The policy read by meaning once (remembered), before any tool runs against it.
        business_policy(session, business_id, models.multilingual)
        intake = take_in(
            session,
            lambda: _call(session, turn),
            turn.message,
            lambda: handoff_summary(turn),
            asked=_last_question(turn),
        )
    if intake.settled is not None:
        yield from _finish(turn, _hand_over_if_needed(database, turn, intake.settled), intake.lead)
        return
    asked = replace(turn, message=intake.message)
    yield from _finish(turn, _answer(database, models, asked, business_id), intake.lead)


def _answer(
    database: Database, models: Models, turn: BusinessTurn, business_id: int
) -> Result | Reply:
    """The answer to a message nothing settled before the model: the tool it plainly asks for
    (``requests``), routed to the documents or the catalog, or a tool the model chose (its ids
    taken from the customer's records)."""
    with database.session() as session:
        customer = _call(session, turn).customer
        booking = names_a_booking(session, customer, turn.message)
        services = shop_services(session, business_id)
        request = recognise(
            turn.message,
            services,
            names_booking=booking,
            holds_booking=holds_a_booking(session, customer),
        )
        if request == FREE_SLOTS and names_goods(session, business_id, turn.message):
            request = None  # "is the lavender available?": the stock, not a slot
        if request is None and asks_for_service(session, business_id, turn.message):
            request = Request("book_appointment", {"slot_id": 0})
    if request is None or request.tool == "book_appointment":
        taken = _taken_from_offer(database, turn, business_id)
        if taken is not None:
            return taken
    if request is not None and request.tool == "order_details":
        return _each_order(database, turn)
    if request is not None:
        with database.session() as session:
            call = _call(session, turn)
            chosen = resolve(call, request.tool, request.arguments, turn.message)
            done = chosen if isinstance(chosen, Result) else execute(call, request.tool, chosen)
        return _hand_over_if_needed(database, turn, done)
    source = route_question(
        database, models, turn.agent_id, business_id, turn.persona, turn.message
    )
    routed = (
        _documents(database, models, turn)
        if source == "documents"
        else _search(database, turn)
        if source == "catalog"
        else None
    )
    if routed is not None:
        return routed
    notes: list[str] = []
    result: Result | None = None
    for _ in range(MAX_STEPS):
        with database.session() as session:
            call = _call(session, turn)
            asking = actions.prompt(call, turn.persona, turn.history, turn.message, notes)
        action = actions.choose(models.chat, asking)
        if action is None:
            break
        tool = str(action["tool"])
        if tool == "reply":
            found = _documents(database, models, turn)
            return found or Result("ok", _plain_reply(turn, str(action["text"])))
        if tool == documents.NAME:
            return _documents(database, models, turn, asked=True) or _search(database, turn)
        proposed = dict(action["arguments"])
        with database.session() as session:
            guessed = invented(_call(session, turn), proposed, turn.message)
        found = _documents(database, models, turn) if guessed else None
        if found is not None:
            return found
        with database.session() as session:
            call = _call(session, turn)
            arguments = resolve(call, tool, proposed, turn.message)
            result = arguments if isinstance(arguments, Result) else execute(call, tool, arguments)
        answer = _documents(database, models, turn) if _found_nothing(tool, result) else None
        if result.status != "error" or answer is not None:
            return answer or _hand_over_if_needed(database, turn, result)
        notes.append(f"{tool} failed: {result.say}")
    # Out of steps: the last tool error, unless the model's call was malformed (its error is
    # for the model). No usable action: what the documents say, if anything, else an offer of
    # what the agent does, in the customer's language.
    fallback = Result("ok", say(_language(turn), "fallback"))
    told = result if result is not None and not result.data.get(MALFORMED) else None
    return told or _documents(database, models, turn) or fallback


def _taken_from_offer(database: Database, turn: BusinessTurn, business_id: int) -> Result | None:
    """One of the free times the agent's last reply offered, taken by the customer ("the second
    one", "the 3pm"): proposed as a move of their booking when that is what they asked for
    before the offer, else as a booking; None when the message takes none of them."""
    said = [i for i, t in enumerate(turn.history) if t.speaker == "agent"]
    if not said:
        return None
    asked = [t.text for t in turn.history[: said[-1]] if t.speaker == "member"]
    earlier = asked[-1] if asked else ""
    with database.session() as session:
        offer = offered_slots(session, business_id, turn.history[said[-1]].text)
        chosen = picked(turn.message, offer)
        if chosen is None:
            return None
        call = _call(session, turn)
        before = recognise(
            earlier,
            shop_services(session, business_id),
            names_booking=names_a_booking(session, call.customer, earlier),
        )
        if before is not None and before.tool == "move_appointment":
            tool, arguments, about = "move_appointment", {"booking_id": 0, "slot_id": 0}, earlier
        else:
            tool, arguments, about = "book_appointment", {"slot_id": 0}, turn.message
        found = resolve(call, tool, arguments, about, slot=chosen.id)
        done = found if isinstance(found, Result) else execute(call, tool, found)
    return _hand_over_if_needed(database, turn, done)


def _each_order(database: Database, turn: BusinessTurn) -> Result:
    """The state of each order the message names ("what happened to A-1, and is A-2 back?"),
    or of the one it is about."""
    named = list(dict.fromkeys(n.lstrip("#") for n in ORDER_NUMBER.findall(turn.message)))
    results = []
    with database.session() as session:
        call = _call(session, turn)
        for number in named or ["any"]:
            chosen = resolve(call, "order_details", {"order_number": number}, number)
            done = chosen if isinstance(chosen, Result) else execute(call, "order_details", chosen)
            results.append(done)
            if done.status == "refused":  # the same refusal for each: said once
                break
    said = " ".join(result.say for result in results)
    return replace(results[-1], say=said) if len(results) > 1 else results[0]


def _hand_over_if_needed(database: Database, turn: BusinessTurn, result: Result) -> Result:
    """A change the policy leaves to a person (a refund above the limit): the refusal, and the
    conversation handed over with a ticket whose summary says why."""
    if not result.data.get("needs_person"):
        return result
    summary = f"{result.say} {handoff_summary(turn)}"[:600]
    with database.session() as session:
        handed = execute(_call(session, turn), "transfer_to_human", {"summary": summary})
    return Result(handed.status, f"{result.say} {handed.say}", handed.data, handed.transferred)


def _search(database: Database, turn: BusinessTurn) -> Result:
    """A catalog search for the customer's own words ("do you sell decaf?" sent to the FAQ), or
    the details (stock, sizes) of the one product they named or asked the options of."""
    with database.session() as session:
        call = _call(session, turn)
        product = asked_product(session, call.business_id, turn.message)
        found = (
            execute(call, "product_details", {"sku": product.sku})
            if product is not None
            else execute(call, "search_catalog", {"query": turn.message[:200]})
        )
    return found if found.status == "ok" else Result("ok", say(_language(turn), "no_documents"))


def _found_nothing(tool: str, result: Result) -> bool:
    """A catalog search that found nothing: the customer may be asking what the documents say
    (a small model often searches the catalog for "delivery times")."""
    return tool == "search_catalog" and result.status == "error"


def _documents(
    database: Database, models: Models, turn: BusinessTurn, *, asked: bool = False
) -> Reply | None:
    """The documents' answer, written to the audit log when it is used or was asked for."""
    found = documents.answer_from_documents(
        database, models, turn.agent_id, turn.persona, turn.message, turn.history, _language(turn)
    )
    if found is not None or asked:
        with database.session() as session:
            audit.record(
                session,
                agent_id=turn.agent_id,
                thread_id=turn.thread_id,
                message_id=turn.message_id,
                tool=documents.NAME,
                arguments={"question": turn.message},
                result={
                    "say": found.text if found else documents.NOTHING_FOUND,
                    "citations": found.citations if found else [],
                },
                status="ok" if found else "error",
            )
    return found


def _last_question(turn: BusinessTurn) -> str:
    """What the agent's last reply asked the customer (from its first question on), if it asked
    anything: a bare yes to it answers nothing, so it is asked again."""
    said = [t.text for t in turn.history if t.speaker == "agent"]
    sentences = _SENTENCES.split(said[-1]) if said else []
    first = next((i for i, sentence in enumerate(sentences) if "?" in sentence), None)
    return " ".join(sentences[first:]) if first is not None else ""


def handoff_summary(turn: BusinessTurn) -> str:
    """What the person taking over reads first: the customer's last few messages, newest last."""
    said = [*[t.text for t in turn.history if t.speaker == "member"][-2:], turn.message]
    lines = " / ".join(" ".join(text.split())[:180] for text in said)
    return f"The customer asked for a person. Their last messages: {lines}"[:600]


def _plain_reply(turn: BusinessTurn, text: str) -> str:
    text = trim_loop(text.strip())
    # What the customer wrote now or earlier may plant words for the agent to say as its own.
    planted = [t.text for t in turn.history if t.speaker == "member"] + [turn.message]
    echo = [target for said in planted for target in echo_targets(said)]
    unsafe = check_reply(text, secrets=(), echo=echo) is not None
    fallback = say(_language(turn), "fallback")
    return fallback if unsafe or not text or _CLAIM.search(text) else text


def _finish(turn: BusinessTurn, answer: Result | Reply, lead: str = "") -> Iterator[Delta | Reply]:
    """A tool's result, or the documents' answer with its citations, as the turn's reply
    (after ``lead``, what was settled before it)."""
    if isinstance(answer, Reply):
        text, citations, outcome, transferred = answer.text, answer.citations, answer.outcome, False
    else:
        text, citations, outcome, transferred = answer.say, [], "tools", answer.transferred
    if lead:
        text = f"{lead} {text}"
    if turn.introduce:
        introduction = say(
            _language(turn),
            "introduction",
            name=turn.persona.name,
            business=turn.persona.owner_name,
        )
        text = introduction + text
    reply = Reply(text, citations, outcome, [], offer_handoff=False, transferred=transferred)
    yield from in_pieces(reply)
