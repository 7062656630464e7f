"""The business agent's fixed texts in English."""

from __future__ import annotations

from townsquare.studio.business.phrases.texts import Text

TEXTS: dict[Text, str] = {
    "introduction": "Hi, I'm {name}, the automated assistant of {business}. ",
    "fallback": "Sorry, I didn't catch that. I can search our catalog, check your orders,"
    " book appointments, or pass you to a person from the team.",
    "verified": "Thanks {name}, you're verified.",
    "already_verified": "You're already verified in this conversation.",
    "email_mismatch": "That email does not match our records, so I can't verify you yet.",
    "verify_first": "Before I can help with orders I need to verify you: what is the email"
    " address on your account?",
    "no_customer": "I can't find a customer record for your account with us, so I can't do"
    " that here. I can pass you to a person from the team.",
    "too_many_tries": "That didn't match several times, so I can't verify you here. I can"
    " pass you to a person.",
    "confirm": "Please answer yes to confirm.",
    "declined": "Alright, I won't change anything. Anything else I can help with?",
    "nothing_to_confirm": "There is nothing waiting for your yes right now.",
    "found": "Here is what I found: {lines}.",
    "found_nothing": "I found nothing matching {query!r} in our catalog.",
    "product": "{name} ({sku}) costs {price}.",
    "in_stock": "{count} in stock.",
    "sold_out": "Sold out.",
    "orders": "Your orders: {lines}.",
    "no_orders": "You have no orders with us.",
    "which_order": "Which order do you mean? Your orders: {lines}.",
    "order": "Order {order} is {status}: {items}, {total}.",
    "steps": "It was {steps}.",
    "step": "{step} on {date}",
    "shipped_by": "by {carrier}, tracking {tracking}",
    "confirm_cancel": "Do you want me to cancel order {order} ({total})?",
    "cancelled": "Done: order {order} is cancelled.",
    "confirm_return": "Do you want me to request a return (refund) of order {order}?",
    "confirm_exchange": "Do you want me to request an exchange of order {order}?",
    "return_requested": "Done: your return of order {order} is requested; we'll be in touch.",
    "exchange_requested": "Done: your exchange of order {order} is requested; we'll be in touch.",
    "free_slots": "Free slots: {lines}.",
    "no_slots": "There are no free slots right now.",
    "which_slot": "Which slot would you like? Free slots: {lines}.",
    "not_free_then": "That time is not free.",
    "confirm_book": "Shall I book {service} on {when} for you?",
    "booked": "Booked: {service} on {when}.",
    "confirm_move": "Shall I move your {service} from {was} to {when}?",
    "moved": "Moved: your {service} is now on {when}.",
    "confirm_cancel_booking": "Shall I cancel your {service} on {when}?",
    "booking_cancelled": "Cancelled: your {service} on {when}.",
    "your_bookings": "Your appointments: {lines}.",
    "no_bookings": "You have no upcoming appointments with us.",
    "which_booking": "Which appointment do you mean? Yours: {lines}.",
    "ticket": "I've opened ticket {ticket} for you; the team will follow up.",
    "handed_over": "I'm passing this conversation to a person from our team, who will answer"
    " you here.",
    "cannot": "I'm sorry, I can't do that: {reason}.",
    "cannot_myself": "I'm sorry, I can't do that myself: {reason}.",
    "sorry": "Sorry, {reason}.",
    "no_discounts": "I'm sorry, I can't give discounts or change prices",
    "policy_says": 'our policy says "{rule}"',
    "prices_by_team": "prices are set by the team",
    "no_documents": "I couldn't find that in our documents. I can open a ticket or pass you"
    " to a person from the team.",
    "rule_window": "returns are accepted within {days} days of delivery, and order {order}"
    " was delivered on {date}",
    "rule_sale": "items on sale are not returned or exchanged ({items})",
    "rule_final": '{items} cannot be returned or exchanged: our policy says "{rule}"',
    "rule_owner_returns": "this shop's policy sets no return window, so a person from the team"
    " decides on returning order {order}",
    "rule_unread": "this shop's policy says something about {items} that a person from the team"
    " applies, so they decide on returning order {order}",
    "rule_refund": "refunds above {limit} are decided by a person, and order {order} comes"
    " to {total}",
    "rule_no_exchanges": "this shop does not accept exchanges",
    "rule_not_returnable": "order {order} is {status}; only delivered orders can be returned",
    "rule_not_cancellable": "order {order} is {status}; only pending orders can be cancelled",
    "rule_notice": "appointments can be moved or cancelled up to {hours} hours before they start,"
    " and yours is on {when}",
    "moment": "{day} at {time} {zone}",
    "appointment": "appointment",
    "faq_says": 'Our FAQ says: "{quote}" [1]',
    "quoted_note": "(quoted as written, in {material})",
    "which_product": "Which product do you mean? {lines}.",
    "name_product": "Which product do you mean? Please tell me its name or code.",
    "no_product": "there is no product {sku!r}",
    "no_order": "there is no order {order!r} on your account",
    "no_slot": "that time is not one of ours",
    "slot_past": "{when} is in the past",
    "slot_taken": "{when} is already taken",
    "no_booking": "you have no such appointment",
    "booking_was_cancelled": "that appointment is cancelled",
    "booking_started": "that appointment has already started",
    "booking_in_slot": "your appointment is already on {when}",
}
# Order statuses as the customer reads them (the English names are the statuses themselves).
STATUSES: dict[str, str] = {}
