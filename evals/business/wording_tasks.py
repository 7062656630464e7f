"""Appointments as the customer reads them (branch `confirm12`): a proposed booking, move or
cancellation names the service and the time (the weekday written out in the customer's
language, and the hour), and a customer who asks when their own appointment is ("which day did
we book the shoot for?") is told, once verified. No reply may show a slot's or a booking's
database id (the harness fails any task whose replies do). Written before the agent was changed
for them, in the music shop, the plant nursery, the ceramics studio and the photo studio, in
wordings the other sets do not use. The placeholders are the shops' own
(``evals.business.seeding``): ``{later_wd_de}`` a slot's weekday in German, ``{later_h}`` its
hour, ``{planting1_pl}`` its day and time as a customer writing Polish puts it."""

from __future__ import annotations

from evals.business import Task
from evals.business.booking_tasks import appointments

MUSIC = appointments(
    Task(
        "own-lesson-time-nl",
        "pieter",
        "ask when their own lesson is, then verify, in Dutch",
        ("Hoe laat was mijn les ook alweer? Ik ben het vergeten.", "pieter.claes@example.be"),
        says=("{later_wd_nl}", "{later_h}:00"),
        language="nl",
    ),
    Task(
        "pt-book-names-time",
        "beatriz",
        "book a lesson; the question and the booking name the day and the hour, in Portuguese",
        ("Olá, dava-me jeito uma aula de guitarra no dia {free3_dom} às {free3_h}h.", "sim"),
        bookings={"free3": 1},
        says=("{free3_wd_pt}", "{free3_h}:00", "lesson"),
        language="pt",
    ),
)

NURSERY = appointments(
    Task(
        "de-own-consultation-day",
        "jonas",
        "ask which day their consultation is, verifying in the same message, in German",
        ("Wann genau kommt ihr zur Gartenberatung? Meine Adresse: jonas.becker@example.de",),
        says=("{later_wd_de}", "{later_h}:00"),
        language="de",
    ),
    Task(
        "openings-take-third",
        "emily",
        "ask for openings of a consultation, take the third one offered",
        ("Any openings for a garden consultation?", "I'll go for the third.", "yes"),
        bookings={"free2": 1},
        says=("Garden consultation", "{free2_wd_en}"),
    ),
    Task(
        "pl-book-planting-names-time",
        "agnieszka",
        "book a planting visit by its day; the question names the service and the day, in Polish",
        ("Dzień dobry, chciałabym umówić wizytę sadzenia: {planting1_pl}.", "tak"),
        bookings={"planting1": 1},
        says=("Planting visit", "{planting1_wd_pl}"),
        language="pl",
    ),
)

CERAMICS = appointments(
    Task(
        "es-own-lesson-day",
        "mateo",
        "ask which day their wheel lesson was, then verify, in Spanish",
        ("¿Qué día era mi clase de torno? No lo encuentro.", "mateo.fernandez@example.es"),
        says=("{lesson_wd_es}", "{lesson_h}:00"),
        language="es",
    ),
    Task(
        "it-cancel-names-day",
        "giulia",
        "cancel the taster class; the question names its weekday in Italian",
        ("giulia.rossi@example.it - purtroppo devo disdire la mia lezione di prova", "sì"),
        bookings={"slot_later": 0},
        says=("{later_wd_it}",),
        language="it",
    ),
)

PHOTO = appointments(
    Task(
        "own-shoot-day",
        "daan",
        "ask which day the family shoot was booked for, then verify",
        ("Remind me, which day did we book the shoot for?", "daan.devries@example.nl"),
        says=("{family_wd_en}", "{family_h}:00"),
    ),
    Task(
        "move-day-later-names-service",
        "priya",
        "move the passport photos a day later; the question names the service and the new day",
        ("Could we do my passport photos a day later instead?", "yes"),
        bookings={"passfree2": 1, "slot_passport": 0},
        says=("Passport photos", "{passfree2_wd_en}"),
    ),
)
