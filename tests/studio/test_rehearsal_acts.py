from __future__ import annotations

import pytest

from townsquare.studio.rehearsal_acts import acts_of, figures_of


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("I'm asking for a 10% raise.", {"ask", "number"}),
        ("I closed 14 enterprise deals this year.", {"evidence"}),
        ("Could we agree to decide by the end of March?", {"next_step"}),
        ("Can we meet on Saturday and talk properly?", {"next_step"}),
        ("I hear you about the budget.", {"acknowledge"}),
        ("I'm sorry for what I said last week.", {"apology"}),
        ("No, I can't take your report today.", {"ask", "refusal"}),
        ("You always overreact.", {"blame"}),
        ("OK, sorry, never mind.", {"cave"}),
        ("Um, I guess I was wondering.", {"hedge"}),
        ("Hey.", set()),
        ("Te pido una subida del 10%.", {"ask", "number"}),
        ("Je suis désolé pour ce que j'ai dit.", {"apology"}),
        ("Nein, ich kann deinen Bericht heute nicht übernehmen.", {"refusal"}),
    ],
)
def test_what_a_line_does_is_read_from_the_line(line: str, expected: set[str]) -> None:
    assert acts_of(line) == expected


def test_a_day_in_the_past_is_not_a_proposal() -> None:
    assert "next_step" not in acts_of("When I walked out on Friday I handled it badly.")


def test_a_figure_outside_the_ask_is_evidence_and_an_amount_is_a_number() -> None:
    assert "number" not in acts_of("It has been broken for 12 days.")
    assert "number" in acts_of("I think 8% would reflect that.")
    assert "number" in acts_of("A raise of $5,000 a year.")


def test_figures_are_normalised_so_one_figure_is_one_figure() -> None:
    assert figures_of("from 62,000 to 68000, about 10 % and eight weeks") == {
        "62000",
        "68000",
        "10%",
        "eight",
    }
    assert figures_of("No figures here.") == set()
