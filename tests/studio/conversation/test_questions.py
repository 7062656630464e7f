"""What a question asks: its answer type by the first cue it says, its subject, its wants; and
the per-language table that another language plugs into."""

from __future__ import annotations

import re

import pytest

from townsquare.studio.conversation.cues import ENGLISH, LANGUAGES, Cues, cues
from townsquare.studio.conversation.questions import read_question, spelled_out


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much is the wheel-throwing taster?", "price"),
        ("If it takes two hours, what do I owe you?", "price"),
        ("What does a fortnight's hire work out at?", "price"),
        ("Bought on 1 May, good until when?", "when"),
        ("How many days until the next open day?", "duration"),
        ("What does a full service cost?", "price"),
        ("What's UK postage for small parts?", "price"),
        ("How much salt goes in the loaf?", "quantity"),
        ("How long is the puncture class?", "duration"),
        ("How many days does it take to dry?", "duration"),
        ("What ages is the Cnoc 16 for?", "age"),
        ("What level is the wheel building day?", "level"),
        ("What time do you close on Saturdays?", "time"),
        ("When is the next open day?", "when"),
        ("What days does your apprentice work?", "when"),
        ("On which evenings does the course run?", "when"),
        ("Where does the Sunday ride meet?", "place"),
        ("Who do you send carbon frames to?", "name"),
        ("How far will you travel for a repair?", "distance"),
        ("How many people can come?", "quantity"),
        ("Do you sell gift vouchers?", "yesno"),
        ("Can I pay by cash at the market?", "yesno"),
        ("What do I get to take home from the class?", "other"),
    ],
)
def test_each_question_gets_the_type_of_its_answer(question: str, kind: str) -> None:
    assert read_question(question).type == kind


def test_the_cue_said_first_decides() -> None:
    assert read_question("Who looks after the stall when you're teaching?").type == "name"
    assert read_question("What do you add to the water when boiling bagels?").type == "other"


def test_the_subject_is_what_it_is_about_without_the_asking_words_or_names() -> None:
    asked = read_question("How much does Maya's sourdough class cost?", names=frozenset({"maya"}))
    assert asked.subject == frozenset({"sourdough", "class"})


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("hiya, how much is a jar of the wildflower?", {"jar", "wildflower"}),
        ("where exactly is the farm shop?", {"farm", "shop"}),
        ("could I come up and have a look at the hives sometime?", {"hiv"}),
        ("do u charge to collect a swarm lol", {"collect", "swarm"}),
    ],
)
def test_greetings_hedges_and_texting_shorthand_are_not_the_subject(
    question: str, subject: set[str]
) -> None:
    assert read_question(question).subject == frozenset(subject)


def test_only_the_asking_sentence_names_the_subject() -> None:
    asked = read_question("Whats the address of the workshop? I want to drop my bike off")
    assert asked.type == "place" and asked.subject == frozenset({"workshop"})


def test_a_total_names_its_destination_and_the_next_and_a_deadline_are_noticed() -> None:
    total = read_question("How much is a chain to post to France, including postage?")
    assert total.wants_total and total.destination == "france"
    assert read_question("When is the next open studio?").wants_next
    assert read_question("By when must I cancel?").wants_deadline
    assert not read_question("How much is a chain?").wants_total
    assert read_question("What time are the tasters now?").wants_current
    assert read_question("Quel est le prix actuellement ?", language="fr").wants_current
    assert not read_question("What time are the tasters?").wants_current


def test_another_language_is_a_table_not_new_logic(monkeypatch: pytest.MonkeyPatch) -> None:
    portuguese = Cues(
        types=(("price", r"\bquanto custa\b"),),
        asking=frozenset({"quanto", "custa"}),
        total=ENGLISH.total,
        shipping=ENGLISH.shipping,
        destination=ENGLISH.destination,
        next=ENGLISH.next,
        deadline=ENGLISH.deadline,
        discount=ENGLISH.discount,
        counts={},
        together=ENGLISH.together,
        two_people=ENGLISH.two_people,
        today="hoje",
    )
    monkeypatch.setitem(LANGUAGES, "pt", portuguese)
    asked = read_question("Quanto custa a aula?", language="pt")
    assert asked.type == "price" and asked.language == "pt"
    assert cues("pt") is portuguese and cues("xx") is ENGLISH


# --- the tables of the other languages (pt fr de es it nl pl) ---


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
        ("it", "Quanto costa il corso di ceramica?", "price"),
        ("it", "A che ora apre il negozio la domenica?", "time"),
        ("it", "Quando e il prossimo mercatino?", "when"),  # the accent left out
        ("it", "Come si chiama il tuo cane?", "name"),
        ("it", "Fate spedizioni in Francia?", "yesno"),
        ("nl", "Wat kost een proefles?", "price"),
        ("nl", "Hoe laat gaat de winkel open op zaterdag?", "time"),
        ("nl", "Hoe lang duurt de workshop?", "duration"),
        ("nl", "Waar kan ik parkeren?", "place"),
        ("nl", "Verkopen jullie cadeaubonnen?", "yesno"),
        ("pl", "Ile kosztuje lekcja próbna?", "price"),
        ("pl", "O ktorej otwieracie w sobote?", "time"),  # the diacritics left out
        ("pl", "Kiedy jest następny warsztat?", "when"),
        ("pl", "Jak długo trwa kurs?", "duration"),
        ("pl", "Czy sprzedajecie bony podarunkowe?", "yesno"),
        # "distance" asks one wherever it stands, as in English
        ("pt", "Qual é a distância máxima para reparações?", "distance"),
        ("fr", "Quelle distance parcourez-vous pour une réparation ?", "distance"),
        ("es", "¿Hasta qué distancia llegan las reparaciones?", "distance"),
    ],
)
def test_each_other_language_types_its_questions(language: str, question: str, kind: str) -> None:
    assert read_question(question, language=language).type == kind


