from __future__ import annotations

from starlette.datastructures import FormData

from townsquare.studio.spec import AgentProfile
from townsquare.web.agent_form import book_text, form_from_profile, profile_from_form

PROFILE = AgentProfile.model_validate(
    {
        "name": "Marlowe",
        "tagline": "An old sea captain",
        "traits": ["gruff", "kind underneath"],
        "interests": ["knots", "tides"],
        "greeting": "Ahoy.",
        "avoid_topics": [{"topic": "politics", "reply": "Not at sea, friend."}],
        "example_dialogues": [
            [{"speaker": "user", "text": "Hi"}, {"speaker": "agent", "text": "Ahoy: aboard!"}],
            [{"speaker": "user", "text": "Tide?"}, {"speaker": "agent", "text": "Turning."}],
        ],
        "reply_sentences": 2,
    }
)


def test_the_form_shows_a_profile_and_reads_back_the_same_profile() -> None:
    form = form_from_profile(PROFILE)
    assert form["traits"] == "gruff\nkind underneath"
    assert form["avoid_topics"] == "politics | Not at sea, friend."
    read = profile_from_form(FormData(list(form.items())))
    assert AgentProfile.model_validate(read) == PROFILE


def test_blank_lines_and_carriage_returns_are_not_items() -> None:
    read = profile_from_form(
        FormData(
            {
                "name": "Rosa",
                "traits": "\r\n warm \r\n\r\n",
                "example_dialogues": "user: hi\r\nagent: hello\r\n\r\n\r\n",
                "reply_sentences": " ",
            }
        )
    )
    assert read["traits"] == ["warm"]
    assert read["example_dialogues"] == [
        [{"speaker": "user", "text": "hi"}, {"speaker": "agent", "text": "hello"}]
    ]
    assert "reply_sentences" not in read  # the service's default


def test_a_lorebook_is_shown_as_indented_json_or_nothing() -> None:
    assert book_text(None) == ""
    assert book_text({"entries": [{"keys": ["île"]}]}).startswith('{\n  "entries"')
    assert "île" in book_text({"entries": [{"keys": ["île"]}]})
