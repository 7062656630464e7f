from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import ApiUser, signup
from townsquare.ai.chat import ChatRequest
from townsquare.ai.fake import FakeChatModel
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database
from townsquare.db.models import Rehearsal
from townsquare.settings import Settings
from townsquare.studio.rehearsal_scenarios import SCENARIOS

STREAM = {"Accept": "text/event-stream"}
RAISE = SCENARIOS["raise"]
OPENING = "You wanted ten minutes? Go ahead."
REPLY = "I hear you, but money is tight."
FEEDBACK = {
    "worked": [f'{RAISE.habits[2].did} You said: "I\'d like a raise."'],
    "try": [RAISE.habits[0].advice, RAISE.habits[1].advice, RAISE.habits[3].advice],
    "better_phrasing": {
        "original": "I'd like a raise.",
        "suggestion": f"I'd like a raise. {RAISE.habits[0].example}",
    },
}


@pytest.fixture
def api(settings: Settings, database: Database, models: Models) -> Iterator[TestClient]:
    with TestClient(create_app(settings, database, models)) as client:
        yield client


def sse(body: str) -> list[tuple[str, dict[str, object]]]:
    events = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def start(api: TestClient, member: ApiUser, **body: object) -> dict[str, object]:
    response = api.post("/rehearsals", json={"scenario": "raise", **body}, headers=member.headers)
    assert response.status_code == 201, response.text
    result: dict[str, object] = response.json()
    return result


@pytest.mark.postgres
def test_the_presets_say_who_the_other_person_is_and_what_to_watch_for(api: TestClient) -> None:
    response = api.get("/rehearsals/scenarios")
    assert response.status_code == 200
    presets = {s["key"]: s for s in response.json()}
    assert list(presets) == ["raise", "friend", "boundary"]
    assert presets["raise"] == {
        "key": "raise",
        "title": "Ask for a raise",
        "other_person": RAISE.other_person,
        "opens_with": RAISE.opening_line,
        "watch_for": [habit.advice for habit in RAISE.habits],
    }


@pytest.mark.postgres
def test_a_member_rehearses_and_gets_feedback(api: TestClient, fake_chat: FakeChatModel) -> None:
    fake_chat.replies = [OPENING, REPLY]
    ada = signup(api, "ada")
    started = start(api, ada, goal="eight percent")
    assert (started["status"], started["lines_left"], started["feedback"]) == ("active", 39, None)
    assert started["transcript"] == [{"role": "other", "text": OPENING}]
    url = f"/rehearsals/{started['id']}"

    turn = api.post(f"{url}/turns", json={"text": "I'd like a raise."}, headers=ada.headers)
    assert turn.status_code == 200, turn.text
    assert turn.json() == {"reply": REPLY, "lines_left": 37}

    finished = api.post(f"{url}/finish", headers=ada.headers)
    assert finished.status_code == 200, finished.text
    assert finished.json() == FEEDBACK
    again = api.post(f"{url}/finish", headers=ada.headers)
    assert again.json() == FEEDBACK
    assert len(fake_chat.requests) == 2  # the opening and the reply: feedback needs no model

    shown = api.get(url, headers=ada.headers).json()
    assert shown["status"] == "finished" and shown["feedback"] == FEEDBACK
    assert shown["goal"] == "eight percent"
    assert [line["role"] for line in shown["transcript"]] == ["other", "member", "other"]
    closed = api.post(f"{url}/turns", json={"text": "one more thing"}, headers=ada.headers)
    assert (closed.status_code, closed.json()["detail"]) == (
        409,
        "this rehearsal is finished; start a new one to practise again",
    )


@pytest.mark.postgres
def test_a_reply_streams_after_the_members_line_is_committed(
    api: TestClient, fake_chat: FakeChatModel, database: Database
) -> None:
    seen_by_the_model: list[object] = []

    def script(request: ChatRequest) -> str:
        if len(fake_chat.requests) == 1:
            return OPENING
        with database.session() as session:  # another connection: sees only what is committed
            row = session.get(Rehearsal, rehearsal_id)
            assert row is not None
            seen_by_the_model.append(row.transcript)
        return REPLY

    fake_chat.replies = script
    ada = signup(api)
    rehearsal_id = int(str(start(api, ada)["id"]))
    url = f"/rehearsals/{rehearsal_id}/turns"
    response = api.post(url, json={"text": "I want more."}, headers=ada.headers | STREAM)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert sse(response.text) == [
        ("delta", {"text": REPLY}),
        ("done", {"reply": REPLY, "lines_left": 37}),
    ]
    member_line = {"role": "member", "text": "I want more."}
    assert seen_by_the_model == [[{"role": "other", "text": OPENING}, member_line]]
    transcript = api.get(f"/rehearsals/{rehearsal_id}", headers=ada.headers).json()["transcript"]
    assert transcript[-1] == {"role": "other", "text": REPLY}


