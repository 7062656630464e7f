from __future__ import annotations

from datetime import date

import pytest

from tests.studio.knowledge.documents import faq_bytes, pdf_bytes
from townsquare.errors import InvalidInput
from townsquare.studio.knowledge.extract import (
    MAX_FILE_BYTES,
    Section,
    check_upload,
    extract,
    file_format,
)


def test_plain_text_is_one_section_with_spacing_tidied() -> None:
    data = "\ufeffOpening   hours:\r\n\r\n\r\n\r\nnine  to five.".encode()
    assert extract("hours.txt", data) == [Section("Opening hours:\n\nnine to five.")]


def test_utf16_with_a_bom_is_read() -> None:
    assert extract("notes.txt", "Crème brûlée".encode("utf-16"))[0].text == "Crème brûlée"


def test_markdown_splits_on_headings_and_drops_markup() -> None:
    data = b"""Intro line.

# Shipping
We ship **within 3 days** via [Royal Mail](https://example.com).

## Returns ##
Send it back within `30` days.
"""
    assert extract("faq.md", data) == [
        Section("Intro line.", ""),
        Section("We ship within 3 days via Royal Mail.", "Shipping"),
        Section("Send it back within 30 days.", "Returns"),
    ]


def test_html_keeps_visible_text_under_its_headings() -> None:
    data = b"""<html><head><title>Bakery</title><style>p {color: red}</style></head>
    <body><nav>Home | Shop</nav><p>Fresh bread daily.</p>
    <h2>Opening <em>hours</em></h2><p>From 7am.</p><script>track()</script>
    <h3>Allergens</h3><ul><li>Gluten</li><li>Nuts</li></ul></body></html>"""
    sections = extract("page.html", data)
    assert [(s.locator, s.text) for s in sections] == [
        ("Bakery", "Fresh bread daily."),
        ("Opening hours", "From 7am."),
        ("Allergens", "- Gluten\n- Nuts"),
    ]


def test_pdf_gives_one_section_per_page() -> None:
    data = pdf_bytes(["The kiln fires at 1200 degrees.", "", "Glazes are lead free."])
    sections = extract("manual.pdf", data)
    assert [s.locator for s in sections] == ["page 1", "page 3"]  # the blank page is dropped
    assert "1200 degrees" in sections[0].text and "lead free" in sections[1].text


