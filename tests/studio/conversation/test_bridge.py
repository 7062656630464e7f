"""Two sources through a bridge: a question describes a thing ("the bike you told Femi to
buy"), one source names it, a second search finds the asked fact about that name; both are
quoted and cited, and no name that leads to an answer of the asked type means no answer."""

from __future__ import annotations

from datetime import date

from townsquare.ai.fake import FakeEmbedder
from townsquare.studio.conversation.answers import Answer, Chooser
from townsquare.studio.conversation.bridge import bridged, name_words, names, nearest_first, turns
from townsquare.studio.conversation.grounding import Guard
from townsquare.studio.conversation.questions import read_question
from townsquare.studio.conversation.wording import content_words
from townsquare.studio.knowledge.passages import Passage

TOLD = "Femi asked what to buy for commuting. I told Femi to buy the Specialized Rockhopper."
ROW = "Specialized Rockhopper 2012: type refurbished bike; price £260; stock 1."
OTHER = "Islabike Beinn 24: type refurbished bike; price £210; stock 1."


def passage(chunk_id: int, text: str, title: str, locator: str = "") -> Passage:
    return Passage(chunk_id, chunk_id, "file", title, locator, text, 1.0, f"/p/{chunk_id}")


def bridge(
    question: str, passages: list[Passage], searched: list[Passage]
) -> tuple[Answer | None, list[str]]:
    chooser = Chooser(
        question,
        read_question(question),
        Guard(FakeEmbedder(256)),
        owner="Ines Halloran",
        on=date(2026, 5, 20),
    )
    queries: list[str] = []

    def search(text: str) -> list[Passage]:
        queries.append(text)
        return searched

    return bridged(chooser, passages, search), queries


def test_a_described_thing_is_named_by_one_source_and_priced_by_another() -> None:
    transcript = passage(1, TOLD, "radio.txt")
    catalog = [
        passage(2, ROW, "catalog.csv", "Specialized Rockhopper 2012"),
        passage(3, OTHER, "catalog.csv"),
    ]
    reply, queries = bridge(
        "What's the price of the bike you told Femi to buy for commuting?", [transcript], catalog
    )
    assert isinstance(reply, Answer)
    assert reply.text == (
        'That is Specialized Rockhopper: "I told Femi to buy the Specialized Rockhopper."'
        f' [1] "{ROW}" [2]'
    )
    assert [c["chunk_id"] for c in reply.citations] == [1, 2]
    assert "Specialized Rockhopper" in queries


def test_a_question_that_names_its_thing_is_not_bridged() -> None:
    reply, queries = bridge(
        "How much is the Specialized Rockhopper?", [passage(1, TOLD, "radio.txt")], []
    )
    assert reply is None
    assert queries == []


def test_a_name_with_no_answer_of_the_asked_type_is_no_answer() -> None:
    # The second search finds the name, but no price of it: nothing is guessed.
    named = passage(2, "The Specialized Rockhopper has new tyres and a lockout fork.", "post")
    reply, _ = bridge(
        "What's the price of the bike you told Femi to buy for commuting?",
        [passage(1, TOLD, "radio.txt")],
        [named, passage(3, OTHER, "catalog.csv")],
    )
    assert reply is None


def test_names_leave_out_ordinary_words_days_labels_and_the_question_s_own() -> None:
    sentence = "Then come to Gears & Brakes Basics on Tuesday with Jonah, after Fix-a-Flat."
    assert names(sentence, ignore=set()) == ["Gears & Brakes Basics", "Jonah", "Fix-a-Flat"]
    assert names(sentence, ignore={"jonah"}) == ["Gears & Brakes Basics", "Fix-a-Flat"]
    assert names("Time: 6pm - 8pm; Level: beginner.", ignore=set()) == []
    assert names("Right, first caller.", ignore=set()) == []


def test_a_sentence_that_states_the_asked_value_is_an_answer_not_a_bridge() -> None:
    said = "I told Femi to buy the Specialized Rockhopper, £260 well spent."
    reply, queries = bridge(
        "What's the price of the bike you told Femi to buy for commuting?",
        [passage(1, said, "radio.txt")],
        [passage(2, ROW, "catalog.csv")],
    )
    assert reply is None  # the chooser quotes it as it stands
    assert queries == ["the bike you told Femi to buy for commuting?"]  # no name searched


def test_the_name_must_be_in_the_answering_sentence_or_its_heading_not_only_its_title() -> None:
    # "Walkley" is in the page's title, not in the sentence that states a duration.
    page = passage(2, "By tram: Shalesmoor stop, 5 minutes' walk.", "Walkley and around")
    reply, _ = bridge(
        "How long is the walk you told Liz about?",
        [passage(1, "I told Liz, who lives in Walkley, to take the tram.", "radio.txt")],
        [page],
    )
    assert reply is None


def test_the_name_nearest_the_description_is_tried_first() -> None:
    bridge = (
        "Start with a wheel taster, and if you love it, the course I always recommend next is"
        " the six-week wheel course."
    )
    clause = content_words("the course you recommend to beginners")
    found = ["Wheel taster", "Six-week wheel course"]
    assert nearest_first(bridge, found, clause) == ["Six-week wheel course", "Wheel taster"]
    assert nearest_first(bridge, found, set()) == found  # no description word: order kept


