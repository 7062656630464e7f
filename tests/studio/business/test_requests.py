"""What a customer's message asks for, recognised without the model, in each language the shop
serves; anything else is left to the routing and the model."""

from __future__ import annotations

import pytest

from townsquare.studio.business.requests import recognise


@pytest.mark.parametrize(
    ("message", "tool", "arguments"),
    [
        (
            "I'd like to return order R-3103, it's too warm.",
            "request_return",
            {"order_number": "R-3103", "kind": "return"},
        ),
        ("Please refund order #4410", "request_return", {"order_number": "4410", "kind": "return"}),
        ("I want to send back order R-3202", "request_return", {"kind": "return"}),
        ("quero devolver a encomenda R-3202", "request_return", {"kind": "return"}),
        ("je voudrais un remboursement pour R-1", "request_return", {"kind": "return"}),
        ("Ich möchte die Bestellung R-1 zurückschicken", "request_return", {"kind": "return"}),
        ("Can I exchange the jersey from order R-3103?", "request_return", {"kind": "exchange"}),
        ("posso trocar a encomenda R-3103?", "request_return", {"kind": "exchange"}),
        ("quiero cambiar el pedido R-1 por otra talla", "request_return", {"kind": "exchange"}),
        ("Please cancel order R-3101", "cancel_order", {"order_number": "R-3101"}),
        ("quero cancelar a encomenda R-3203", "cancel_order", {"order_number": "R-3203"}),
        ("Bitte stornieren Sie meine Bestellung", "cancel_order", {"order_number": "any"}),
        ("Where is my order R-3102?", "order_details", {"order_number": "R-3102"}),
        ("Did you receive the tubes I sent back, order R-3303?", "order_details", {}),
        ("où en est ma commande R-3301 ?", "order_details", {"order_number": "R-3301"}),
        ("¿Dónde está mi pedido R-3401?", "order_details", {"order_number": "R-3401"}),
        ("Which orders do I have with you?", "find_my_orders", {}),
        ("I need to cancel my appointment on Friday", "cancel_appointment", {"booking_id": 0}),
        ("Please move my appointment to Saturday", "move_appointment", {}),
        ("Can I book a basic service on Thursday?", "book_appointment", {"slot_id": 0}),
        ("Je voudrais réserver un créneau samedi", "book_appointment", {}),
        ("When can I bring my bike in?", "list_free_slots", {}),
        ("Which brewing class slots are free?", "list_free_slots", {}),
        # Everyday ways to ask, not only the request's own verb.
        ("I'd like my money back for the bed, PP-5103.", "request_return", {"kind": "return"}),
        ("Can I get a refund for order B-1?", "request_return", {"order_number": "B-1"}),
        ("Could I push my appointment on Monday back to Saturday?", "move_appointment", {}),
        ("Can we bring my appointment forward to Friday?", "move_appointment", {}),
        ("I need to reschedule my booking", "move_appointment", {}),
        ("When is your next free grooming slot?", "list_free_slots", {}),
        ("What's the next available appointment?", "list_free_slots", {}),
        # Misspelt request verbs, in any language, by a small edit distance.
        ("pls cancle my order PP-5101", "cancel_order", {"order_number": "PP-5101"}),
        ("I want a refnd for order B-2", "request_return", {"order_number": "B-2"}),
        ("quero cancelr a encomenda R-3203", "cancel_order", {"order_number": "R-3203"}),
        ("Bitte storniern Sie die Bestellung R-1", "cancel_order", {"order_number": "R-1"}),
        # Italian, Dutch and Polish.
        ("Vorrei restituire il guinzaglio, ordine PP-1", "request_return", {"kind": "return"}),
        ("Posso spostare il mio appuntamento di lunedì?", "move_appointment", {}),
        ("Vorrei prenotare una toelettatura sabato", "book_appointment", {}),
        ("Quali sono gli orari liberi?", "list_free_slots", {}),
        ("Ik wil mijn bestelling R-3 annuleren", "cancel_order", {"order_number": "R-3"}),
        ("Ik wil bestelling R-3 terugsturen", "request_return", {"kind": "return"}),
        ("Kan ik mijn afspraak verzetten naar vrijdag?", "move_appointment", {}),
        ("Wat zijn mijn bestellingen?", "find_my_orders", {}),
        ("Gdzie jest moje zamówienie R-3?", "order_details", {"order_number": "R-3"}),
        ("Chcę zwrócić zamówienie R-3", "request_return", {"order_number": "R-3"}),
        ("Chcę odwołać wizytę w piątek", "cancel_appointment", {}),
        ("Czy mogę przełożyć wizytę na sobotę?", "move_appointment", {}),
        # A booking changed, switched or sent to another day "instead", in any language.
        ("Could my appointment on Friday go to Tuesday instead?", "move_appointment", {}),
        ("I'd like to change my booking from Friday to Monday", "move_appointment", {}),
        ("Can I switch my appointment to the afternoon?", "move_appointment", {}),
        ("¿Puedo cambiar mi cita del lunes al viernes?", "move_appointment", {}),
        ("Posso cambiare l'appuntamento di giovedì a sabato?", "move_appointment", {}),
        ("Kann ich meinen Termin am Montag ändern?", "move_appointment", {}),
        ("Je voudrais modifier mon rendez-vous de mardi", "move_appointment", {}),
        ("Ik wil mijn afspraak van dinsdag wijzigen", "move_appointment", {}),
        ("Posso trocar a minha marcação de sexta?", "move_appointment", {}),
    ],
)
def test_a_request_is_recognised_with_the_customers_words(
    message: str, tool: str, arguments: dict[str, object]
) -> None:
    request = recognise(message)
    assert request is not None and request.tool == tool
    assert arguments.items() <= request.arguments.items()


