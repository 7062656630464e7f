from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from time_machine import TimeMachineFixture

from tests.studio.knowledge.documents import faq_bytes, hostile_pdf, pdf_bytes
from tests.utils.factories import ApiUser, make_agent, signup
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database
from townsquare.db.types import utcnow
from townsquare.settings import Settings
from townsquare.social import messages
from townsquare.social.accounts import get_account
from townsquare.studio.agents import agent_account
from townsquare.studio.knowledge import store

pytestmark = pytest.mark.postgres

FAQ = faq_bytes(
    [
        ("Do you ship abroad?", "We ship to the EU and the UK; parcels take five days."),
        ("Are the glazes food safe?", "Every glaze is lead free and food safe."),
    ]
)


def agent_of(database: Database, owner: ApiUser, kind: str = "creator") -> str:
    """A new agent of ``owner``; its handle."""
    with database.session() as session:
        agent = make_agent(session, get_account(session, owner.handle), kind=kind)
        return agent_account(session, agent).handle


def upload(
    client: TestClient, user: ApiUser, handle: str, name: str, data: bytes
) -> dict[str, Any]:
    response = client.post(
        f"/agents/{handle}/knowledge", files={"file": (name, data)}, headers=user.headers
    )
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


def wait_until_done(
    client: TestClient, user: ApiUser, handle: str, source_id: int
) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        body: dict[str, Any] = client.get(
            f"/agents/{handle}/knowledge/{source_id}", headers=user.headers
        ).json()
        if body["status"] in ("ready", "failed"):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.05)


def test_an_upload_is_accepted_then_indexed_in_the_background(
    client: TestClient, database: Database, settings: Settings
) -> None:
    owner = signup(client)
    handle = agent_of(database, owner)
    accepted = upload(client, owner, handle, "faq.json", FAQ)
    assert accepted["status"] in ("queued", "indexing", "ready")
    assert (accepted["kind"], accepted["filename"], accepted["mime"]) == (
        "file",
        "faq.json",
        "application/json",
    )
    stored = settings.data_dir / "knowledge" / hashlib.sha256(FAQ).hexdigest()
    assert stored.read_bytes() == FAQ

    done = wait_until_done(client, owner, handle, accepted["id"])
    assert (done["status"], done["progress_percent"], done["chunk_count"]) == ("ready", 100.0, 2)
    assert done["indexed_at"] is not None and done["error"] == ""
    assert upload(client, owner, handle, "again.json", FAQ)["id"] == accepted["id"]

    listed = client.get(f"/agents/{handle}/knowledge?kind=file", headers=owner.headers).json()
    assert [item["id"] for item in listed["items"]] == [accepted["id"]]
    hits = client.get(
        f"/agents/{handle}/knowledge/search",
        params={"q": "are the glazes food safe", "k": 1},
        headers=owner.headers,
    ).json()
    assert [hit["locator"] for hit in hits] == ["Are the glazes food safe?"]
    assert hits[0]["lexical"] > 0 and hits[0]["dense"] > 0 and hits[0]["score"] > 0
    assert hits[0]["url"] == f"/agents/{handle}/passages/{hits[0]['chunk_id']}"


def test_a_big_pdf_ingests_while_other_requests_are_served(
    client: TestClient, database: Database
) -> None:
    owner = signup(client)
    handle = agent_of(database, owner)
    pages = [f"Page {n}. The kiln log for firing {n} reached cone {n % 12}." for n in range(300)]
    source = upload(client, owner, handle, "kiln-log.pdf", pdf_bytes(pages))
    seen: set[str] = set()
    while True:
        # Another request, answered while the worker is busy with the PDF.
        assert client.get("/posts", headers=owner.headers).status_code == 200
        body = client.get(
            f"/agents/{handle}/knowledge/{source['id']}", headers=owner.headers
        ).json()
        seen.add(body["status"])
        if body["status"] == "ready":
            break
        assert body["status"] in ("queued", "indexing"), body
    assert "indexing" in seen
    assert body["chunk_count"] == body["progress_total"] == 300
    hits = client.get(
        f"/agents/{handle}/knowledge/search", params={"q": "firing 123"}, headers=owner.headers
    ).json()
    assert hits[0]["locator"] == "page 124"


