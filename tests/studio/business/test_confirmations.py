"""A plain yes or no to a proposed change, in each language the shop serves."""

from __future__ import annotations

import pytest

from townsquare.studio.business.confirmations import LANGUAGES, is_no, is_yes
from townsquare.studio.business.phrases import CATALOGUE


def test_every_language_the_shop_serves_has_a_table() -> None:
    assert set(LANGUAGES) == set(CATALOGUE)  # every language the replies are written in


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "Yes please!",
        "ok, go ahead",
        "Sim, por favor",
        "sì",
        "Sì, grazie!",
        "va bene, procedi",
        "sim pode",
        "Oui, merci",
        "d'accord",
        "Ja bitte",
        "einverstanden",
        "Sí, adelante",
        "vale",
        "ja graag",
        "Prima, doe maar",
        "Tak, proszę",
        "potwierdzam",
    ],
)
def test_a_plain_yes_in_any_language_is_a_yes(text: str) -> None:
    assert is_yes(text) and not is_no(text)


@pytest.mark.parametrize(
    "text",
    [
        "yes, but to my other address",
        "oui mais pas cette commande",
        "ja, aber später",
        "sim, mas amanhã",
        "sì, ma domani",
        "ja, maar morgen",
        "tak, ale jutro",
        "yesterday it arrived",
        "",
    ],
)
def test_a_yes_with_more_to_it_is_not_a_yes(text: str) -> None:
    assert not is_yes(text)


@pytest.mark.parametrize(
    "text",
    [
        "no, keep it",
        "Não, obrigado",
        "non merci",
        "Nein danke",
        "no gracias",
        "no, aspetta",
        "nee, dank u",
        "nie, dziękuję",
    ],
)
def test_a_plain_no_in_any_language_is_a_no(text: str) -> None:
    assert is_no(text) and not is_yes(text)
