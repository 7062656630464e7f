"""Hard limits read from a business's plain-text policy."""

from __future__ import annotations

import pytest

from townsquare.studio.business.policy import parse_policy


def test_the_limits_are_read_from_the_text() -> None:
    policy = parse_policy(
        "We accept returns within 30 days of delivery. Refunds over $49.99 are decided by a"
        " person. No exchanges on sale items.\nNever promise delivery dates. Do not give discounts."
    )
    assert policy.return_window_days == 30
    assert policy.refund_max_cents == 4999
    assert policy.exchanges is False
    assert policy.forbidden == ("Never promise delivery dates", "Do not give discounts")


@pytest.mark.parametrize("text", ["", "Be nice to everyone."])
def test_without_limits_none_is_invented(text: str) -> None:
    policy = parse_policy(text)
    assert (policy.return_window_days, policy.notice_hours, policy.final_words) == (None, None, ())
    assert (policy.refund_max_cents, policy.exchanges, policy.forbidden) == (None, True, ())


def test_every_sentence_is_a_limit_or_listed_as_not_enforced() -> None:
    policy = parse_policy(
        "Prints can be returned within 14 days. Other returns within 30 days of delivery.\n"
        "Sale items are final. Appointments can be moved or cancelled with 24 hours' notice."
        " Never promise delivery dates. We love dogs! Only pending orders can be cancelled."
    )
    assert [(s.text, s.limit) for s in policy.sentences] == [
        (
            "Prints can be returned within 14 days.",
            "items named 'print' are returned within 14 days",
        ),
        ("Other returns within 30 days of delivery.", "returns within 30 days of delivery"),
        ("Sale items are final.", "items named sale are never returned or exchanged"),
        (
            "Appointments can be moved or cancelled with 24 hours' notice.",
            "appointments change at least 24 hours before they start",
        ),
        ("Never promise delivery dates.", None),
        ("We love dogs!", None),
        ("Only pending orders can be cancelled.", "only pending orders are cancelled"),
    ]
    assert policy.not_enforced == ("Never promise delivery dates.", "We love dogs!")
    assert (policy.category_windows, policy.return_window_days) == ((("print", 14),), 30)
    assert policy.final_words == ("sale",) and policy.notice_hours == 24
    assert policy.forbidden == ("Never promise delivery dates",)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("Please reschedule at least 2 days before your session.", 48),
        ("Classes can be cancelled up to 12 hours in advance.", 12),
        ("Delivery takes 48 hours.", None),  # a duration, not about appointments
    ],
)
def test_notice_periods_are_read_from_sentences_about_appointments(
    text: str, hours: int | None
) -> None:
    assert parse_policy(text).notice_hours == hours


def test_a_never_rule_the_code_keeps_is_enforced() -> None:
    policy = parse_policy("Never give discounts. Never share another customer's details.")
    assert policy.not_enforced == ()
    assert policy.rule_about("discount") == "Never give discounts."


def test_a_policy_in_everyday_words_is_read() -> None:
    policy = parse_policy(
        "Send it back unused and we'll refund you, provided it's no more than 21 days since it"
        " was delivered. We'll gladly swap it for another size in that same period. If a refund"
        " comes to more than 80 euros I decide it myself. You can cancel an order while it is"
        " still unpaid."
    )
    assert (policy.return_window_days, policy.refund_max_cents, policy.exchanges) == (
        21,
        8000,
        True,
    )
    assert [s.limit for s in policy.sentences] == [
        "returns within 21 days of delivery",
        "exchanges within the return window",
        "refunds above 80 go to a person",
        "only pending orders are cancelled",
    ]
    assert policy.not_enforced == ()


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Customers get a full twenty-one days after delivery to bring things back.", 21),
        ("Returns: you have two weeks from the day the parcel lands.", 14),
        ("Unworn shoes may be exchanged up to forty five days after purchase.", 45),
        ("Les retours sont acceptés dans un délai de trente jours. Returns within 30 days.", 30),
    ],
)
def test_a_return_window_in_words_is_read(text: str, days: int) -> None:
    assert parse_policy(text).return_window_days == days


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("Treatments can be cancelled or moved with a day's notice.", 24),
        ("Visits may be rescheduled no later than two days before.", 48),
        ("Workshops: call off at least one week ahead, please.", 168),
        ("Parcels leave three days ahead of the delivery date.", None),  # not an appointment
        ("Classes can be called off up to six hours in advance.", 6),
        ("Fittings can be moved if you tell us at least two full days before.", 48),
        ("Sessions move with 36 clear hours' notice.", 36),
    ],
)
def test_a_notice_period_in_words_is_read(text: str, hours: int | None) -> None:
    assert parse_policy(text).notice_hours == hours


def test_a_refund_limit_is_read_wherever_the_money_is_named() -> None:
    policy = parse_policy(
        "Whenever the money paid back would be over £75.50, my partner signs it off."
        " Refunds are never given over 90 days after delivery."
    )
    assert policy.refund_max_cents == 7550
    assert [s.limit for s in policy.sentences] == [
        "refunds above 75 go to a person",
        "returns within 90 days of delivery",  # days, not an amount
    ]


