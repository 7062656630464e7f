""" "The next" is a date to come of the same thing: a past "tonight" is past, and another
event's date is not the next one."""

from __future__ import annotations

from datetime import date

from townsquare.ai.fake import FakeEmbedder
from townsquare.studio.conversation.answered import deictic_dates
from townsquare.studio.conversation.answers import UNKNOWN, Answer, Chooser
from townsquare.studio.conversation.grounding import Guard
from townsquare.studio.conversation.questions import read_question
from townsquare.studio.knowledge.passages import Passage

TODAY = date(2026, 9, 10)


def passage(chunk_id: int, text: str, *, title: str = "", dated: date | None = None) -> Passage:
    return Passage(chunk_id, chunk_id, "file", title, "", text, 1.0, f"/p/{chunk_id}", dated)


def answer(question: str, *passages: Passage) -> Answer | str:
    guard = Guard(FakeEmbedder(256))
    chooser = Chooser(question, read_question(question), guard, owner="Noor", on=TODAY)
    return chooser.answer(list(passages))


def test_a_sentence_dated_by_tonight_or_tomorrow_takes_its_source_date() -> None:
    written = date(2026, 8, 2)
    assert deictic_dates("Tonight is the lantern walk!", written) == [("Tonight", written)]
    assert deictic_dates("See you tomorrow at the mill.", written) == [
        ("tomorrow", date(2026, 8, 3))
    ]
    assert deictic_dates("Tonight is the lantern walk!", None) == []


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
