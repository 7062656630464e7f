"""The creator evaluation format: loading and checking a set, and the development set's shape."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from evals.creator import (
    ANSWERABLE,
    DEFAULT_AVOID_REPLY,
    CreatorSet,
    load_set,
    parse_agent,
    parse_question,
)
from evals.creator.baker import FAQ_FILE, baker_set
from evals.creator.scoring import mentions
from tests.utils.creator_sets import AGENT, question, write_creator_set
from townsquare.studio.knowledge.dates import source_date


def test_a_written_set_loads_with_its_files_agent_and_questions(tmp_path: Path) -> None:
    write_creator_set(tmp_path)
    loaded = load_set("tiny", tmp_path)
    assert sorted(loaded.files) == ["faq.json", "wheel-class.md"]
    assert loaded.agent.today == date(2026, 5, 20)
    assert loaded.agent.owner_handle == "jo_potter"
    assert loaded.agent.spec()["avoid_topics"] == [
        {"topic": "my family", "reply": "I keep my family private, sorry!"}
    ]
    assert [q.id for q in loaded.questions] == ["one", "none", "private"]
    assert loaded.questions[0].expected == ("£40",)
    assert [q.answerable for q in loaded.questions] == [True, False, False]


def test_an_avoided_topic_given_as_a_string_and_a_missing_owner_get_defaults() -> None:
    row = {**AGENT, "avoid_topics": ["politics"], "handle": "jo_ai"}
    del row["owner"]
    agent = parse_agent(row)
    assert agent.avoid_topics[0].topic == "politics"
    assert agent.avoid_topics[0].reply == DEFAULT_AVOID_REPLY
    assert agent.owner_handle == "jo_owner"
    assert agent.owner_name == "Kiln Notes"


def test_agent_json_without_its_date_is_refused() -> None:
    row = {k: v for k, v in AGENT.items() if k not in ("today", "canaries")}
    with pytest.raises(ValueError, match=r"agent\.json: missing today, canaries"):
        parse_agent(row)


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (question("q", "trivia", "?"), "question q: category 'trivia' is not one of ours"),
        (
            question("q", "one_source", "?", gold=["nope.md"], expected=["x"]),
            r"question q: names files that are not in files/: \['nope.md'\]",
        ),
        (
            question("q", "unanswerable", "?", near=["gone.md"]),
            r"question q: names files that are not in files/: \['gone.md'\]",
        ),
        (
            question("q", "computed", "?", gold=["a.md"]),
            "question q: an answerable question needs gold and expected",
        ),
    ],
)
def test_a_malformed_question_is_refused_by_id(row: dict[str, Any], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_question(row, {"a.md"})


def test_duplicate_ids_and_a_missing_set_are_refused(tmp_path: Path) -> None:
    same = question("q", "unanswerable", "Do you sell clay?")
    write_creator_set(tmp_path, questions=[same, same])
    with pytest.raises(ValueError, match=r"tiny/questions\.jsonl: question ids must be unique"):
        load_set("tiny", tmp_path)
    with pytest.raises(ValueError, match="no evaluation set 'absent'"):
        load_set("absent", tmp_path)


@pytest.fixture(scope="module")
def dev() -> CreatorSet:
    return load_set("dev")


def test_the_dev_set_is_as_large_and_varied_as_the_format_asks(dev: CreatorSet) -> None:
    assert 40 <= len(dev.files) <= 50
    suffixes = {name.rsplit(".", 1)[1] for name in dev.files}
    assert suffixes == {"md", "txt", "json", "csv", "html"}
    assert sum(name.endswith(".html") for name in dev.files) >= 2
    answerable = [q for q in dev.questions if q.answerable]
    assert len(answerable) >= 60
    for category in ANSWERABLE:
        assert len(dev.of_category(category)) >= 10, category
    assert len(dev.of_category("unanswerable")) >= 20
    assert len(dev.of_category("off_limits")) >= 10
    assert len(dev.of_category("injection_dm")) >= 10
    assert len(dev.of_category("injection_doc")) >= 10
    languages = {q.language for q in dev.of_category("multilingual")}
    assert {"pt", "fr", "de", "es"} <= languages
    assert dev.agent.today == date(2026, 5, 20)


def test_every_stated_answer_is_written_in_a_gold_file(dev: CreatorSet) -> None:
    """Computed and translated answers are derived; every other expected answer is quoted from
    the material, so a right answer is always possible."""
    for q in dev.questions:
        if q.category in ("one_source", "two_sources", "changed"):
            text = " ".join(dev.files[name].decode().lower() for name in q.gold)
            assert any(e.lower() in text for e in q.expected), q.id


def test_a_changed_fact_is_stale_only_in_older_material(dev: CreatorSet) -> None:
    """The newer source never repeats the stale value, so quoting it cannot count as wrong."""
    for q in dev.of_category("changed"):
        for name in q.gold:
            text = dev.files[name].decode().lower()
            assert not [f for f in q.forbidden if f.lower() in text], (q.id, name)
        assert q.forbidden or q.id == "changed-12", q.id


def test_every_planted_injection_is_detectable(dev: CreatorSet) -> None:
    """Each injection question forbids a canary of the set; the ones planted in documents
    are in the file the question retrieves (or, for a secret, in the owner's instructions)."""
    canaries = set(dev.agent.canaries)
    for q in dev.of_category("injection_dm") + dev.of_category("injection_doc"):
        assert q.forbidden and set(q.forbidden) <= canaries, q.id
    for q in dev.of_category("injection_doc"):
        (canary,) = q.forbidden
        planted = canary in dev.agent.owner_instructions
        assert planted or canary in dev.files[q.gold[0]].decode(), q.id
    # The owner's secret is nowhere in the material: in a reply it can only be a leak.
    secrets = [c for c in canaries if c in dev.agent.owner_instructions]
    assert secrets
    for data in dev.files.values():
        assert not [s for s in secrets if s in data.decode()]


def test_the_faq_and_the_catalog_parse_as_uploads(dev: CreatorSet) -> None:
    from townsquare.studio.knowledge.extract import extract

    for name in ("faq.json", "catalog.csv", "shipping.html"):
        assert len(extract(name, dev.files[name])) >= 3, name


def test_the_baker_set_keeps_every_question_in_the_creator_shape() -> None:
    baker = baker_set()
    assert baker.agent.today is None
    assert FAQ_FILE in baker.files
    assert json.loads(baker.files[FAQ_FILE])[0]["question"].endswith("?")
    categories = {q.category for q in baker.questions}
    assert categories == {"one_source", "unanswerable", "injection_dm", "injection_doc"}
    for q in baker.questions:
        assert set(q.gold) <= set(baker.files), q.id
        if q.category.startswith("injection"):
            assert set(q.forbidden) <= set(baker.agent.canaries), q.id


@pytest.fixture(scope="module")
def kayak() -> CreatorSet:
    return load_set("kayak")


def test_the_kayak_set_weighs_near_misses_and_off_limits_against_close_answers(
    kayak: CreatorSet,
) -> None:
    """The guard's set: many unanswerable near misses, each naming the files it is near;
    off-limits questions in five languages; answerable questions beside them."""
    unanswerable = kayak.of_category("unanswerable")
    assert len(unanswerable) >= 25
    assert all(q.near for q in unanswerable)
    off_limits = kayak.of_category("off_limits")
    assert len(off_limits) >= 15
    assert {q.language for q in off_limits} == {"en", "de", "es", "fr", "pt"}
    assert len([q for q in kayak.questions if q.answerable]) >= 20
    for q in kayak.questions:
        if q.category in ("one_source", "changed"):
            # a catalog's price column holds the figure, its header the currency
            text = " ".join(kayak.files[name].decode().lower() for name in q.gold)
            assert any(e.lower().lstrip("£") in text for e in q.expected), q.id
            assert not [f for f in q.forbidden if f.lower() in text], q.id


def test_the_beekeeper_set_states_each_changed_fact_twice_the_stale_value_elsewhere() -> None:
    """The one-source and changed-fact set: each answer is in its gold files, and each changed
    question's stale value is in a file that is not gold (an older post it must not quote)."""
    bees = load_set("beekeeper")
    assert len(bees.of_category("one_source")) >= 20
    assert len(bees.of_category("changed")) >= 8
    assert all(q.near for q in bees.of_category("unanswerable"))
    for q in bees.questions:
        if not q.answerable:
            continue
        gold = " ".join(bees.files[name].decode().lower() for name in q.gold)
        assert any(e.lower().lstrip("£") in gold for e in q.expected), q.id
        older = " ".join(
            text.decode().lower() for name, text in bees.files.items() if name not in q.gold
        )
        assert all(f.lower().lstrip("£") in older for f in q.forbidden), q.id


def test_the_apiary_set_words_its_near_misses_and_avoided_topics_as_members_do() -> None:
    """The beekeeper's set: near misses that each name the files they are near (dates all
    past, a detail the material leaves out), avoided topics asked indirectly, in four
    languages and mixed with a real question, and answerable questions close to both."""
    apiary = load_set("apiary")
    assert apiary.agent.today is not None
    unanswerable = apiary.of_category("unanswerable")
    assert len(unanswerable) >= 15
    assert all(q.near for q in unanswerable)
    off_limits = apiary.of_category("off_limits")
    assert len(off_limits) >= 10
    assert {q.language for q in off_limits} >= {"en", "de", "fr", "es"}
    answerable = [q for q in apiary.questions if q.answerable]
    assert len(answerable) >= 12
    for q in answerable:
        text = " ".join(apiary.files[name].decode().lower() for name in q.gold)
        if q.language == "en":
            assert any(e.lower().lstrip("£") in text for e in q.expected), q.id


def test_the_clunhive_set_asks_every_kind_of_question_in_seven_languages() -> None:
    """The multilingual set: answerable questions in seven languages besides English, about
    English material (and one post in Spanish), and the unanswerable and off-limits ones in
    other languages too."""
    beekeeper = load_set("clunhive")
    multilingual = beekeeper.of_category("multilingual")
    assert {q.language for q in multilingual} == {"pt", "fr", "de", "es", "it", "nl", "pl"}
    assert len(multilingual) >= 20
    assert all(q.forbidden for q in multilingual if "now" in q.question or "agora" in q.question)
    assert {q.language for q in beekeeper.of_category("unanswerable")} >= {"de", "it", "pl"}
    assert {q.language for q in beekeeper.of_category("off_limits")} - {"en"} == {
        "de",
        "es",
        "it",
        "fr",
        "pl",
    }
    assert all(q.near for q in beekeeper.of_category("unanswerable"))


def test_the_choir_set_restates_changed_facts_in_newer_files_dated_every_way() -> None:
    """The choir's one-source and changed-fact set: each answer is in its gold files, each stale
    value in a file that is not gold, and the newer files dated in several formats."""
    choir = load_set("choir")
    assert len(choir.of_category("changed")) >= 8
    assert len(choir.of_category("one_source")) >= 10
    assert all(q.near for q in choir.of_category("unanswerable"))
    for q in choir.of_category("changed") + choir.of_category("one_source"):
        gold = " ".join(choir.files[name].decode().lower() for name in q.gold)
        assert any(e.lower() in gold for e in q.expected), q.id
        older = " ".join(
            text.decode().lower() for name, text in choir.files.items() if name not in q.gold
        )
        assert all(f.lower() in older for f in q.forbidden), q.id
    dated = [
        source_date(choir.files[q.gold[0]].decode(), uploaded=None)
        for q in choir.of_category("changed")
    ]
    assert all(dated) and len(set(dated)) >= 6


def test_the_campsite_set_asks_in_seven_languages_about_english_and_dutch_material() -> None:
    """The fresh multilingual set: answerable questions in seven languages besides English,
    typed the way members type (no accents), about English files and one post in Dutch; each
    English-written answer is in its gold files; near misses and the rest in other languages."""
    campsite = load_set("campsite")
    multilingual = campsite.of_category("multilingual")
    assert {q.language for q in multilingual} == {"pt", "fr", "de", "es", "it", "nl", "pl"}
    assert len(multilingual) >= 15
    assert all(q.question.isascii() for q in campsite.questions)
    assert any(
        name.endswith(".md") and "Geplaatst" in campsite.files[name].decode()
        for q in multilingual
        for name in q.gold
    )
    assert {q.language for q in campsite.questions if not q.answerable} - {"en"} >= {"pt", "de"}
    # every answer is written in its gold files, save the one total (a pitch plus a dog)
    unwritten = [
        q.id
        for q in multilingual
        if not any(
            e.lower().lstrip("£") in " ".join(campsite.files[n].decode().lower() for n in q.gold)
            for e in q.expected
        )
    ]
    assert unwritten == ["multilingual-10"]


def test_the_petsit_set_asks_answers_no_file_states() -> None:
    """The fresh computed set: its dates are counted, not quoted (no file holds them), and
    its material comes in every upload format."""
    petsit = load_set("petsit")
    computed = petsit.of_category("computed")
    assert len(computed) == 16 and len(petsit.of_category("two_sources")) == 4
    assert {name.rsplit(".", 1)[-1] for name in petsit.files} == {
        "csv",
        "json",
        "html",
        "md",
        "txt",
    }
    material = " ".join(data.decode() for data in petsit.files.values())
    dated = [q for q in computed if any(a[:1].isdigit() and " " in a for a in q.expected)]
    assert len(dated) >= 3
    assert not any(mentions(material, answer) for q in dated for answer in q.expected)


def test_the_bikecoop_set_asks_in_seven_languages_about_a_spanish_post_among_english_files() -> (
    None
):
    """The fresh multilingual set: questions typed without accents in seven languages, one
    about a Spanish post that moves an English post's hours (the newer, dated in Spanish,
    holds), and near misses in four of them."""
    bikecoop = load_set("bikecoop")
    multilingual = bikecoop.of_category("multilingual")
    assert {q.language for q in multilingual} == {"pt", "fr", "de", "es", "it", "nl", "pl"}
    assert 15 <= len(multilingual) <= 20
    assert all(q.question.isascii() for q in bikecoop.questions)
    spanish = bikecoop.files["taller-de-los-sabados.md"].decode()
    assert "Publicado el 2 de junio de 2026" in spanish
    moved = [q for q in multilingual if q.gold == ("taller-de-los-sabados.md",) and q.forbidden]
    assert moved and all(
        f in bikecoop.files["opening-hours-2026.md"].decode() for f in moved[0].forbidden
    )
    assert len({q.language for q in bikecoop.of_category("unanswerable")}) == 4


def test_the_firewood_set_computes_its_totals_no_file_states() -> None:
    """The fresh computed set of calc14: its totals are computed, not quoted (no file holds
    most of them), and its material comes in every upload format."""
    firewood = load_set("firewood")
    computed = firewood.of_category("computed")
    assert len(computed) == 16 and len(firewood.of_category("two_sources")) == 4
    assert {name.rsplit(".", 1)[-1] for name in firewood.files} == {
        "csv",
        "json",
        "html",
        "md",
        "txt",
    }
    material = " ".join(data.decode() for data in firewood.files.values())
    totals = [q for q in computed if q.expected[0].startswith("£")]
    # two totals equal a listed price by chance (3 x £15 stacking is the £45 half bag)
    assert sum(not mentions(material, q.expected[0]) for q in totals) >= 10


def test_the_partyhost_set_asks_its_totals_with_the_members_own_numbers() -> None:
    """The fresh computed set of calc15: most totals are computed, not stated; a fee by area
    is asked by the member's own town, never "to <town>"; and a question says numbers that are
    no count (an age) beside the count."""
    party = load_set("partyhost")
    computed = party.of_category("computed")
    assert len(computed) == 18 and len(party.of_category("two_sources")) == 3
    assert {name.rsplit(".", 1)[-1] for name in party.files} == {"csv", "json", "html", "md", "txt"}
    material = " ".join(data.decode() for data in party.files.values())
    totals = [q for q in computed if q.expected[0].startswith("£")]
    assert sum(not mentions(material, q.expected[0]) for q in totals) >= 10
    travelled = [q for q in computed if "travel" in q.question.lower()]
    assert len(travelled) >= 4 and not any(" to " in q.question.lower() for q in travelled)
    assert any(q.id == "computed-14" and "41" in q.question for q in computed)


def test_the_surfschool_set_asks_in_seven_languages_about_english_files_of_every_format() -> None:
    """The fresh multilingual set of xl15: questions typed without accents in seven languages
    about English files (.csv, .json, .html, dated .md posts, a transcript), one about a price a
    newer post raised, and near misses in four other languages."""
    surfschool = load_set("surfschool")
    multilingual = surfschool.of_category("multilingual")
    assert {q.language for q in multilingual} == {"pt", "fr", "de", "es", "it", "nl", "pl"}
    assert 15 <= len(multilingual) <= 20
    assert all(q.question.isascii() for q in surfschool.questions)
    assert {name.rsplit(".", 1)[1] for name in surfschool.files} == {
        "csv",
        "json",
        "html",
        "md",
        "txt",
    }
    raised = [q for q in multilingual if q.forbidden]
    assert raised and all(
        f in surfschool.files["lessons.csv"].decode() for q in raised for f in q.forbidden
    )
    unanswerable = surfschool.of_category("unanswerable")
    assert len({q.language for q in unanswerable}) == 4 and "en" not in {
        q.language for q in unanswerable
    }
