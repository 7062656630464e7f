"""Where a business tool is called: the business agent's DM thread with a member (``Call``, the
tool's context), made in one place (``call_for``), and who may use which tool there (the
``permitted`` rules: a customer record of the member's, verified in this thread)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent, Customer
from townsquare.studio.business import audit, orders
from townsquare.studio.business.policy import Policy, business_policy
from townsquare.studio.business.wording import Language, say
from townsquare.tools import Context

# In English; each customer reads them in their own language (``Call.language``).
NO_CUSTOMER = say("en", "no_customer")
VERIFY_FIRST = say("en", "verify_first")


@dataclass(frozen=True)
class Call(Context):
    """Who a business tool acts for, and why: the agent's thread with the member, the message
    being answered (none when an intent of the member's calls the tool), and what the business
    knows of the member there."""

    agent: Agent
    thread_id: int
    message_id: int | None
    policy: Policy
    customer: Customer | None
    verified: bool
    language: Language = "en"  # the customer's: what the tools' sentences are written in

    @property
    def business_id(self) -> int:
        return self.agent.owner_id


def call_for(
    session: Session,
    agent: Agent,
    *,
    thread_id: int,
    message_id: int | None,
    member_id: int,
    language: Language = "en",
) -> Call:
    """The Call for a message of ``member_id`` in one of ``agent``'s threads (none: a call an
    intent of the member's makes), answered in ``language``."""
    member = session.get(Account, member_id)
    assert member is not None
    return Call(
        session=session,
        member=member,
        agent=agent,
        thread_id=thread_id,
        message_id=message_id,
        policy=business_policy(session, agent.owner_id),
        customer=orders.customer_for_account(session, agent.owner_id, member_id),
        verified=audit.is_verified(session, thread_id),
        language=language,
    )


# --- Who may use a tool ------------------------------------------------------------------------


def customers_only(call: Call) -> str | None:
    return say(call.language, "no_customer") if call.customer is None else None


def verifying(call: Call) -> str | None:
    if call.customer is None:
        return say(call.language, "no_customer")
    failed = audit.failed_verifications(call.session, call.thread_id)
    return (
        say(call.language, "too_many_tries") if failed >= audit.MAX_FAILED_VERIFICATIONS else None
    )


def verified_only(call: Call) -> str | None:
    if call.customer is None:
        return say(call.language, "no_customer")
    return None if call.verified else say(call.language, "verify_first")


def confirming(call: Call, question: str) -> str:
    """A change's question, and how to say yes, in the customer's language."""
    return f"{question} {say(call.language, 'confirm')}"


def customer_of(call: Call) -> Customer:
    """The customer a tool acts for (its ``permitted`` rule already required one)."""
    assert call.customer is not None, "runner checks Tool.permitted first"
    return call.customer
