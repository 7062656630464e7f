"""The shops the business evaluation runs in: each builds itself afresh for a task and says what
its owner's policy means (``Rules``), which the judge holds every change to, whatever the agent
parsed from the policy's words.

- ``coffee``: the demo's roastery (``townsquare.demo.shop``) and its 38 tasks (``TASKS``);
- ``workshop``: a bike workshop that sells parts online and takes service appointments, with
  customers writing in English, Portuguese, French and Spanish (``evals.business.workshop``);
- ``groomer``: a dog-grooming salon and pet shop, held out (nobody tunes the agent on it), with
  customers writing in English, German, French, Spanish and Italian (``evals.business.groomer``);
- ``music``: a music shop in Ghent that sells instruments online and books lessons and repair
  drop-offs, written blind and held out, with customers writing in English, Portuguese, French
  and Dutch (``evals.business.music``);
- ``nursery``: a plant nursery in Valencia that sells plants, pots and tools online and books
  garden consultations and planting visits, written blind and held out, with customers writing
  in English, Spanish, German and Polish (``evals.business.nursery``);
- ``ceramics``: a ceramics studio in Nice that sells pottery, clay and tools online and books
  taster classes and private wheel lessons, written blind and held out, with customers writing
  in English, Italian, Spanish and French (``evals.business.ceramics``);
- ``tailor``: a tailor's and alterations atelier in Utrecht with a fabric shop online, that
  books made-to-measure fittings and alteration drop-offs, written blind and kept unseen (run
  once, on the merged tree), with customers writing in English, German, Portuguese and Dutch
  (``evals.business.tailor``);
- ``photo``: a photography studio and print lab in Rotterdam that sells prints, frames and albums
  online and books portrait sessions, family shoots and passport photos, written blind and held
  out, with customers writing in English, Polish, Italian and Dutch (``evals.business.photo``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from evals.business import TASKS, Task
from townsquare.db.models import Account, Agent
from townsquare.demo.shop import CUSTOMERS, add_shop_documents, seed_shop
from townsquare.settings import Settings
from townsquare.studio.business import appointments


@dataclass(frozen=True)
class Rules:
    """The owner's policy as they meant it."""

    return_window_days: int  # returns and exchanges, counted from delivery
    refund_max_cents: int | None  # a larger refund is the owner's to decide
    exchanges: bool = True
    final_sale_skus: frozenset[str] = frozenset()  # never returned nor exchanged
    notice_hours: int = 0  # an appointment is moved or cancelled at least this long before


@dataclass(frozen=True)
class Seeded:
    agent: Agent
    faq_source: int  # the knowledge source of the shop's FAQ, to index
    ids: dict[str, int]  # placeholders for slot and booking ids
    words: dict[str, str] = field(default_factory=dict)  # other placeholders (a slot's day)


@dataclass(frozen=True)
class Customer:
    who: str  # the key tasks name them by
    name: str
    email: str
    orders: tuple[str, ...]  # their order numbers

    @property
    def secrets(self) -> tuple[str, ...]:
        """What nobody else may be shown."""
        return (self.email, self.name, *self.orders)


# (session, settings, the business, {who: member account}, now, agent handle, task)
Seed = Callable[[Session, Settings, Account, dict[str, Account], datetime, str, Task], Seeded]


@dataclass(frozen=True)
class Shop:
    name: str
    title: str  # the business's display name
    customers: tuple[Customer, ...]
    rules: Rules
    tasks: tuple[Task, ...]
    seed: Seed


def _seed_coffee(
    session: Session,
    settings: Settings,
    business: Account,
    people: dict[str, Account],
    now: datetime,
    agent_handle: str,
    task: Task,
) -> Seeded:
    members = [people[c.who] for c in COFFEE_CUSTOMERS]
    agent, customers = seed_shop(session, business, members, now=now, agent_handle=agent_handle)
    faq = add_shop_documents(session, settings, agent)
    slots = appointments.free_slots(session, business.id)
    booking = appointments.book(session, customers[0], slots[0].id) if task.booked else None
    ids = {
        "slot1": slots[0].id,
        "slot2": slots[1].id,
        "booking": booking.id if booking is not None else 0,
    }
    return Seeded(agent, faq, ids)


COFFEE_CUSTOMERS = tuple(
    Customer(who, spec.name, spec.email, tuple(number for number, *_ in spec.orders))
    for who, spec in zip(("alice", "bruno"), CUSTOMERS, strict=True)
)
COFFEE = Shop(
    name="coffee",
    title="Ember & Oak",
    customers=COFFEE_CUSTOMERS,
    rules=Rules(return_window_days=30, refund_max_cents=5_000),
    tasks=TASKS,
    seed=_seed_coffee,
)
