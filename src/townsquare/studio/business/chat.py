"""Where a business tool is called: the business agent's DM thread with a member (``Call``, the
tool's context), made in one place (``call_for``), and who may use which tool there (the
``permitted`` rules: a customer record of the member's, verified in this thread)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent, Customer
from townsquare.studio.business import audit, orders
from townsquare.studio.business.policy import Policy, business_policy
from townsquare.tools import Context

NO_CUSTOMER = (
    "I can't find a customer record for your account with us, so I can't do that here."
    " I can pass you to a person from the team."
)
VERIFY_FIRST = (
    "Before I can help with orders I need to verify you: what is the email address on your account?"
)
TOO_MANY_TRIES = (
    "That didn't match several times, so I can't verify you here. I can pass you to a person."
)


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

    @property
    def business_id(self) -> int:
        return self.agent.owner_id


def call_for(
    session: Session, agent: Agent, *, thread_id: int, message_id: int | None, member_id: int
) -> Call:
    """The Call for a message of ``member_id`` in one of ``agent``'s threads (none: a call an
    intent of the member's makes)."""
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
    )


# --- Who may use a tool ------------------------------------------------------------------------


def customers_only(call: Call) -> str | None:
    return NO_CUSTOMER if call.customer is None else None


def verifying(call: Call) -> str | None:
    if call.customer is None:
        return NO_CUSTOMER
    failed = audit.failed_verifications(call.session, call.thread_id)
    return TOO_MANY_TRIES if failed >= audit.MAX_FAILED_VERIFICATIONS else None


def verified_only(call: Call) -> str | None:
    if call.customer is None:
        return NO_CUSTOMER
    return None if call.verified else VERIFY_FIRST