def test_a_file_that_cannot_be_read_shows_why(client: TestClient, database: Database) -> None:
    owner = signup(client)
    handle = agent_of(database, owner)
    source = upload(client, owner, handle, "scan.pdf", b"%PDF-1.4 not a real pdf")
    failed = wait_until_done(client, owner, handle, source["id"])
    assert failed["status"] == "failed"
    assert failed["error"].startswith("scan.pdf could not be read as a PDF")


def test_deleting_a_file_forgets_it(
    client: TestClient, database: Database, settings: Settings
) -> None:
    owner = signup(client)
    handle = agent_of(database, owner)
    source = upload(client, owner, handle, "faq.json", FAQ)
    wait_until_done(client, owner, handle, source["id"])
    url = f"/agents/{handle}/knowledge/{source['id']}"
    assert client.delete(url, headers=owner.headers).status_code == 204
    assert client.get(url, headers=owner.headers).status_code == 404
    assert not (settings.data_dir / "knowledge" / hashlib.sha256(FAQ).hexdigest()).exists()
    search = client.get(
        f"/agents/{handle}/knowledge/search", params={"q": "glazes"}, headers=owner.headers
    )
    assert search.json() == []


def test_posts_sync_on_demand_and_cannot_be_deleted_as_sources(
    client: TestClient, database: Database
) -> None:
    owner = signup(client)
    handle = agent_of(database, owner)
    client.post(
        "/posts", json={"kind": "text", "text": "Kiln opens Friday."}, headers=owner.headers
    )
    synced = client.post(f"/agents/{handle}/knowledge/sync", headers=owner.headers)
    assert synced.json() == {"added": 1, "updated": 0, "removed": 0}
    again = client.post(f"/agents/{handle}/knowledge/sync", headers=owner.headers)
    assert again.json() == {"added": 0, "updated": 0, "removed": 0}
    [post_source] = client.get(
        f"/agents/{handle}/knowledge?kind=post", headers=owner.headers
    ).json()["items"]
    assert (post_source["title"], post_source["status"]) == ("Kiln opens Friday.", "ready")
    refused = client.delete(
        f"/agents/{handle}/knowledge/{post_source['id']}", headers=owner.headers
    )
    assert refused.status_code == 409
    assert "delete the post instead" in refused.json()["detail"]


def test_only_the_owner_may_touch_an_agents_knowledge(
    client: TestClient, database: Database
) -> None:
    owner, stranger = signup(client), signup(client)
    handle = agent_of(database, owner)
    base = f"/agents/{handle}/knowledge"
    attempts = [
        client.post(base, files={"file": ("a.txt", b"hi")}, headers=stranger.headers),
        client.get(base, headers=stranger.headers),
        client.get(f"{base}/1", headers=stranger.headers),
        client.delete(f"{base}/1", headers=stranger.headers),
        client.post(f"{base}/sync", headers=stranger.headers),
        client.get(f"{base}/search", params={"q": "x"}, headers=stranger.headers),
    ]
    assert [response.status_code for response in attempts] == [403] * 6
    assert attempts[0].json()["detail"] == f"@{handle} is not your agent"
    assert client.get(base).status_code == 401


def test_missing_things_are_404(client: TestClient, database: Database) -> None:
    owner, other = signup(client), signup(client)
    handle = agent_of(database, owner)
    other_handle = agent_of(database, other)
    theirs = upload(client, other, other_handle, "notes.txt", b"Their notes.")
    assert client.get("/agents/nobody/knowledge", headers=owner.headers).status_code == 404
    for source_id in (999_999, theirs["id"]):
        response = client.get(f"/agents/{handle}/knowledge/{source_id}", headers=owner.headers)
        assert response.status_code == 404
        assert response.json()["detail"] == f"no knowledge source {source_id} for this agent"