def test_the_next_turn_of_a_transcript_names_what_a_question_in_it_describes() -> None:
    interview = passage(
        1,
        "HOST: So, the pattern you tell people to pick for a first quilt.\n"
        "NELL: The Log Cabin block, every time. It forgives wobbly seams.",
        "interview.txt",
    )
    row = passage(2, "Log Cabin block pattern: kind pattern; price $12.", "patterns.csv")
    reply, _ = bridge(
        "How much is the pattern you tell first-time quilters to pick?", [interview], [row]
    )
    assert isinstance(reply, Answer)
    assert "$12" in reply.text and [c["chunk_id"] for c in reply.citations] == [1, 2]


def test_a_when_question_through_a_bridge_takes_the_calendar_date() -> None:
    told = passage(1, "Priya teaches the Indigo Dyeing Day now.", "news.md")
    weekly = passage(2, "Indigo Dyeing Day: runs on Saturdays.", "classes.csv")
    dated = passage(3, "Indigo Dyeing Day: Saturday 14 November 2026, 10am.", "dates.html")
    reply, _ = bridge("When is the class that Priya teaches?", [told], [weekly, dated])
    assert isinstance(reply, Answer) and "14 November 2026" in reply.text


def test_a_code_is_a_name_of_its_own_and_a_time_is_not() -> None:
    assert names("Eastville's BS5, right?", ignore=set()) == ["Eastville's BS5", "BS5"]
    assert names("The gate opens at 10AM for plot A12.", ignore=set()) == ["A12"]
    assert names("Fees for LS7 and LS8.", ignore={"ls7"}) == ["LS8"]
    assert name_words("Meanwood Beck: Covers postcodes LS7") == {
        "meanwood",
        "beck",
        "cover",
        "postcod",
        "ls7",
    }


def test_a_postcode_named_in_a_transcript_leads_to_its_row_of_a_table() -> None:
    # "the area that your favourite park is in": the park is named, then its postcode, and
    # only the postcode is in the table of areas.
    chat = passage(
        1,
        "HOST: Which park is your favourite for the dogs?\nDEE: Eastville Park, every time.\n"
        "HOST: Eastville's BS5, right?",
        "podcast.txt",
    )
    near = passage(2, "Southville, Clifton (BS3, BS8): travel fee none.", "areas.html")
    far = passage(3, "Easton, Fishponds (BS5, BS7): travel fee £3 per visit.", "areas.html")
    reply, _ = bridge(
        "How much is the travel fee for the area that your favourite park is in?",
        [chat],
        [near, far],
    )
    assert isinstance(reply, Answer)
    assert "£3" in reply.text and [c["chunk_id"] for c in reply.citations] == [1, 3]


def test_a_heading_is_named_without_what_it_says_in_brackets() -> None:
    said = passage(1, "HOST: And for a nervous rescue?\nDEE: Honestly, the solo walk.", "pod.txt")
    solo = passage(
        2, "Solo walk (1 hour): cost £16 per walk.", "services.csv", "Solo walk (1 hour)"
    )
    group = passage(
        3, "Group walk (1 hour): cost £12 per dog.", "services.csv", "Group walk (1 hour)"
    )
    reply, queries = bridge(
        "What's the price of the walk you said was best for a nervous rescue dog?",
        [said],
        [solo, group],
    )
    assert isinstance(reply, Answer)
    assert "£16" in reply.text and "£12" not in reply.text
    assert "Solo walk (1 hour)" in queries


def test_a_turn_is_read_with_its_speaker_and_the_turn_it_answers() -> None:
    # "the bike you told Femi to buy": Femi is named only by a speaker's label, and Ines's
    # answer says nothing of Femi; a post that shares the noun ("bike") is not the bridge.
    club = passage(
        1, "Kids' Bike Club riders with no bike of their own ride the Islabike Beinn.", "club.md"
    )
    chat = passage(
        2,
        "DEV: Caller two.\nFEMI: What should I get for commuting?\n"
        "INES: The Specialized Rockhopper, every time.",
        "radio.txt",
    )
    islabike = passage(3, OTHER, "catalog.csv", "Islabike Beinn 24")
    rockhopper = passage(4, ROW, "catalog.csv", "Specialized Rockhopper 2012")
    reply, _ = bridge(
        "What's the price of the bike you told Femi to get for commuting?",
        [club, chat],
        [islabike, rockhopper],
    )
    assert isinstance(reply, Answer)
    assert "£260" in reply.text and [c["chunk_id"] for c in reply.citations] == [2, 4]


def test_turns_carry_their_speaker_and_the_turn_before_and_prose_carries_nothing() -> None:
    assert turns("HOST: Best walk for a nervous dog?\nDEE: The solo walk. No pressure.") == [
        ("Best walk for a nervous dog?", "HOST: "),
        ("The solo walk.", "HOST: Best walk for a nervous dog?\nDEE: "),
        ("No pressure.", "HOST: Best walk for a nervous dog?\nDEE: "),
    ]
    assert turns("Open daily. Closed on Mondays.") == [
        ("Open daily.", ""),
        ("Closed on Mondays.", ""),
    ]
