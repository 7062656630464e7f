"""Appointments as customers write them, in the music shop, the plant nursery and the ceramics
studio (issue 18, branch `shop11`): a service named with a day and a time in words ("next
Saturday at half past two", "le 12 à 14h", "el sábado por la tarde"), a free time picked from the
list by its position or its hour, moves relative to the booking ("an hour later", "the same time
next week", "to Friday instead"), a cancellation with the email in the same message, changes
inside the notice period, a slot somebody else holds, two bookings and "move my appointment",
a service the shop does not offer, and another customer's booking. Written from the shops' data
and policies before the agent was changed for them. The placeholders are the shops' own
(``evals.business.seeding``): ``{free2_wd_es}`` a slot's weekday in Spanish, ``{free3_dom}`` its
day of the month, ``{free3_h}`` its hour, ``{half_ampm}`` its time as "2:30pm"."""

from __future__ import annotations

from dataclasses import replace

from evals.business import Task


def appointments(*tasks: Task) -> tuple[Task, ...]:
    return tuple(replace(task, category="appointments") for task in tasks)


MUSIC = appointments(
    Task(
        "book-half-past",
        "beatriz",
        "book a lesson by weekday and a time in words",
        ("Hi! Could I have a guitar lesson next {half_wd_en} at half past two?", "yes please"),
        bookings={"half": 1},
    ),
    Task(
        "fr-book-day-hour",
        "camille",
        "book a lesson by the day of the month and the hour, in French",
        ("Bonjour, je voudrais réserver un cours de guitare le {free3_dom} à {free3_h}h.", "oui"),
        bookings={"free3": 1},
        language="fr",
    ),
    Task(
        "pick-second",
        "sanne",
        "ask what is free, then take the second time offered",
        ("What times have you got free for a lesson?", "The second one, please.", "yes"),
        bookings={"hour_later": 1, "free1": 0},
    ),
    Task(
        "nl-pick-hour",
        "pieter",
        "ask what is free, then take one by its hour, in Dutch",
        ("Welke tijden zijn er nog vrij voor een les?", "Doe maar die van {free2_h} uur.", "ja"),
        bookings={"free2": 1, "free1": 0},
        language="nl",
    ),
    Task(
        "nl-hour-later",
        "pieter",
        "move the lesson an hour later, in Dutch",
        ("Kan mijn les van {later_wd_nl} een uur later beginnen?", "ja graag"),
        bookings={"slot_later": 0, "hour_later": 1},
        language="nl",
    ),
    Task(
        "same-time-next-week",
        "pieter",
        "move the lesson to the same time next week",
        ("Something came up - could you move my lesson to the same time next week?", "yes"),
        bookings={"slot_later": 0, "week_later": 1},
    ),
    Task(
        "fr-cancel-with-email",
        "camille",
        "cancel the repair drop-off, the email in the same message",
        (
            "Bonjour, c'est camille.lefevre@example.be : pouvez-vous annuler mon dépôt de"
            " réparation du {camille_dom} ? Merci",
            "oui",
        ),
        bookings={"slot_camille": 0},
        language="fr",
    ),
    Task(
        "cancel-inside-notice",
        "hannah",
        "cancel a lesson two days ahead (notice: three days)",
        ("I can't make my lesson on {soon_wd_en} after all, please cancel it.", "yes"),
        bookings={"slot_soon": 1},
        says=("three days|3 days|72 hours",),
    ),
    Task(
        "pt-slot-taken",
        "beatriz",
        "ask for a lesson slot somebody else holds, in Portuguese",
        ("Queria marcar uma aula de guitarra para {later_pt}.", "sim"),
        bookings={"slot_later": 1, "hour_later": 0, "free2": 0, "free1": 0},
        says=("{hour_later_short}|{hour_later_day}|{free2_short}|{free2_day}|11:00|14:00",),
        language="pt",
    ),
    Task(
        "two-bookings-which",
        "pieter",
        "book a second lesson, then ask to move 'my lesson'",
        (
            "Could you book me a lesson on {free3_en} too?",
            "yes",
            "Thanks. Actually, can you move my lesson to {free4_en}?",
        ),
        bookings={"free3": 1, "slot_later": 1, "free4": 0},
        says=("which",),
    ),
    Task(
        "not-offered",
        "sanne",
        "ask to book a service the shop does not offer",
        ("Can I book a piano tuning on {free1_en}?", "yes"),
        bookings={"free1": 0, "repair1": 0},
        says=("lesson|repair",),
    ),
    Task(
        "move-someone-elses",
        "sanne",
        "ask to move another customer's lesson",
        ("Pieter Claes asked me to move his lesson on {later_en} to {free3_en}.", "yes"),
        bookings={"slot_later": 1, "free3": 0},
    ),
)

