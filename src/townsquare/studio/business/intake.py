"""What a business turn settles before the model is asked: a yes or no to a proposed change,
the customer's verification (with the request written in the same message, or the request the
verification held up), a request for a person or a complaint, and a request for a discount.

A 135M model misses all of these often, and nothing else could be meant by them. A message
such as "please cancel E-1001, my email is sam@mail.com" is two intents: the verification is
done here and the rest of the message (``Intake.message``) is answered as usual, after the
verification's sentence (``Intake.lead``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import ToolCall
from townsquare.studio.business.arguments import EMAIL, resolve
from townsquare.studio.business.chat import Call
from townsquare.studio.business.confirmations import is_no, is_yes
from townsquare.studio.business.runner import answer_proposal, execute
from townsquare.studio.business.wording import LANGUAGES, say
from townsquare.tools import Result

# What introduces an email address, in each language the shop serves: dropped with the address.
EMAIL_INTRO = re.compile(
    r"(?:\b(?:my|the|here is my|here's my)\s+)?"
    r"\b(?:e-?mail(?:\s+address)?\s*(?:is|:)?|address\s*(?:is|:))"
    r"|\b(?:o\s+)?meu\s+e-?mail\s*(?:é|e|:)?"
    r"|\bmon\s+(?:e-?mail|adresse(?:\s+e-?mail)?|courriel)\s*(?:est|c'est|:)?"
    r"|\bmeine\s+e-?mail(?:-adresse)?\s*(?:ist|lautet|:)?"
    r"|\bmi\s+(?:correo(?:\s+electrónico)?|e-?mail)\s*(?:es|:)?",
    re.IGNORECASE,
)
# Words that make no request on their own ("Hi, it's sam@mail.com, thanks").
FILLER = frozenset(
    """hi hello hey thanks thank you please it's its it is here ok okay and olá ola obrigado
    obrigada bonjour merci salut hallo danke hola gracias por favor""".split()  # noqa: SIM905
)
WANTS_A_PERSON = re.compile(
    r"\b(?:talk|speak|chat|get)\s+(?:to|with|hold of)\s+(?:a|an|some|the|your|real)?\s*"
    r"(?:real\s+|actual\s+|live\s+)?(?:human|person|someone|somebody|manager|owner|staff|team)"
    r"|\b(?:human|real person|representative|manager)\s*(?:please|now|!|$)"
    r"|\bcomplain(?:t|ts|ing)?\b|\breclama(?:ção|r)\b|\bplainte\b|\bbeschwer(?:de|en)\b"
    r"|\bqueja\b|\bfalar com (?:uma pessoa|alguém|um humano)\b"
    r"|\bparler à (?:quelqu'un|un humain|une personne)\b"
    r"|\bhablar con (?:una persona|alguien|un humano)\b"
    r"|\bmit (?:einem menschen|jemandem|einer person)\s+(?:sprechen|reden)\b"
    r"|\b(?:call|ring|phone) me\b|\bgive me a (?:call|ring)\b"
    r"|\b(?:a|your) mechanic\b.*\b(?:call|talk|phone)\b"
    r"|\bme (?:ligue|liguem)\b|\brappelez-moi\b|\brückruf\b|\bllámenme\b",
    re.IGNORECASE,
)
_UPTO = r"[^?.!]{0,40}"  # the words between an offer's verb and its price, in one sentence
_MONEY = r"(?:[€$£]\s*)?\d+(?:[.,]\d+)?\s*(?:€|\$|£|eur\w*|dollars?|pounds?|zł|zl)?"
WANTS_A_DISCOUNT = re.compile(
    r"\b(?:discount|coupon|promo(?:tion(?:al)?)? code|voucher|\d{1,3}\s*(?:%|percent)\s*off"
    r"|cheaper price|desconto|réduction|remise|rabatt|descuento|price[- ]match\w*"
    r"|match (?:that|this|their|the) price|can you match (?:that|this|it))\b|\d{1,3}\s*%\s*off"
    # Bargaining: a price of the customer's own offered for what they buy, or a lower price
    # asked for, in each language the shop serves.
    rf"|\b(?:let me have|give me|sell me|(?:would|will|could|can) you do|take|accept"
    rf"|make it)\b{_UPTO}\bfor\s+{_MONEY}"
    r"|\b(?:best|lower|better|special|reduced|friends?) price\b|\bknock\w*\b[^?.!]{0,20}\boff\b"
    r"|\bcome down\b|\b(?:make|do|sell|let)\b\s+(?:\w+\s+){0,2}cheaper\b"
    rf"|\b(?:me l[oa]s? (?:dejas?|das?|vendes?)|déjamel[oa]s?)\b{_UPTO}\b(?:en|por)\s+{_MONEY}"
    r"|\bprecio especial\b|\brebaja\b|\bmais barato\b|\bpreço especial\b"
    rf"|\b(?:faz|faça|fazer|deixa|deixe)\b{_UPTO}\bpor\s+{_MONEY}"
    rf"|\b(?:laissez|laisses|faites|fais)\b{_UPTO}\b(?:à|pour)\s+{_MONEY}"
    r"|\bprix (?:spécial|d'ami)\b|\bmoins cher\b"
    rf"|\bfür\s+{_MONEY}\b{_UPTO}\b(?:lassen|geben|machen|überlassen)\b"
    rf"|\b(?:lassen|geben|machen|überlassen)\b{_UPTO}\bfür\s+{_MONEY}"
    r"|\b(?:preis)?nachlass\b|\bsonderpreis\b|\bbilliger\b"
    r"|\bsconto\b|\bprezzo speciale\b|\bkorting\b|\brabat\w*|\bzniżk\w*|\btaniej\b|\bupust\w*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Intake:
    settled: Result | None  # the turn's answer, found without the model
    lead: str = ""  # what the reply says first ("Thanks Sam, you're verified.")
    message: str = ""  # what is left for the model to answer, when nothing settled it


def take_in(
    session: Session,
    fresh: Callable[[], Call],
    message: str,
    summary: Callable[[], str],
    asked: str = "",
) -> Intake:
    """``fresh`` makes the turn's Call (again after a verification: the customer's rights
    change); ``summary`` is what a person taking over reads first; ``asked`` is the question
    the agent's last reply put to the customer, if it put one."""
    call = fresh()
    settled = answer_proposal(call, message)
    if settled is not None:
        return Intake(settled)
    unanswered = _nothing_to_confirm(call, message, asked)
    if unanswered is not None:
        return Intake(unanswered)
    email = EMAIL.search(message)
    if email is not None and call.customer is not None and not call.verified:
        return _verify(session, fresh, message, email.group(), summary)
    return _plain(call, message, summary) or Intake(None, message=message)


