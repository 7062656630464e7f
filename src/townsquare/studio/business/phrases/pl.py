"""The business agent's fixed texts in Polish (worded so that no form depends on the
customer's gender)."""

from __future__ import annotations

from townsquare.studio.business.phrases.texts import Text

TEXTS: dict[Text, str] = {
    "introduction": "Dzień dobry, tu {name}, automatyczny asystent {business}. ",
    "fallback": "Przepraszam, nie zrozumiałem. Mogę przeszukać nasz katalog, sprawdzić"
    " zamówienia, umówić wizytę albo przekazać rozmowę osobie z zespołu.",
    "verified": "Dziękuję, {name}, weryfikacja zakończona.",
    "already_verified": "Weryfikacja w tej rozmowie jest już zakończona.",
    "email_mismatch": "Ten adres e-mail nie zgadza się z naszymi danymi, więc nie mogę"
    " jeszcze przeprowadzić weryfikacji.",
    "verify_first": "Zanim pomogę w sprawie zamówień, muszę przeprowadzić weryfikację: jaki"
    " adres e-mail jest przypisany do konta?",
    "no_customer": "Nie znajduję karty klienta dla tego konta, więc nie mogę tego tu zrobić."
    " Mogę przekazać rozmowę osobie z zespołu.",
    "too_many_tries": "Dane kilka razy się nie zgodziły, więc nie mogę tu przeprowadzić"
    " weryfikacji. Mogę przekazać rozmowę osobie z zespołu.",
    "confirm": "Proszę odpowiedzieć tak, aby potwierdzić.",
    "declined": "Dobrze, niczego nie zmieniam. Czy mogę pomóc w czymś jeszcze?",
    "nothing_to_confirm": "W tej chwili nic nie czeka na potwierdzenie.",
    "found": "Oto, co znalazłem: {lines}.",
    "found_nothing": "Nie znalazłem niczego dla {query!r} w naszym katalogu.",
    "product": "{name} ({sku}) kosztuje {price}.",
    "in_stock": "W magazynie: {count}.",
    "sold_out": "Wyprzedane.",
    "orders": "Zamówienia: {lines}.",
    "no_orders": "Brak zamówień u nas.",
    "which_order": "O które zamówienie chodzi? Zamówienia: {lines}.",
    "order": "Zamówienie {order}: {status}; {items}, {total}.",
    "steps": "Historia: {steps}.",
    "step": "{step} {date}",
    "shipped_by": "przez {carrier}, numer przesyłki {tracking}",
    "confirm_cancel": "Czy mam anulować zamówienie {order} ({total})?",
    "cancelled": "Gotowe: zamówienie {order} zostało anulowane.",
    "confirm_return": "Czy mam zgłosić zwrot (zwrot pieniędzy) zamówienia {order}?",
    "confirm_exchange": "Czy mam zgłosić wymianę zamówienia {order}?",
    "return_requested": "Gotowe: zwrot zamówienia {order} został zgłoszony; odezwiemy się.",
    "exchange_requested": "Gotowe: wymiana zamówienia {order} została zgłoszona; odezwiemy się.",
    "free_slots": "Wolne terminy: {lines}.",
    "no_slots": "W tej chwili nie ma wolnych terminów.",
    "which_slot": "Który termin wybrać? Wolne terminy: {lines}.",
    "not_free_then": "Ten termin jest zajęty.",
    "confirm_book": "Czy mam zarezerwować wizytę ({service}), {when}?",
    "booked": "Zarezerwowano: wizyta ({service}), {when}.",
    "confirm_move": "Czy mam przenieść wizytę ({service}, {was}) na termin {when}?",
    "moved": "Przeniesiono: wizyta ({service}) jest teraz w terminie {when}.",
    "confirm_cancel_booking": "Czy mam odwołać wizytę ({service}, {when})?",
    "booking_cancelled": "Odwołano: wizyta ({service}, {when}).",
    "your_bookings": "Umówione wizyty: {lines}.",
    "no_bookings": "Brak nadchodzących wizyt u nas.",
    "which_booking": "O którą wizytę chodzi? Wizyty: {lines}.",
    "ticket": "Otworzyłem zgłoszenie {ticket}; zespół się odezwie.",
    "handed_over": "Przekazuję tę rozmowę osobie z naszego zespołu, która odpowie tutaj.",
    "cannot": "Przykro mi, nie mogę tego zrobić: {reason}.",
    "cannot_myself": "Przykro mi, nie mogę tego zrobić sam: {reason}.",
    "sorry": "Przepraszam, {reason}.",
    "no_discounts": "Przykro mi, nie mogę udzielać rabatów ani zmieniać cen",
    "policy_says": 'nasz regulamin mówi "{rule}"',
    "prices_by_team": "ceny ustala zespół",
    "no_documents": "Nie znalazłem tego w naszych dokumentach. Mogę otworzyć zgłoszenie albo"
    " przekazać rozmowę osobie z zespołu.",
    "rule_window": "zwroty są przyjmowane do {days} dni od dostawy, a zamówienie {order}"
    " dostarczono {date}",
    "rule_sale": "towarów z wyprzedaży nie można zwrócić ani wymienić ({items})",
    "rule_final": '{items} nie podlega zwrotowi ani wymianie: nasz regulamin mówi "{rule}"',
    "rule_owner_returns": "zasady tego sklepu nie określają terminu zwrotu, więc o zwrocie"
    " zamówienia {order} decyduje osoba z zespołu",
    "rule_unread": "zasady tego sklepu mają regułę dotyczącą {items}, którą stosuje osoba z"
    " zespołu, więc to ona decyduje o zwrocie zamówienia {order}",
    "rule_refund": "o zwrotach powyżej {limit} decyduje człowiek, a zamówienie {order}"
    " wynosi {total}",
    "rule_no_exchanges": "ten sklep nie przyjmuje wymian",
    "rule_not_returnable": "zamówienie {order}: {status}; zwrócić można tylko dostarczone"
    " zamówienia",
    "rule_not_cancellable": "zamówienie {order}: {status}; anulować można tylko oczekujące"
    " zamówienia",
    "rule_notice": "wizyty można przenieść lub odwołać najpóźniej {hours} godzin przed"
    " rozpoczęciem, a ta wizyta jest w terminie {when}",
    "moment": "{day} o {time} {zone}",
    "appointment": "wizyta",
    "faq_says": "Nasze najczęstsze pytania mówią: „{quote}” [1]",
    "quoted_note": "(cytat w oryginale, język: {material})",
    "which_product": "O który produkt chodzi? {lines}.",
    "name_product": "O który produkt chodzi? Proszę podać jego nazwę lub kod.",
    "no_product": "nie ma produktu {sku!r}",
    "no_order": "na tym koncie nie ma zamówienia {order!r}",
    "no_slot": "nie ma takiego terminu",
    "slot_past": "termin {when} już minął",
    "slot_taken": "termin {when} jest już zajęty",
    "no_booking": "nie ma takiej wizyty",
    "booking_was_cancelled": "ta wizyta jest odwołana",
    "booking_started": "ta wizyta już się zaczęła",
    "booking_in_slot": "wizyta jest już w terminie {when}",
}
# Order statuses as the customer reads them (after "zamówienie X:").
STATUSES: dict[str, str] = {
    "pending": "oczekujące",
    "paid": "opłacone",
    "shipped": "wysłane",
    "delivered": "dostarczone",
    "returned": "zwrócone",
    "refunded": "zwrot pieniędzy wykonany",
    "cancelled": "anulowane",
    "return_requested": "zgłoszony zwrot",
    "exchange_requested": "zgłoszona wymiana",
}