NURSERY = appointments(
    Task(
        "es-afternoon",
        "lucia",
        "book a consultation on a weekday afternoon, in Spanish",
        ("Quiero reservar una consulta de jardín el {free2_wd_es} por la tarde.", "sí"),
        bookings={"free2": 1, "hour_later": 0},
        language="es",
    ),
    Task(
        "de-hour-later",
        "jonas",
        "move the consultation an hour later, in German",
        ("Könnten wir meine Gartenberatung am {later_wd_de} eine Stunde später machen?", "ja"),
        bookings={"slot_later": 0, "hour_later": 1},
        language="de",
    ),
    Task(
        "pl-book-by-day",
        "agnieszka",
        "book a consultation by its day, in Polish",
        ("Chciałabym umówić konsultację ogrodową na {free3_pl}.", "tak"),
        bookings={"free3": 1},
        language="pl",
    ),
    Task(
        "weekday-instead",
        "jonas",
        "move the consultation to another weekday instead",
        ("Could I have my garden consultation on {free1_wd_en} instead?", "yes"),
        bookings={"slot_later": 0, "free1": 1},
    ),
    Task(
        "es-next-week",
        "lucia",
        "move the planting visit to the same time next week, in Spanish",
        ("¿Podéis pasar mi visita de plantación a la misma hora la semana que viene?", "sí"),
        bookings={"slot_visit": 0, "visit_week": 1},
        language="es",
    ),
    Task(
        "move-inside-notice-by-weekday",
        "oliver",
        "move the consultation tomorrow-ish to a weekday (notice: two days)",
        ("Could you push my consultation back to {free1_wd_en}?", "yes"),
        bookings={"slot_soon": 1, "free1": 0},
        says=("two full days|two days|2 days|48 hours",),
    ),
    Task(
        "de-cancel-with-email",
        "jonas",
        "cancel the consultation, the email in the same message, in German",
        (
            "Hallo, jonas.becker@example.de hier. Bitte stornieren Sie meine Gartenberatung am"
            " {later_wd_de}.",
            "ja",
        ),
        bookings={"slot_later": 0},
        language="de",
    ),
    Task(
        "es-pick-second",
        "lucia",
        "ask what is free, then take the second time offered, in Spanish",
        ("¿Qué horas tenéis libres para una consulta de jardín?", "La segunda, por favor.", "sí"),
        bookings={"hour_later": 1, "free1": 0},
        language="es",
    ),
)

CERAMICS = appointments(
    Task(
        "it-book-weekday-hour",
        "giulia",
        "book a taster class by weekday and hour, in Italian",
        ("Vorrei prenotare un corso di prova {free4_wd_it} alle {free4_h}.", "sì"),
        bookings={"free4": 1},
        language="it",
    ),
    Task(
        "fr-lesson-taken",
        "elise",
        "ask for a private lesson at a time somebody else holds, in French",
        ("Je voudrais réserver un cours particulier au tour le {lesson_dom} à {lesson_h}h.", "oui"),
        bookings={"slot_lesson": 1, "lesson1": 0},
        says=("{lesson1_short}|{lesson1_day}|09:00",),
        language="fr",
    ),
    Task(
        "cancel-inside-notice-with-email",
        "fiona",
        "cancel a class three days ahead with the email (notice: four clear days)",
        (
            "fiona.walsh@example.co.uk - please cancel my taster class on {soon_wd_en}, something"
            " has come up.",
            "yes",
        ),
        bookings={"slot_soon": 1},
        says=("four clear days|four days|4 days|96 hours",),
    ),
    Task(
        "move-a-friends",
        "arjun",
        "ask to move another customer's class",
        ("Can you move Giulia Rossi's taster class to {free3_en}? She's my friend.", "yes"),
        bookings={"slot_later": 1, "free3": 0},
    ),
)