@pytest.mark.parametrize(
    "message",
    [
        "How much is the U-lock?",
        "Are you open on Saturday afternoons?",
        "Do you ship orders on Sundays?",
        "Hi there!",
        "Can the merino jersey go in the tumble dryer?",
        "My dog has cancer, is the shampoo safe?",  # one letter from "cancel" is not a typo
        "Is the rope leash available at the moment?",
    ],
)
def test_a_question_that_asks_for_no_tool_is_left_to_the_model(message: str) -> None:
    assert recognise(message) is None


def test_the_reason_of_a_return_is_the_customers_own_words() -> None:
    request = recognise("I want to   return order R-3103, the jersey is too warm.")
    assert request is not None
    assert request.arguments["reason"] == "I want to return order R-3103, the jersey is too warm."


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("The vase in order A-55 is chipped, could I change it for a new one?", "exchange"),
        ("Can I have the shirt from A-9 in a different size?", "exchange"),
        ("I'd like to replace the red mug of A-2 with the blue one", "exchange"),
        ("¿Puedo cambiar el jarrón del pedido A-2 por uno más pequeño?", "exchange"),
        ("Puis-je changer le pull de la commande A-3 contre une taille M ?", "exchange"),
        ("I've changed my mind about A-4, can I send it back?", "return"),
    ],
)
def test_an_item_given_back_for_another_is_an_exchange(message: str, kind: str) -> None:
    request = recognise(message)
    assert request is not None and request.tool == "request_return"
    assert request.arguments["kind"] == kind


@pytest.mark.parametrize(
    "message",
    ["Can I change my delivery address for order A-1?", "Can I change the date for A-1?"],
)
def test_changing_a_detail_of_an_order_is_no_exchange(message: str) -> None:
    request = recognise(message)
    assert request is None or request.tool != "request_return"


SERVICES = ("Bike fitting", "Wheel truing")


@pytest.mark.parametrize(
    "message",
    [
        "When's the earliest bike fitting you can do?",
        "Is a wheel truing available this week?",
        "Do you have anything free on Thursday?",
        "¿Cuándo es el próximo hueco libre?",
        "Wann ist der nächste freie Termin?",
        "Quelle est la prochaine disponibilité pour un fitting ?",
        "Which times are still free on Saturday?",
        "Welche Zeiten sind am Samstag noch frei?",
        "Quali orari sono liberi per una prova?",
    ],
)
def test_a_question_of_what_is_free_asks_for_the_free_slots(message: str) -> None:
    request = recognise(message, SERVICES)
    assert request is not None and request.tool == "list_free_slots"