@pytest.mark.parametrize(
    "text",
    [
        "A refund bigger than 60 euros waits for my own yes.",
        "Refunds larger than €60 are checked by the owner.",
        "If the money back is higher than 60 dollars, I decide.",
    ],
)
def test_a_refund_limit_is_read_from_any_comparison(text: str) -> None:
    assert parse_policy(text).refund_max_cents == 6000


def test_items_sold_as_seen_are_final_by_their_own_words() -> None:
    policy = parse_policy(
        "Refurbished and second-hand cameras are sold as is, so we won't take them back."
        " No returns on Clearance lenses."
    )
    assert policy.final_words == ("refurbished", "second-hand", "clearance")
    assert [s.limit for s in policy.sentences] == [
        "items named refurbished / second-hand are never returned or exchanged",
        "items named clearance are never returned or exchanged",
    ]
    assert policy.final_sale("Second hand tripod")
    assert policy.final_sale("Zoom lens Reduced: end of line.")  # a word for a sale
    assert not policy.final_sale("New tripod Aluminium legs.")
    assert not policy.final_sale("Camera lens")  # named by the kind alone


def test_a_sentence_about_returns_without_items_makes_nothing_final() -> None:
    policy = parse_policy("Returns are final once the refund is paid. No returns after 60 days.")
    assert policy.final_words == ()
    assert policy.return_window_days is None


def test_a_sale_named_in_passing_names_only_the_sale() -> None:
    policy = parse_policy("Anything you bought in the outlet is final sale: we can't take it back.")
    assert policy.final_words == ("outlet",)
    assert policy.final_sale("Mug Outlet: a glaze flaw.")
    assert not policy.final_sale("Mug Bought by many; anything goes.")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Unhappy with it? Post it back to us within one fortnight of delivery.", 14),
        ("Returns are accepted up to two fortnights after the delivery.", 28),
        ("Les retours sont acceptés sous quinze jours après la livraison.", 14),  # everyday 2 weeks
        ("Les retours sont acceptés sous 15 jours après la livraison.", 15),  # digits as written
        ("Devoluciones dentro de dos semanas desde la entrega.", 14),
        ("Resi entro quindici giorni dalla consegna.", 14),
        ("Rückgaben innerhalb von zwei Wochen nach der Lieferung.", 14),
        ("Retourneren kan binnen twee weken na levering.", 14),
        ("Devoluções até quinze dias após a entrega.", 14),
        ("Les retours sont acceptés dans un délai de trente jours.", 30),
    ],
)
def test_weeks_and_fortnights_in_any_number_language_are_day_counts(text: str, days: int) -> None:
    assert parse_policy(text).return_window_days == days


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("Need to reschedule a fitting? Let us know three full days in advance.", 72),
        ("Want to drop a workshop? Warn us two clear days beforehand, please.", 48),
        ("Sessions: tell us a fortnight before if you cannot come.", 336),
        ("Stornierungen von Terminen bitte mindestens zwei volle Tage vorher.", 48),
        ("Las clases se cancelan con dos días completos de antelación.", 48),
        ("Le lezioni si spostano con quattro giorni interi di preavviso.", 96),
        ("Afspraken verzetten kan tot een week van tevoren.", 168),
        ("Pour déplacer un cours, prévenez-nous 48 heures à l'avance.", 48),
    ],
)
def test_a_notice_period_in_any_wording_is_read(text: str, hours: int) -> None:
    assert parse_policy(text).notice_hours == hours


def test_a_notice_period_names_its_appointments_in_the_sentence_before() -> None:
    policy = parse_policy("Can't make your lesson? Tell us five clear days beforehand.")
    assert policy.notice_hours == 120
    assert [s.limit for s in policy.sentences] == [
        None,
        "appointments change at least 120 hours before they start",
    ]


def test_a_notice_about_goods_after_an_appointment_sentence_is_not_a_notice() -> None:
    policy = parse_policy("Book a class any time. Parcels leave three days ahead of delivery.")
    assert policy.notice_hours is None


def test_a_swap_and_a_refund_limit_with_an_article_are_read() -> None:
    policy = parse_policy(
        "Send it back within 10 days of delivery. Swapping for another colour is fine inside"
        " those ten days. If a refund is more than a hundred and fifty pounds, I decide."
    )
    assert [s.limit for s in policy.sentences] == [
        "returns within 10 days of delivery",
        "exchanges within the return window",
        "refunds above 150 go to a person",
    ]
    assert policy.refund_max_cents == 15_000


def test_rules_the_tools_always_keep_are_read_in_everyday_words() -> None:
    policy = parse_policy(
        "Orders can be cancelled until you've paid; after that they are packed."
        " Your bookings and orders are no one else's business."
    )
    assert [s.limit for s in policy.sentences] == [
        "only pending orders are cancelled",
        "a customer only ever reaches their own orders and bookings",
    ]
