"""What the evaluation shops share in seeding: orders moved through the owner's own steps, a
slot's day and time as a customer writing a language puts it, and (``ShopData``) a whole shop
built from its data: catalog, policy, agent, customers and their orders, slots and bookings, FAQ."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_datetime
from sqlalchemy.orm import Session

from evals.business import Task
from evals.business.shops import Customer, Seeded
from townsquare.db.models import Account
from townsquare.db.models import Customer as ShopCustomer
from townsquare.settings import Settings
from townsquare.studio.agents import create_agent
from townsquare.studio.business import appointments, catalog, order_states, orders, policy
from townsquare.studio.business.orders import LineItem
from townsquare.studio.knowledge.ingest import enqueue_file
from townsquare.studio.spec import AgentSpec

Step = tuple[str, int, str, str]  # (status, days ago, carrier, tracking number)
# (number, [(sku, quantity, options "name=value;...")], days since placed, the owner's steps)
OrderRow = tuple[str, tuple[tuple[str, int, str], ...], int, tuple[Step, ...]]


def delivered(
    placed: int, shipped: int, delivered: int, carrier: str, tracking: str
) -> tuple[Step, ...]:
    """The owner's steps of an order paid, shipped and delivered on those days ago."""
    return (
        ("paid", placed, "", ""),
        ("shipped", shipped, carrier, tracking),
        ("delivered", delivered, "", ""),
    )


def line_item(sku: str, quantity: int, options: str) -> LineItem:
    chosen = dict(part.strip().partition("=")[::2] for part in options.split(";") if part)
    return LineItem(sku, quantity, chosen or None)


def place_orders(
    session: Session,
    business: Account,
    customer: ShopCustomer,
    rows: Sequence[OrderRow],
    now: datetime,
) -> None:
    """Place each order ``now`` minus its age, then take the owner's steps on their days."""
    for number, items, placed_days, steps in rows:
        orders.place_order(
            session,
            customer,
            number,
            [line_item(*item) for item in items],
            placed_at=now - timedelta(days=placed_days, hours=1),
        )
        for status, days, carrier, tracking in steps:
            order_states.change_status(
                session,
                owner=business,
                number=number,
                status=status,
                at=now - timedelta(days=days),
                carrier=carrier or None,
                tracking_number=tracking or None,
            )


def in_words(moment: datetime, language: str, at: Mapping[str, str]) -> str:
    """ "Thursday 10 December at 10:00", as a customer writing ``language`` puts it (``at``:
    each language's word before the time)."""
    day = format_datetime(moment, "EEEE d MMMM", locale=language)
    return f"{day} {at[language]} {moment:%H:%M}"


def clock(moment: datetime) -> tuple[tuple[str, str], ...]:
    """``moment``'s day of the month ("12"), hour ("14") and twelve-hour time ("2pm", "2:30pm"),
    as a customer picks a slot by them: ``("dom", "12"), ("h", "14"), ("ampm", "2pm")``."""
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    suffix = "am" if moment.hour < 12 else "pm"
    return (("dom", str(moment.day)), ("h", str(moment.hour)), ("ampm", f"{hour}{minutes}{suffix}"))


def date_words(moment: datetime) -> str:
    """``moment``'s day as any of the usual ways of writing it, as expected-phrase
    alternatives."""
    return "|".join(
        (
            f"{moment.day} {moment:%B}",
            f"{moment:%d %b}",
            f"{moment:%B} {moment.day}",
            f"{moment:%Y-%m-%d}",
            f"{moment:%d/%m}",
            f"{moment.day}/{moment.month}",
        )
    )


@dataclass(frozen=True)
class ShopData:
    """A shop as its module writes it down; ``seed`` builds it afresh for a task."""

    catalog_csv: str
    policy: str
    agent: AgentSpec
    customers: Sequence[Customer]
    orders: Mapping[str, Sequence[OrderRow]]  # each customer's (by ``who``)
    slot_starts: Callable[[datetime], dict[str, tuple[datetime, str]]]  # key: (start, service)
    booked: Mapping[str, str]  # slot key: who booked it
    languages: Sequence[str]  # the customers' languages, for each slot's day in words
    at: Mapping[str, str]  # each language's word before the time
    faq_file: str
    faq: str

    def seed(
        self,
        session: Session,
        settings: Settings,
        business: Account,
        people: dict[str, Account],
        now: datetime,
        agent_handle: str,
        task: Task,
    ) -> Seeded:
        report = catalog.import_csv(session, business.id, self.catalog_csv)
        assert not report.errors, report.errors
        policy.set_policy(session, business.id, self.policy)
        spec = self.agent.model_copy(update={"handle": agent_handle})
        agent = create_agent(session, business, spec)
        customers = {}
        for person in self.customers:
            customers[person.who] = orders.add_customer(
                session,
                business.id,
                name=person.name,
                email=person.email,
                account_id=people[person.who].id,
            )
            place_orders(session, business, customers[person.who], self.orders[person.who], now)
        starts = self.slot_starts(now)
        slots = {
            key: appointments.add_slot(session, business.id, start, minutes=60, service=service)
            for key, (start, service) in starts.items()
        }
        ids = {key: slot.id for key, slot in slots.items()} | {
            f"slot_{key}": slots[key].id for key in self.booked
        }
        for key, who in self.booked.items():
            ids[key] = appointments.book(session, customers[who], slots[key].id).id
        words = {
            f"{key}_{language}": in_words(start, language, self.at)
            for key, (start, _) in starts.items()
            for language in self.languages
        }
        words |= {
            f"{key}_wd_{language}": format_datetime(start, "EEEE", locale=language)
            for key, (start, _) in starts.items()
            for language in self.languages
        }
        words |= {
            f"{key}_{part}": text
            for key, (start, _) in starts.items()
            for part, text in clock(start)
        }
        words |= {f"{key}_short": f"{start:%d %b}" for key, (start, _) in starts.items()}
        words |= {f"{key}_day": f"{start.day} {start:%B}" for key, (start, _) in starts.items()}
        words |= {
            f"{number.replace('-', '')}_delivered": date_words(now - timedelta(days=days))
            for rows in self.orders.values()
            for number, _, _, steps in rows
            for status, days, _, _ in steps
            if status == "delivered"
        }
        faq = enqueue_file(session, settings, agent, self.faq_file, self.faq.encode()).id
        return Seeded(agent, faq, ids, words)