@pytest.mark.parametrize(
    ("request_args", "message"),
    [
        ({"files": {"file": ("deck.pptx", b"PK")}}, "'.pptx' is not supported"),
        ({"files": {"file": ("empty.txt", b"")}}, "empty.txt is empty"),
        ({}, "body.file: Field required"),
    ],
)
def test_bad_uploads_are_422(
    client: TestClient, database: Database, request_args: dict[str, Any], message: str
) -> None:
    owner = signup(client)
    handle = agent_of(database, owner)
    response = client.post(f"/agents/{handle}/knowledge", headers=owner.headers, **request_args)
    assert response.status_code == 422
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("search", "query.q: Field required"),
        ("search?q=", "query.q: String should have at least 1 character"),
        ("search?q=kiln&k=0", "query.k: Input should be greater than or equal to 1"),
        ("search?q=kiln&k=51", "query.k: Input should be less than or equal to 50"),
        ("?kind=video", "query.kind: Input should be 'post' or 'file'"),
    ],
)
def test_bad_queries_are_422(
    client: TestClient, database: Database, path: str, message: str
) -> None:
    owner = signup(client)
    handle = agent_of(database, owner)
    response = client.get(f"/agents/{handle}/knowledge/{path}", headers=owner.headers)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_a_source_id_that_is_not_a_number_names_no_resource(
    client: TestClient, database: Database
) -> None:
    """Id path parameters match digits only, so ``.../knowledge/search`` and ``/sync`` are never
    read as a source id (schemathesis: DELETE .../search was a 422 where a 405 belongs)."""
    owner = signup(client)
    handle = agent_of(database, owner)
    response = client.get(f"/agents/{handle}/knowledge/abc", headers=owner.headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_a_character_agent_does_not_sync_posts(client: TestClient, database: Database) -> None:
    owner = signup(client)
    handle = agent_of(database, owner, kind="character")
    response = client.post(f"/agents/{handle}/knowledge/sync", headers=owner.headers)
    assert response.status_code == 422
    assert response.json()["detail"] == (
        f"only creator and business agents learn from posts; @{handle} is a character agent"
    )


def _cite(database: Database, member: ApiUser, handle: str, hit: dict[str, Any]) -> None:
    """The agent's reply in ``member``'s thread with it, citing ``hit``."""
    with database.session() as session:
        agent = get_account(session, handle)
        thread = messages.open_thread(session, get_account(session, member.handle), [agent])
        citation = {key: hit[key] for key in ("chunk_id", "source_id", "title", "url")}
        messages.append(session, thread, agent.id, "Yes.", ai_generated=True, citations=[citation])
        session.commit()


def test_a_passage_is_read_by_the_owner_or_a_member_it_was_cited_to(
    client: TestClient, database: Database
) -> None:
    owner, member, stranger = signup(client), signup(client), signup(client)
    handle = agent_of(database, owner)
    source = upload(client, owner, handle, "faq.json", FAQ)
    assert wait_until_done(client, owner, handle, source["id"])["status"] == "ready"
    [hit] = client.get(
        f"/agents/{handle}/knowledge/search",
        params={"q": "glazes food safe", "k": 1},
        headers=owner.headers,
    ).json()
    missing = {"detail": f"@{handle} has no passage {hit['chunk_id']}"}
    assert client.get(hit["url"], headers=owner.headers).status_code == 200
    uncited = client.get(hit["url"], headers=member.headers)
    assert (uncited.status_code, uncited.json()) == (404, missing)
    _cite(database, member, handle, hit)
    passage = client.get(hit["url"], headers=member.headers)
    assert passage.status_code == 200, passage.text
    assert "lead free" in passage.json()["text"]
    for who in (stranger.headers, {}):
        assert client.get(hit["url"], headers=who).status_code in (401, 404)
    assert client.get(hit["url"], headers=stranger.headers).json() == missing
    other = agent_of(database, owner, kind="character")
    elsewhere = client.get(f"/agents/{other}/passages/{hit['chunk_id']}", headers=member.headers)
    assert elsewhere.status_code == 404


def test_a_hostile_pdf_fails_its_source_and_the_api_says_why(
    limited_client: TestClient, database: Database
) -> None:
    owner = signup(limited_client)
    handle = agent_of(database, owner)
    started = time.monotonic()
    accepted = upload(limited_client, owner, handle, "hostile.pdf", hostile_pdf())
    done = wait_until_done(limited_client, owner, handle, accepted["id"])
    assert time.monotonic() - started < 10
    assert (done["status"], done["error"]) == (
        "failed",
        "hostile.pdf took longer than 2 s to read (the limit); "
        "split it into smaller files or upload its text as .txt",
    )


@pytest.fixture
def burst_client(settings: Settings, database: Database, models: Models) -> Iterator[TestClient]:
    """The app with 2 uploads a minute, 1 s of ingest work an hour, 2 s to read a file (so one
    queued file, charged the read limit, is already over the ingest quota)."""
    limited = settings.model_copy(
        update={
            "quota_uploads_per_minute": 2,
            "quota_ingest_seconds_per_hour": 1,
            "knowledge_extract_timeout_s": 2.0,
        }
    )
    with TestClient(create_app(limited, database, models)) as test_client:
        yield test_client


def test_uploads_over_the_burst_limit_get_429_with_retry_after(
    begun: list[bool], settings: Settings, database: Database, models: Models
) -> None:
    burst = settings.model_copy(update={"quota_uploads_per_minute": 2})
    with TestClient(create_app(burst, database, models)) as client:
        owner = signup(client)
        handle = agent_of(database, owner)
        for n in range(2):
            upload(client, owner, handle, f"faq{n}.json", faq_bytes([(f"Q{n}?", f"A{n}.")]))
        begun.clear()
        refused = client.post(
            f"/agents/{handle}/knowledge", files={"file": ("more.json", FAQ)}, headers=owner.headers
        )
    assert refused.status_code == 429
    # The token check, the agent's and the quotas' early check: the file is neither written
    # nor does the request begin a write.
    assert begun == [False, False]
    assert store.read_upload(settings, hashlib.sha256(FAQ).hexdigest()) is None
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 60
    assert refused.json() == {
        "detail": f"you have reached your limit of 2 uploads a minute; try again in {wait} s"
    }


def test_a_queued_file_is_charged_the_read_limit_so_a_second_is_refused(
    burst_client: TestClient, database: Database
) -> None:
    """The first file holds the 2 s read limit against the 1 s quota until it is read (then
    what it cost, the 2 s it ran to the limit): the second is refused either way."""
    owner = signup(burst_client)
    handle = agent_of(database, owner)
    upload(burst_client, owner, handle, "hostile.pdf", hostile_pdf())
    refused = burst_client.post(
        f"/agents/{handle}/knowledge", files={"file": ("more.json", FAQ)}, headers=owner.headers
    )
    assert refused.status_code == 429
    assert re.fullmatch(
        r"reading and indexing your files took \d+ s of the server's time in the last hour"
        r"( \(2 s of it charged up front for 1 files not read yet\))?, and the limit is 1 s; "
        r"try again in \d+ s, or upload smaller files or their text as \.txt",
        refused.json()["detail"],
    )


def test_a_member_whose_file_cost_the_ingest_quota_is_refused_the_next(
    burst_client: TestClient, database: Database, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(utcnow(), tick=False)  # the Retry-After, whatever the machine's load
    owner = signup(burst_client)
    handle = agent_of(database, owner)
    accepted = upload(burst_client, owner, handle, "hostile.pdf", hostile_pdf())
    assert wait_until_done(burst_client, owner, handle, accepted["id"])["status"] == "failed"
    refused = burst_client.post(
        f"/agents/{handle}/knowledge", files={"file": ("faq.json", FAQ)}, headers=owner.headers
    )
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert wait == 3600
    # The worker marks the source failed, then settles its charge in a transaction of its own:
    # an upload in between still sees the hold.
    assert re.fullmatch(
        r"reading and indexing your files took \d+ s of the server's time in the last hour"
        r"( \(2 s of it charged up front for 1 files not read yet\))?, "
        rf"and the limit is 1 s; try again in {wait} s, or upload smaller files or their text "
        r"as \.txt",
        refused.json()["detail"],
    )
    other = signup(burst_client)  # another member's uploads are their own
    upload(burst_client, other, agent_of(database, other), "faq.json", FAQ)
