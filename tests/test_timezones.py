"""Time zones by their IANA names: the database's names only, never a file path."""

from __future__ import annotations

import pytest

from townsquare import timezones
from townsquare.errors import InvalidInput


def test_a_known_name_is_its_zone_and_the_names_are_sorted() -> None:
    assert str(timezones.zone("America/Sao_Paulo")) == "America/Sao_Paulo"
    assert str(timezones.zone("UTC")) == "UTC"
    names = timezones.names()
    assert "Europe/Berlin" in names and list(names) == sorted(names)


@pytest.mark.parametrize("name", ["Mars/Base", "../../etc/passwd", "/etc/localtime", "", "utc "])
def test_an_unknown_name_is_refused_naming_the_field(name: str) -> None:
    with pytest.raises(InvalidInput, match=r"^schedule\.timezone is not a known time zone"):
        timezones.zone(name, field="schedule.timezone")
