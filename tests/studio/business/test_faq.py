"""A shop's FAQ: its question/answer pairs read from the agent's knowledge (Markdown headings
that ask, an FAQ .json), and a customer's question answered with the entry it asks about,
quoted and cited, across languages; near misses (questions the FAQ does not answer, on the
same subjects) get no entry. The FAQ here is a pottery studio's, written for this test (not
an evaluation shop's)."""

from __future__ import annotations

import json

import pytest

from tests.studio.business.conftest import Shop
from townsquare.ai.e5_embedder import E5Embedder
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.db.models import Agent
from townsquare.settings import Settings
from townsquare.studio.business.faq import Entry, entries, faq_answer
from townsquare.studio.knowledge.ingest import enqueue_file, ingest_source_now

FAQ = "\n\n".join(
    (
        "# Barro Vivo pottery studio",
        "## When is the studio open?\nThe studio at Rua da Rosa 12 in Lisbon is open Tuesday to"
        " Saturday from 10:00 to 20:00. It is closed on Sundays and Mondays.",
        "## How long until my pieces are fired?\nBisque firing takes one week after the class."
        " Glazed pieces are ready to collect three weeks after the class.",
        "## Can I bring children?\nChildren from 8 years old are welcome in the family classes"
        " on Saturday mornings, with an adult.",
        "## Are the mugs food safe?\nAll our glazes are lead-free and food safe. The mugs are"
        " dishwasher safe but should not go in the microwave.",
        "## Do you ship pottery?\nWe ship within the EU in double boxes; delivery takes 4 to 7"
        " working days and costs 12 EUR.",
        "## About us\nBarro Vivo was founded in 2019 by two potters.",
    )
)
PAIRS = [{"question": "Can I cancel a class?", "answer": "Yes, up to 48 hours before it."}]
# (question, what the quote must hold): in English, Portuguese, French and Spanish.
ANSWERED = [
    ("Are you open on Mondays?", "closed on Sundays and Mondays"),
    ("When can I pick up my glazed bowl?", "three weeks"),
    ("Can my daughter come to a class? She is ten.", "8 years old"),
    ("Can the mug go in the microwave?", "microwave"),
    ("Quanto tempo demora o envio?", "4 to 7 working days"),
    ("L'atelier est-il ouvert le samedi ?", "Tuesday to Saturday"),
    ("¿Puedo cancelar una clase?", "48 hours"),
]
# Questions on the FAQ's subjects that none of its entries answers.
NEAR_MISSES = [
    "Do you sell clay for home use?",
    "Can I rent the kiln?",
    "Is there parking near the studio?",
    "Do you offer gift vouchers?",
    "Can I book a private party?",
    "Do you sell glaze?",
    "Vendem argila?",
    "Proposez-vous des cours en ligne ?",
]


@pytest.fixture
def pottery(database: Database, settings: Settings, shop: Shop) -> Shop:
    with database.session() as session:
        agent = session.get(Agent, shop.agent_id)
        assert agent is not None
        sources = [
            enqueue_file(session, settings, agent, "barro-vivo-faq.md", FAQ.encode()).id,
            enqueue_file(session, settings, agent, "more.json", json.dumps(PAIRS).encode()).id,
        ]
    for source_id in sources:
        ingest_source_now(database, FakeEmbedder(), source_id, settings=settings)
    return shop


def test_the_faq_is_its_question_answer_pairs(database: Database, pottery: Shop) -> None:
    with database.session() as session:
        found = entries(session, pottery.agent_id)
    questions = [entry.question for entry in found]
    assert questions == [
        "When is the studio open?",
        "How long until my pieces are fired?",
        "Can I bring children?",
        "Are the mugs food safe?",
        "Do you ship pottery?",
        "Can I cancel a class?",
    ]  # "About us" asks nothing
    cancel = found[-1].passage
    assert cancel.text == "Yes, up to 48 hours before it."  # the .json's question is not repeated
    assert (cancel.title, cancel.locator) == ("more.json", "Can I cancel a class?")
    assert cancel.url == f"/agents/{pottery.agent_handle}/passages/{cancel.chunk_id}"


def test_an_agent_without_an_faq_answers_nothing_from_it(
    database: Database, shop: Shop, fake_embedder: FakeEmbedder
) -> None:
    reply = faq_answer(database, fake_embedder, shop.agent_id, frozenset(), "en", "Open today?")
    assert reply is None


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return E5Embedder()


@pytest.mark.slow
def test_questions_get_the_entry_they_ask_about_and_near_misses_none(
    database: Database, pottery: Shop, e5: E5Embedder
) -> None:
    def ask(question: str, language: str = "en") -> tuple[str, str] | None:
        reply = faq_answer(database, e5, pottery.agent_id, frozenset(), language, question)  # type: ignore[arg-type]
        if reply is None:
            return None
        [citation] = reply.citations
        assert reply.outcome == "quoted" and "[1]" in reply.text
        return str(citation["locator"]), reply.text

    answers = {question: ask(question) for question, _ in ANSWERED}
    right = [q for q, holds in ANSWERED if (a := answers[q]) is not None and holds in a[1]]
    wrong = [q for q, holds in ANSWERED if (a := answers[q]) is not None and holds not in a[1]]
    refused = [question for question in NEAR_MISSES if ask(question) is None]
    # Measured (docs/benchmarks.md, "FAQ answers"): 4 of 7 right, 1 wrong entry (Portuguese
    # "how long does shipping take" matched to "how long until my pieces are fired"), the two
    # paraphrases with no word of their entry unanswered; 7 of 8 near misses refused.
    assert len(right) >= 4 and len(wrong) <= 1 and len(refused) >= 7, (right, wrong, refused)
    french = ask("L'atelier est-il ouvert le samedi ?", "fr")
    assert french is not None and french[0] == "When is the studio open?"
    assert french[1].startswith("Notre FAQ dit : « The studio at Rua da Rosa 12")
    assert french[1].endswith("[1] (cité tel quel, en anglais)")  # the best sentence only


def test_an_entry_is_its_question_then_its_answer(database: Database, pottery: Shop) -> None:
    with database.session() as session:
        first: Entry = entries(session, pottery.agent_id)[0]
    assert first.text.startswith("When is the studio open?\nThe studio at Rua da Rosa 12")
