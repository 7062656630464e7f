"""Question typing in the languages besides English (the English table is A's)."""

from __future__ import annotations

import pytest

from townsquare.studio.conversation.questions import cues, read_question


@pytest.mark.parametrize(
    ("language", "question", "kind"),
    [
        ("pt", "Quanto custa o curso para iniciantes?", "price"),
        ("pt", "A que horas abre a oficina ao sábado?", "time"),
        ("pt", "Quando é a próxima aula de mecânica?", "when"),
        ("pt", "Onde fica a oficina?", "place"),
        ("pt", "Quanto tempo demora uma revisão?", "duration"),
        ("pt", "Fazem reparações de bicicletas elétricas?", "yesno"),
        ("fr", "Combien coûte la révision complète ?", "price"),
        ("fr", "À quelle heure ouvre l'atelier ?", "time"),
        ("fr", "Qui anime l'atelier du samedi ?", "name"),
        ("fr", "Acceptez-vous les cartes bancaires ?", "yesno"),
        ("de", "Was kostet der Reifenwechsel?", "price"),
        ("de", "Wann ist der nächste Workshop?", "when"),
        ("de", "Wie lange dauert eine Inspektion?", "duration"),
        ("de", "Wo ist die Werkstatt?", "place"),
        ("es", "¿Cuánto cuesta el cambio de cadena?", "price"),
        ("es", "¿A qué hora abre el taller?", "time"),
        ("es", "¿Dónde está el taller?", "place"),
        ("es", "¿Aceptan bicicletas eléctricas?", "yesno"),
    ],
)
def test_each_language_types_its_questions(language: str, question: str, kind: str) -> None:
    assert read_question(question, language=language).type == kind


def test_the_subject_keeps_what_is_asked_about_and_drops_how_it_is_asked() -> None:
    asked = read_question("Quanto custa o curso para iniciantes?", language="pt")
    assert "curso" in {word[:5] for word in asked.subject}
    assert not asked.subject & {"quanto", "custa", "para"}


@pytest.mark.parametrize(
    ("language", "question", "destination"),
    [
        ("pt", "Quanto custa a corrente com portes para a zona 2?", "zona 2"),
        ("fr", "Combien coûte la chaîne au total avec les frais de port en zone 2 ?", "zone 2"),
        ("de", "Was kostet die Kette insgesamt mit Versand nach Österreich?", "österreich"),
        ("es", "¿Cuánto cuesta la cadena en total con los gastos de envío a Francia?", "francia"),
    ],
)
def test_a_total_with_postage_is_read_in_each_language(
    language: str, question: str, destination: str
) -> None:
    asked = read_question(question, language=language)
    assert asked.type == "price" and asked.wants_total
    assert asked.destination == destination


def test_the_next_one_and_counts_in_each_language() -> None:
    assert read_question("Quando é a próxima aula?", language="pt").wants_next
    assert read_question("Wann ist der nächste Kurs?", language="de").wants_next
    assert cues("fr").counts["trois"] == 3
    assert cues("xx") is cues("en")  # no table: English