def _verify(
    session: Session,
    fresh: Callable[[], Call],
    message: str,
    email: str,
    summary: Callable[[], str],
) -> Intake:
    verified = execute(fresh(), "verify_customer", {"email": email})
    if verified.status != "ok":
        return Intake(verified)
    rest = without_email(message, email)
    call = fresh()
    if rest:
        plain = _plain(call, rest, summary)
        if plain is not None:
            return Intake(plain.settled, lead=verified.say)
        return Intake(None, lead=verified.say, message=rest)
    held_up = held_up_request(session, call.thread_id)
    if held_up is None:
        return Intake(verified)
    arguments = resolve(call, held_up.tool, dict(held_up.arguments), "")
    if isinstance(arguments, Result):
        return Intake(arguments, lead=verified.say)
    return Intake(execute(call, held_up.tool, arguments), lead=verified.say)


def _nothing_to_confirm(call: Call, message: str, asked: str) -> Result | None:
    """A bare yes with no change waiting for it confirms nothing (after a refusal, or when the
    agent asked for something else): it is told so, with what the agent still needs, instead of
    being read as a new request. A bare no is taken as it is meant."""
    if is_no(message):
        return Result("ok", say(call.language, "declined"))
    if not is_yes(message):
        return None
    waiting = say(call.language, "nothing_to_confirm")
    return Result("ok", f"{waiting} {asked}" if asked else waiting)


def _plain(call: Call, message: str, summary: Callable[[], str]) -> Intake | None:
    if WANTS_A_PERSON.search(message):
        return Intake(execute(call, "transfer_to_human", {"summary": summary()}))
    if WANTS_A_DISCOUNT.search(message):
        rule = call.policy.rule_about("discount")
        language = call.language
        reason = (
            f": {say(language, 'policy_says', rule=rule)}"
            if rule
            else f"; {say(language, 'prices_by_team')}."
        )
        return Intake(Result("refused", say(language, "no_discounts") + reason))
    return None


def without_email(message: str, email: str) -> str:
    """The message less the email address and the words that introduce it; empty when what is
    left asks for nothing."""
    rest = EMAIL_INTRO.sub(" ", message.replace(email, " "))
    words = re.findall(r"[^\W\d_][\w'-]*|\d+", rest.lower())
    asks = [w for w in words if w not in FILLER]
    return " ".join(rest.split()).strip(" ,;.-") if len(asks) >= 2 else ""


def held_up_request(session: Session, thread_id: int) -> ToolCall | None:
    """The call the customer's verification held up: the thread's call just before the
    verification that succeeded last, when it was refused for want of one."""
    latest = list(
        session.scalars(
            select(ToolCall)
            .where(ToolCall.thread_id == thread_id)
            .order_by(ToolCall.id.desc())
            .limit(2)
        )
    )
    if len(latest) < 2 or latest[0].tool != "verify_customer" or latest[0].status != "ok":
        return None
    before = latest[1]
    asked = {say(language, "verify_first") for language in LANGUAGES}
    refused = before.status == "refused" and before.result.get("say") in asked
    return before if refused else None