def test_a_portuguese_subject_keeps_what_is_asked_about() -> None:
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
        ("it", "Quanto costa la catena in totale con la spedizione in Germania?", "germania"),
        ("nl", "Wat kost de ketting in totaal met verzending naar België?", "belgië"),
        ("pl", "Ile kosztuje łańcuch łącznie z wysyłką do Niemiec?", "niemiec"),
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
    assert read_question("Wanneer is de volgende proefles?", language="nl").wants_next
    assert read_question("Quanto costa adesso il corso?", language="it").wants_current
    assert read_question("Ile teraz kosztuje kurs?", language="pl").wants_current
    assert cues("fr").counts["trois"] == 3
    assert cues("xx") is cues("en")  # no table: English


def test_after_a_dash_the_asking_part_decides_the_type() -> None:
    question = "Liz asked where to start - how long is the class you told her to do next?"
    assert read_question(question).type == "duration"
    assert read_question("Where is it - the workshop?").type == "place"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Could you tune the upright in the hall, what would that set us back?", "price"),
        ("can you groom both spaniels on friday - what do i owe you for that", "price"),
        ("Is it £5 extra to bring the harp?", "yesno"),  # one clause: yes or no
        ("Can I pay for the lessons by card?", "yesno"),  # paying is how, not how much
        ("Do you know who tunes the church organ?", "yesno"),  # only an amount wins
        ("how much extra is a second lesson in the week?", "price"),
        ("how much more is the grand than the upright?", "price"),
        ("how much flour goes in the loaf?", "quantity"),
        ("what are we paying for the fourth lesson?", "price"),
    ],
)
def test_a_clause_asking_an_amount_makes_a_price_question(question: str, kind: str) -> None:
    assert read_question(question).type == kind


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("de", "Kommt ihr auch samstags, was kostet das?"),
        ("es", "¿Vienen también los sábados? ¿Cuánto cuesta?"),
    ],
)
def test_an_amount_asked_in_another_language_makes_a_price_question(
    language: str, question: str
) -> None:
    assert read_question(question, language=language).type == "price"


@pytest.mark.parametrize(
    ("question", "total"),
    [
        ("Hove here - a tuning inc. your travel fee, how much?", True),
        ("what does a tuning cost once you add the travel?", True),
        ("a tuning with the call-out on top, total?", True),
        ("what's a crate of apples going to cost me delivered?", True),
        ("how much is your travel fee to Lewes?", False),  # the fee itself
        ("when will it be delivered?", False),
    ],
)
def test_a_fee_for_getting_there_asks_a_total(question: str, total: bool) -> None:
    assert read_question(question).wants_total is total


@pytest.mark.parametrize(
    ("question", "described"),
    [
        ("What's the price of the bike you told Femi to buy?", True),
        ("How much is the course Marek co-teaches with you?", True),
        ("How old is the apprentice who helps run Kids' Bike Club?", True),
        ("Who looks after the stall when you're teaching?", False),
        ("What's the smallest amount I can put on a voucher?", False),
        ("How much is the Specialized Rockhopper?", False),
        # a possessive does not open a description: tried (two14), it bridged the petsit
        # areas question to the wrong area ("Nailsea") where it had said "I don't know"
        ("is there a travel fee for the area your favourite park is in?", False),
    ],
)
def test_a_thing_described_not_named_is_noticed(question: str, described: bool) -> None:
    assert (re.search(ENGLISH.described, question) is not None) is described


@pytest.mark.parametrize(
    ("question", "kind", "wants_next"),
    [
        ("whens ur next beginners day?", "when", True),
        ("Wheres the farm gate shelf?", "place", False),
        ("whats postage on an order?", "price", False),
        ("can u post it?", "yesno", False),
    ],
)
def test_quick_writing_is_read_spelled_out(question: str, kind: str, wants_next: bool) -> None:
    asked = read_question(question)
    assert (asked.type, asked.wants_next) == (kind, wants_next)
    assert "ur" not in asked.subject and "u" not in asked.subject


def test_shorthand_leaves_a_word_that_only_looks_like_it() -> None:
    assert spelled_out("Do you stock a U-lock for us?", ENGLISH) == "Do you stock a U-lock for us?"
    assert spelled_out("Whens it on?", ENGLISH) == "When is it on?"
    assert spelled_out("whens it on?", cues("fr")) == "whens it on?"  # no table of its own


@pytest.mark.parametrize(
    ("language", "question", "kind"),
    [
        ("fr", "a quelle heure ouvre la boutique le samedi ?", "time"),
        ("es", "cuanto cuesta el envio?", "price"),
        ("pl", "o ktorej godzinie zaczyna sie kurs?", "time"),
    ],
)
def test_a_question_typed_without_its_accents_is_read_as_with_them(
    language: str, question: str, kind: str
) -> None:
    assert read_question(question, language=language).type == kind
    assert read_question("cuando es la proxima clase?", language="es").wants_next