@pytest.mark.parametrize(
    "message",
    [
        "Is the bike shop open next Saturday?",  # "next" a day: opening hours
        "Is the carbon frame available in black?",  # a product's stock
        "When is the next delivery to Lisbon?",
    ],
)
def test_a_question_about_hours_or_stock_is_not_about_free_slots(message: str) -> None:
    request = recognise(message, SERVICES)
    assert request is None or request.tool != "list_free_slots"


def test_a_booking_named_by_its_service_or_its_day_is_cancelled_or_moved() -> None:
    # The shop calls it a fitting, not an appointment; or only the booking's day is named.
    cancel = recognise("Please cancel my bike fitting on Friday, I'm away.", SERVICES)
    assert cancel is not None and cancel.tool == "cancel_appointment"
    moved = recognise("Können wir das vom Montag auf Mittwoch verschieben?", names_booking=True)
    assert moved is not None and moved.tool == "move_appointment"
    assert recognise("Können wir das vom Montag auf Mittwoch verschieben?") is None


@pytest.mark.parametrize(
    "message",
    [
        "Could my bike fitting be two hours earlier?",
        "Kann meine Anpassung eine Woche später sein? Der Termin am Montag.",
        "Mi appuntamento di giovedì, un'ora più tardi?",
        "Can I have my fitting on Tuesday instead?",
        "¿Podéis pasar mi cita al viernes?",
    ],
)
def test_a_booking_shifted_or_wanted_instead_on_another_day_is_moved(message: str) -> None:
    request = recognise(message, SERVICES)
    assert request is not None and request.tool == "move_appointment"


def test_booking_another_instead_is_a_booking() -> None:
    request = recognise("Can I book a fitting on Tuesday instead?", SERVICES)
    assert request is not None and request.tool == "book_appointment"


def test_a_service_sharing_a_word_with_an_ordered_product_leaves_the_order_request() -> None:
    # "Violin lesson" is booked; the violin of order V-12 is what is sent back.
    request = recognise(
        "I want to send the violin back, order V-12", ("Violin lesson", "Bow rehair")
    )
    assert request is not None and request.tool == "request_return"
    swap = recognise("Could I swap the violin of order V-12 for a 3/4?", ("Violin lesson",))
    assert swap is not None and swap.arguments["kind"] == "exchange"


@pytest.mark.parametrize(
    "message",
    [
        "When is my appointment?",
        "What day is our fitting again?",
        "Remind me, which day did we book the fitting for?",
        "Hoe laat was mijn afspraak ook alweer?",
        "¿Qué día era mi cita?",
        "Wann ist mein Termin?",
        "Quand est mon rendez-vous ?",
        "A que horas é a minha marcação?",
        "Che giorno è il mio appuntamento?",
        "Kiedy jest moja wizyta?",
    ],
)
def test_a_question_of_when_their_own_booking_is_asks_for_it(message: str) -> None:
    request = recognise(message, SERVICES)
    assert request is not None and request.tool == "my_appointments"


def test_their_own_booking_named_by_no_appointment_word_is_theirs_when_they_hold_one() -> None:
    # "les", "clase": what the customer calls it, not a word of the shop's services.
    for message in ("Hoe laat was mijn les ook alweer?", "¿Qué día era mi clase de torno?"):
        assert recognise(message, SERVICES) is None
        request = recognise(message, SERVICES, holds_booking=True)
        assert request is not None and request.tool == "my_appointments"


@pytest.mark.parametrize(
    "message",
    [
        "When can my dog come in for a fitting?",  # what is free
        "When is my order E-1001 arriving?",  # an order
        "When do you open? My appointment is soon and I want to park.",  # another sentence
        "What time do you close on Saturday?",
    ],
)
def test_a_question_of_when_that_is_not_about_their_booking_is_not(message: str) -> None:
    request = recognise(message, SERVICES, holds_booking=True)
    assert request is None or request.tool != "my_appointments"
