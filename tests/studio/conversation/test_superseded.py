"""A newer announcement overrides the chosen value: only from a newer source, with a value of
the same form, about the subject, in words that announce a change (in the question's language
or English); and through the learned selector, the older, fuller sentence gives way to it."""

from __future__ import annotations

from datetime import date

from tests.studio.conversation.test_selection import chooser, only, passage
from townsquare.studio.conversation.answers import Answer, Candidate
from townsquare.studio.conversation.cues import cues
from townsquare.studio.conversation.superseded import form, superseding

JULY, SEPTEMBER = date(2026, 7, 10), date(2026, 9, 9)
OLD = "Spend a day with me at the apiary on Saturday 3 October 2026, from 10:00 to 15:00."
MOVED = "It's now on Saturday 10 October, same times, same price."
CHANGES = cues("en").changes


def candidate(
    chunk_id: int,
    sentence: str,
    found: tuple[str, ...],
    dated: date | None,
    cover: float = 1.0,
    *,
    passage_cover: float | None = None,
    across: bool = False,
) -> Candidate:
    return Candidate(
        passage(chunk_id, sentence, dated=dated),
        sentence,
        found,
        cover,
        cover if passage_cover is None else passage_cover,
        0.5,
        0.0,
        across=across,
    )


def test_a_value_has_the_form_of_a_date_a_figure_or_a_word() -> None:
    assert form("Saturday 3 October 2026") == "date"
    assert form("£72") == form("19:30") == "figure"
    assert form("weekend") == form("Wednesdays") == "word"


def test_a_newer_announcement_of_a_value_of_the_same_form_supersedes() -> None:
    old = candidate(1, OLD, ("Saturday 3 October 2026", "10:00"), JULY)
    moved = candidate(2, MOVED, ("Saturday 10 October",), SEPTEMBER, cover=0.5)
    assert superseding(old, [old, moved], [0.64, 0.16], changes=CHANGES) is moved


def test_no_newer_value_of_another_form_about_something_else_or_unannounced() -> None:
    old = candidate(1, OLD, ("Saturday 3 October 2026",), JULY)
    vague = candidate(2, "The taster day now has to move that weekend.", ("weekend",), SEPTEMBER)
    elsewhere = candidate(3, MOVED, ("Saturday 10 October",), SEPTEMBER, cover=0.25)
    unannounced = candidate(4, "The market is on Saturday 10 October.", ("10 October",), SEPTEMBER)
    older = candidate(5, MOVED, ("Saturday 10 October",), date(2026, 6, 1))
    same = candidate(6, MOVED, ("Saturday 3 October 2026",), SEPTEMBER)
    # its post names the subject, but neither its sentence nor its title does
    aside = candidate(7, MOVED, ("Saturday 10 October",), SEPTEMBER, 0.0, passage_cover=1.0)
    for other in (vague, elsewhere, unannounced, older, same, aside):
        assert superseding(old, [old, other], [0.9, 0.5], changes=CHANGES) is None, other.sentence
    assert superseding(old, [old], [0.9], changes="") is None


def test_it_never_overrides_a_rival_newer_than_itself() -> None:
    old = candidate(1, OLD, ("Saturday 3 October 2026",), JULY)
    moved = candidate(2, MOVED, ("Saturday 10 October",), SEPTEMBER)
    pool, p = [old, moved], [0.9, 0.1]
    assert superseding(old, pool, p, changes=CHANGES, since=date(2026, 9, 20)) is None
    assert superseding(old, pool, p, changes=CHANGES, since=SEPTEMBER) is moved


def test_an_undated_row_is_as_new_as_the_post_that_agrees_with_it() -> None:
    row = candidate(1, "Voice lesson: 45 minutes; fee £30.", ("£30",), None)
    agreeing = candidate(2, "Lessons are £30, now booked by email.", ("£30",), SEPTEMBER)
    rise = candidate(3, "A lesson now costs £34.", ("£34",), date(2026, 9, 1))
    pool = [row, agreeing, rise]
    assert superseding(row, pool, [0.9, 0.5, 0.2], changes=CHANGES) is None
    assert superseding(row, [row, rise], [0.9, 0.2], changes=CHANGES) is rise


def test_other_languages_announce_in_their_words_and_in_english() -> None:
    old = candidate(1, "Le cours est à 18h00 le jeudi.", ("18h00",), JULY)
    french = candidate(2, "Le cours commence désormais à 18h30.", ("18h30",), SEPTEMBER)
    english = candidate(3, "The class starts at 18:30 instead.", ("18:30",), SEPTEMBER)
    changes = cues("fr").changes
    assert superseding(old, [old, french], [0.9, 0.2], changes=changes) is french
    assert superseding(old, [old, english], [0.9, 0.2], changes=changes) is english
    assert superseding(old, [old, french], [0.9, 0.2], changes=cues("de").changes) is None
    # across two languages no word is shared: the passage's closeness stands for the subject
    far = candidate(
        4, "Ahora a las 18:30.", ("18:30",), SEPTEMBER, 0.0, passage_cover=0.6, across=True
    )
    assert superseding(old, [old, far], [0.9, 0.2], changes=cues("es").changes) is far


def test_the_selector_quotes_the_announcement_as_of_its_date() -> None:
    older = passage(1, f"Beekeeping taster day. {OLD}", dated=JULY)
    newer = passage(2, f"Taster day news. {MOVED}", dated=SEPTEMBER)
    # the older sentence is the more probable one: it names the whole subject
    reply = only("sentence_cover", 4.0, 0.1).answer(
        chooser("When is the beekeeping taster day?"), [older, newer]
    )
    assert isinstance(reply, Answer)
    assert MOVED in reply.text
    assert reply.text.startswith("As of 9 September 2026")
    assert reply.citations == [newer.citation(MOVED)]