def test_a_pdf_encrypted_with_an_empty_password_opens() -> None:
    data = pdf_bytes(["Open to all."], user_password="")
    assert extract("open.pdf", data)[0].text == "Open to all."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pdf_bytes(["secret"], user_password="hunter2"), "password-protected"),
        (b"%PDF-1.4 this is not really a pdf", "could not be read as a PDF"),
        (pdf_bytes(["", ""]), "no extractable text"),
    ],
)
def test_unreadable_pdfs_say_why(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as error:
        extract("bad.pdf", data)
    assert str(error.value).startswith("bad.pdf")


def test_faq_json_gives_one_whole_section_per_question() -> None:
    pairs = [("Do you ship abroad?", "Yes, to the EU."), ("Is it vegan?", "All but the brioche.")]
    for data in (faq_bytes(pairs), faq_bytes(pairs, wrapped=True)):
        assert extract("faq.json", data) == [
            Section("Do you ship abroad?\nYes, to the EU.", "Do you ship abroad?", keep_whole=True),
            Section("Is it vegan?\nAll but the brioche.", "Is it vegan?", keep_whole=True),
        ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"questions": []}', "a list of"),
        (b'[{"question": "Why?"}]', "FAQ item 1 has no 'answer'"),
        (b'[{"question": "Why?", "answer": "Because."}, 3]', "FAQ item 2 is not an object"),
    ],
)
def test_malformed_faq_json_names_the_problem(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        extract("faq.json", data)


def test_catalog_rows_become_one_statement_named_by_their_name_column() -> None:
    data = b"SKU,Name,Price,Notes\nA1,Sourdough loaf,4.50,\nB2,,2.00,day old,extra\n,,,\n"
    assert extract("catalog.csv", data) == [
        Section("Sourdough loaf: SKU A1; Price 4.50.", "Sourdough loaf", keep_whole=True),
        Section("SKU B2; Price 2.00; Notes day old; more extra.", "row 2", keep_whole=True),
    ]


def test_a_catalog_row_reads_as_a_sentence_with_its_currency_and_long_columns_last() -> None:
    data = (
        b"name,description,price_gbp,duration,level\n"
        b"Wheel-throwing taster,Learn to centre clay. Then throw two small pots to take home,"
        b"45,2 hours,beginners\n"
    )
    [row] = extract("courses.csv", data)
    assert row.text == (
        "Wheel-throwing taster: price £45; duration 2 hours; level beginners; description Learn"
        " to centre clay. Then throw two small pots to take home."
    )
    assert row.locator == "Wheel-throwing taster"


def test_a_semicolon_catalog_is_sniffed() -> None:
    sections = extract("catalog.csv", b"title;price\nRye;3\nSpelt;4\n")
    assert [(s.locator, s.text) for s in sections] == [
        ("Rye", "Rye: price 3."),
        ("Spelt", "Spelt: price 4."),
    ]


def test_a_catalog_without_a_header_is_refused() -> None:
    with pytest.raises(InvalidInput, match="needs a header row"):
        extract("catalog.csv", b"\n\n")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("slides.pptx", b"PK...", "'.pptx' is not supported; upload .txt, .md"),
        ("README", b"hello", "a file without an extension is not supported"),
        ("empty.txt", b"", "empty.txt is empty"),
        ("latin1.txt", "café".encode("latin-1"), r"not UTF-8 text \(byte 0xe9 at position 3\)"),
        ("binary.txt", b"ab\x00cd", "looks like a binary file"),
        ("blank.md", b"   \n\n  ", "blank.md has no text to learn from"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(name: str, data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        extract(name, data)


def test_size_cap() -> None:
    with pytest.raises(InvalidInput, match=r"50.0 MiB; the limit is 50 MiB"):
        check_upload("huge.txt", b"x" * (MAX_FILE_BYTES + 1))


def test_a_pdf_without_an_extension_is_recognised_by_its_bytes() -> None:
    assert file_format("blob", b"%PDF-1.7 ...") == ("pdf", "application/pdf")
    assert file_format("Notes.MD") == ("markdown", "text/markdown")


def test_locators_are_cut_to_the_column_width() -> None:
    data = faq_bytes([("Why " * 60, "Because.")])
    assert len(extract("faq.json", data)[0].locator) == 120


def test_html_keeps_inline_elements_in_their_sentence_and_tables_become_rows() -> None:
    data = b"""<html><body><h2>Awards</h2><p>The jug won the <strong>Gold Award</strong>
    at <a href="/x">Craft Week</a>.</p>
    <h2>Postage</h2><table><tr><th>Zone</th><th>Small parcel</th><th>Large</th></tr>
    <tr><td>UK</td><td>\xc2\xa34.50</td><td>\xc2\xa39</td></tr>
    <tr><td>Europe</td><td>\xc2\xa311</td><td>\xc2\xa320</td></tr></table>
    <p>What to bring:</p><ul><li>an apron</li><li>old shoes</li></ul></body></html>"""
    sections = extract("page.html", data)
    assert [(s.locator, s.text) for s in sections] == [
        ("Awards", "The jug won the Gold Award at Craft Week."),
        (
            "Postage",
            "UK: Small parcel \xa34.50; Large \xa39.\nEurope: Small parcel \xa311; Large \xa320."
            "\nWhat to bring:\n- an apron\n- old shoes",
        ),
    ]


def test_a_files_updated_line_dates_every_section() -> None:
    data = b"# Prices\nLast updated: 5 March 2026\n\nMugs \xc2\xa318.\n\n# Glazes\nAll food safe."
    assert [s.dated for s in extract("prices.md", data)] == [date(2026, 3, 5)] * 2


def test_a_catalog_is_dated_only_by_a_dating_column_not_by_its_event_dates() -> None:
    data = b"name,next_date,updated\nTaster,2026-06-27,2026-01-10\nCourse,2026-07-01,\n"
    assert [s.dated for s in extract("classes.csv", data)] == [date(2026, 1, 10), None]


def test_a_post_dated_without_a_year_is_dated_before_its_upload() -> None:
    data = b"Posted on Tue 4 Nov\n\n# New class: Fix-a-Flat\n\nNow \xc2\xa325."
    uploaded = date(2026, 5, 20)
    assert {s.dated for s in extract("fix.md", data, uploaded=uploaded)} == {date(2025, 11, 4)}
    assert {s.dated for s in extract("fix.md", data)} == {None}  # no upload date: no year


def test_an_undated_catalog_stays_undated_and_its_updated_line_dates_it() -> None:
    rows = b"item,price\nWheel taster,45\n"
    assert [s.dated for s in extract("catalog.csv", rows, uploaded=date(2026, 5, 20))] == [None]
    notes = b"Prices\nUpdated 3 March\nWheel taster 45 euros."
    assert [s.dated for s in extract("prices.txt", notes, uploaded=date(2026, 5, 20))] == [
        date(2026, 3, 3)
    ]
