"""Is the question answered by the candidate: its key words named by the candidate's source (or
said there in other words), and "the next" a date to come of the same thing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
from numpy.typing import NDArray

from townsquare.ai.embeddings import Embedder, Side, normalise_rows
from townsquare.ai.fake import FakeEmbedder
from townsquare.studio.conversation.answered import deictic_dates, missing_words, unnamed
from townsquare.studio.conversation.answers import UNKNOWN, Answer, Chooser
from townsquare.studio.conversation.grounding import Guard
from townsquare.studio.conversation.questions import read_question
from townsquare.studio.knowledge.passages import Passage

TODAY = date(2026, 9, 10)


def passage(chunk_id: int, text: str, *, title: str = "", dated: date | None = None) -> Passage:
    return Passage(chunk_id, chunk_id, "file", title, "", text, 1.0, f"/p/{chunk_id}", dated)


def answer(question: str, *passages: Passage, embedder: Embedder | None = None) -> Answer | str:
    guard = Guard(embedder or FakeEmbedder(256))
    chooser = Chooser(question, read_question(question), guard, owner="Noor", on=TODAY)
    return chooser.answer(list(passages))


def test_unnamed_lists_the_subject_stems_a_passage_never_names() -> None:
    cruise = passage(1, "The river cruise leaves at 9:30 from the pier.", title="Cruises")
    assert unnamed(frozenset({"river", "cruis", "back"}), cruise) == ["back"]
    # a stem meets a longer one it begins, in the title as in the text
    assert unnamed(frozenset({"cruis", "pier"}), cruise) == []


def test_missing_words_are_the_question_own_words_in_its_order() -> None:
    question = "Can I still get my money back on a cancelled booking?"
    assert missing_words(question, ["back", "money"]) == "money back"
    assert missing_words(question, ["nowhere"]) == ""


def test_a_sentence_dated_by_tonight_or_tomorrow_takes_its_source_date() -> None:
    written = date(2026, 8, 2)
    assert deictic_dates("Tonight is the lantern walk!", written) == [("Tonight", written)]
    assert deictic_dates("See you tomorrow at the mill.", written) == [
        ("tomorrow", date(2026, 8, 3))
    ]
    assert deictic_dates("Tonight is the lantern walk!", None) == []


def test_a_time_of_the_start_does_not_answer_when_it_gets_back() -> None:
    cruise = passage(1, "The river cruise boat leaves at 9:30 from the pier.", title="Cruises")
    assert answer("What time does the river cruise boat get back?", cruise) == UNKNOWN
    left = answer("What time does the river cruise boat leave?", cruise)
    assert isinstance(left, Answer) and "9:30" in left.text


def test_a_price_does_not_answer_the_deposit_nor_a_child_price() -> None:
    camp = passage(1, "The summer climbing camp costs £200 per person.", title="Camps")
    assert answer("How much is the deposit for the summer climbing camp?", camp) == UNKNOWN
    assert answer("How much is the summer climbing camp for a toddler?", camp) == UNKNOWN
    price = answer("How much is the summer climbing camp?", camp)
    assert isinstance(price, Answer) and "£200" in price.text


class _Concepts(Embedder):
    """Texts that share a concept (any word of one group) point the same way; others are
    orthogonal: a stand-in for a model that knows a collie is a dog."""

    name, dimension = "concepts", 3
    groups = ({"dog", "collie"}, {"ferry", "boat"})

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        rows = []
        for text in texts:
            said = set(text.lower().replace(",", " ").replace(":", " ").split())
            rows.append([float(bool(said & g)) for g in self.groups] + [0.1])
        return normalise_rows(np.array(rows))


def test_a_key_word_said_in_other_words_still_answers() -> None:
    about = passage(1, "Pip, my old collie, naps under the counter.", title="About")
    named = answer("What is your dog called?", about, embedder=_Concepts())
    assert isinstance(named, Answer) and "Pip" in named.text
    # without a model that knows the two words, nothing says the collie is the dog
    assert answer("What is your dog called?", about) == UNKNOWN


def test_the_next_one_is_not_a_past_tonight_nor_another_event() -> None:
    walk = passage(1, "Tonight's the lantern walk, we meet at the mill.", dated=date(2026, 8, 2))
    fair = passage(2, "The harvest fair is on 3 October at the farm.", title="Harvest fair")
    assert answer("When is the next lantern walk?", walk) == UNKNOWN
    assert answer("When is the next lantern walk?", walk, fair) == UNKNOWN
    upcoming = passage(3, "Tomorrow is the lantern walk at the mill.", dated=date(2026, 9, 9))
    reply = answer("When is the next lantern walk?", walk, upcoming)
    assert isinstance(reply, Answer)
    assert reply.text.startswith("The next one is Tomorrow")
    assert [c["chunk_id"] for c in reply.citations] == [3]