@pytest.mark.postgres
def test_a_failed_stream_reports_an_error_and_keeps_the_members_line(
    api: TestClient, fake_chat: FakeChatModel
) -> None:
    def script(request: ChatRequest) -> str:
        if len(fake_chat.requests) == 1:
            return OPENING
        raise RuntimeError("llama.cpp crashed")

    fake_chat.replies = script
    ada = signup(api)
    rehearsal_id = start(api, ada)["id"]
    response = api.post(
        f"/rehearsals/{rehearsal_id}/turns", json={"text": "Hello?"}, headers=ada.headers | STREAM
    )
    assert sse(response.text) == [
        ("error", {"detail": "the other person could not answer; your line was kept"})
    ]
    transcript = api.get(f"/rehearsals/{rehearsal_id}", headers=ada.headers).json()["transcript"]
    assert transcript[-1] == {"role": "member", "text": "Hello?"}


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            {"scenario": "promotion"},
            "scenario: 'promotion' is not one of raise, friend, boundary, custom",
        ),
        ({"scenario": "custom"}, "other_person: describe who you want to talk to"),
        (
            {"scenario": "raise", "goal": "x" * 501},
            "body.goal: String should have at most 500 characters",
        ),
        ({"scenario": "raise", "mood": "calm"}, "body.mood: Extra inputs are not permitted"),
    ],
)
def test_starting_with_bad_input_says_which_field(
    api: TestClient, body: dict[str, object], detail: str
) -> None:
    response = api.post("/rehearsals", json=body, headers=signup(api).headers)
    assert (response.status_code, response.json()["detail"]) == (422, detail)


@pytest.mark.postgres
def test_turns_and_finishing_refuse_bad_requests(api: TestClient, fake_chat: FakeChatModel) -> None:
    fake_chat.replies = [OPENING, "Go on."]
    ada = signup(api)
    url = f"/rehearsals/{start(api, ada)['id']}"
    early = api.post(f"{url}/finish", headers=ada.headers)
    assert (early.status_code, early.json()["detail"]) == (
        422,
        "say something first: there is nothing to give feedback on yet",
    )
    for text, detail in [
        ("", "body.text: String should have at least 1 character"),
        ("x" * 1001, "body.text: String should have at most 1000 characters"),
        ("   ", "text: say something first"),
    ]:
        response = api.post(f"{url}/turns", json={"text": text}, headers=ada.headers)
        assert (response.status_code, response.json()["detail"]) == (422, detail)
    assert api.post(f"{url}/turns", json={"text": "I want more."}, headers=ada.headers).is_success
    assert api.post(f"{url}/finish", headers=ada.headers).status_code == 200
    assert api.get(url, headers=ada.headers).json()["status"] == "finished"


@pytest.mark.postgres
def test_another_members_rehearsal_is_not_found(api: TestClient) -> None:
    ada, eve = signup(api), signup(api)
    rehearsal_id = start(api, ada)["id"]
    url = f"/rehearsals/{rehearsal_id}"
    for response in (
        api.get(url, headers=eve.headers),
        api.post(f"{url}/turns", json={"text": "hi"}, headers=eve.headers),
        api.post(f"{url}/finish", headers=eve.headers),
    ):
        assert (response.status_code, response.json()["detail"]) == (
            404,
            f"no rehearsal {rehearsal_id}",
        )
    assert api.get("/rehearsals", headers=eve.headers).json() == {"items": [], "next_cursor": None}
    assert api.get(url).status_code == 401


@pytest.mark.postgres
def test_a_member_pages_through_their_rehearsals(api: TestClient) -> None:
    ada = signup(api)
    ids = [start(api, ada, scenario=key)["id"] for key in ("raise", "friend", "boundary")]
    first = api.get("/rehearsals", params={"limit": 2}, headers=ada.headers).json()
    assert [item["id"] for item in first["items"]] == ids[:0:-1]
    assert first["items"][0] == {
        "id": ids[2],
        "scenario": "boundary",
        "title": "Set a boundary",
        "status": "active",
        "lines": 1,
        "created_at": first["items"][0]["created_at"],
        "finished_at": None,
    }
    rest = api.get(
        "/rehearsals", params={"limit": 2, "cursor": first["next_cursor"]}, headers=ada.headers
    ).json()
    assert ([item["id"] for item in rest["items"]], rest["next_cursor"]) == ([ids[0]], None)


@pytest.mark.slow
def test_a_rehearsal_with_the_embedded_model(tmp_path: Path) -> None:
    """Start, two turns (one streamed), finish: the real SmolLM2-135M plays Dana and coaches."""
    settings = Settings(data_dir=tmp_path)
    app = create_app(settings, Database(settings.resolved_database_url))
    lines = [
        "Thanks, Dana. I'd like to talk about my salary; I think I've earned a raise.",
        "I led the billing migration: it shipped two weeks early and saved the contractor fees.",
    ]
    with TestClient(app) as api:
        ada = signup(api, "ada")
        started = start(api, ada)
        opening = started["transcript"][0]["text"]  # type: ignore[index]
        assert isinstance(opening, str) and opening.strip()
        url = f"/rehearsals/{started['id']}"
        first = api.post(f"{url}/turns", json={"text": lines[0]}, headers=ada.headers)
        assert first.status_code == 200, first.text
        assert first.json()["reply"].strip()
        second = api.post(f"{url}/turns", json={"text": lines[1]}, headers=ada.headers | STREAM)
        events = sse(second.text)
        assert [kind for kind, _ in events][-1] == "done"
        assert all(kind == "delta" for kind, _ in events[:-1]) and len(events) >= 2

        finished = api.post(f"{url}/finish", headers=ada.headers)
        assert finished.status_code == 200, finished.text
        feedback = finished.json()
        assert set(feedback) == {"worked", "try", "better_phrasing"}
        for key in ("worked", "try"):
            assert 1 <= len(feedback[key]) <= 3
            assert all(isinstance(item, str) and item.strip() for item in feedback[key])
        assert feedback["better_phrasing"]["original"] in lines
        assert feedback["better_phrasing"]["suggestion"].strip()
        shown = api.get(url, headers=ada.headers).json()
        roles = [line["role"] for line in shown["transcript"]]
        assert roles == ["other", "member", "other", "member", "other"]
        assert shown["feedback"] == feedback
