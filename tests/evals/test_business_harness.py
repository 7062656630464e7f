"""The business evaluation's judge of what a reply shows: a slot's or a booking's database id
fails the task, a date, a time, a price, an order number or a count does not."""

from __future__ import annotations

from evals.business.harness import shown_ids


def test_a_reply_that_shows_a_slots_or_a_bookings_id_is_caught() -> None:
    ids = {4, 10, 14, 199, 488}
    shown = [
        "Shall I book slot 4 (Thu 10 Dec 14:00 UTC) for you?",
        "Verzet: afspraak 199 is nu op tijd 488.",
        "Which appointment do you mean? Yours: 199 (Thu 10 Dec 14:00 UTC).",
    ]
    assert [len(shown_ids([reply], ids)) for reply in shown] == [1, 2, 1]
    # A date's day, a time, a price, an order number or a count is no id.
    said = [
        "Shall I book Trim on Thursday, December 10 at 14:00 UTC for you?",
        "Gebucht: Trim am Donnerstag, 10. Dezember um 14:00 UTC.",
        "Marcado: Trim, quinta-feira, 10 de dezembro às 14:00 UTC.",
        "Order E-1001 costs 10.50 EUR. 14 in stock.",
    ]
    assert shown_ids(said, ids) == []
