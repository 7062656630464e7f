"""The answers the OpenAPI document lists for each operation are the ones the API sends, and a
405 names every method of its path (each found by schemathesis's every-check run)."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from tests.utils.factories import signup
from townsquare.db import Database


def _conforms(spec: dict[str, Any], path: str, method: str, status: int, body: object) -> None:
    """``body`` is valid against what the document says ``method path`` answers with ``status``."""
    documented = spec["paths"][path][method]["responses"][str(status)]
    schema = documented["content"]["application/json"]["schema"]
    jsonschema.validate(body, {**schema, "components": spec["components"]})


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/accounts/me", "GET, PATCH"),
        ("OPTIONS", "/posts", "GET, POST"),
        ("OPTIONS", "/accounts/ada/follow", "DELETE, PUT"),
        # Concrete paths before templated ones, as OpenAPI matches them: DELETE .../search
        # was a 422 from DELETE .../{source_id}, and /catalog/import advertised its DELETE.
        ("DELETE", "/agents/ada/knowledge/search", "GET"),
        ("GET", "/agents/ada/knowledge/sync", "POST"),
        ("OPTIONS", "/business/catalog/import", "POST"),
        ("PUT", "/intents/inbox", "GET"),
    ],
)
def test_a_405_allows_exactly_the_methods_of_its_path(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    answer = client.request(method, path, headers=signup(client).headers)
    assert answer.status_code == 405, answer.text
    assert answer.headers["allow"] == allow
    assert answer.json() == {"detail": "Method Not Allowed"}


def test_a_405_on_a_web_page_names_its_methods_too(client: TestClient) -> None:
    answer = client.request("PUT", "/signin")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, POST"


def test_each_operation_documents_the_errors_its_services_raise(client: TestClient) -> None:
    """Read from the code (``api.raises``): 403 where a business account is required, 409 where
    a handle may be taken or a step not apply now, 401 for wrong credentials, 404 for a
    resource a body or query names; not every status on every route."""
    spec = client.get("/openapi.json").json()

    def documented(method: str, path: str) -> set[str]:
        return set(spec["paths"][path][method]["responses"])

    assert {"401", "403"} <= documented("put", "/business/policy")
    assert {"403", "409"} <= documented("post", "/agents")
    assert "409" in documented("post", "/auth/signup")
    assert "401" in documented("post", "/auth/token")
    assert "409" in documented("post", "/intents/{intent_id}/resume")
    assert "404" in documented("post", "/events")
    assert "404" in documented("get", "/agents")  # ?owner= names an account
    assert "403" not in documented("get", "/posts")
    assert "409" not in documented("get", "/accounts/me")
    assert not {"401", "403"} & documented("get", "/business/{handle}/catalog")
    too_many = spec["paths"]["/media"]["post"]["responses"]["429"]
    assert "Retry-After" in too_many["headers"]

    person, other = signup(client), signup(client)
    forbidden = client.put("/business/policy", json={"text": "x"}, headers=person.headers)
    assert forbidden.status_code == 403
    only_business = "only a business account has a catalog, orders and tickets"
    assert forbidden.json() == {"detail": only_business}
    _conforms(spec, "/business/policy", "put", 403, forbidden.json())
    agent = {"handle": other.handle, "name": "Pip"}
    taken = client.post("/agents", json=agent, headers=person.headers)
    assert taken.status_code == 409
    assert taken.json() == {"detail": f"the handle @{other.handle} is taken"}
    _conforms(spec, "/agents", "post", 409, taken.json())
    wrong = client.post("/auth/token", json={"handle": person.handle, "password": "wrong one"})
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "wrong handle or password"}
    _conforms(spec, "/auth/token", "post", 401, wrong.json())


def test_an_operation_that_serves_anonymous_readers_says_its_token_is_optional(
    client: TestClient,
) -> None:
    """Four operations were documented with a required token and answered without one."""
    spec = client.get("/openapi.json").json()
    ada = signup(client)
    for path in ("/accounts/{handle}", "/accounts/{handle}/posts"):
        assert spec["paths"][path]["get"]["security"] == [{}, {"HTTPBearer": []}]
        assert client.get(path.format(handle=ada.handle)).status_code == 200
    assert spec["paths"]["/accounts/me"]["get"]["security"] == [{"HTTPBearer": []}]
    assert client.get("/accounts/me").status_code == 401
    # An optional token that is bad is still refused.
    bad = client.get(f"/accounts/{ada.handle}", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    _conforms(spec, "/accounts/{handle}", "get", 401, bad.json())


def test_a_second_open_of_an_agent_thread_is_a_documented_200(client: TestClient) -> None:
    owner = signup(client)
    agent = {"handle": "pip_agent", "name": "Pip"}
    made = client.post("/agents", json=agent, headers=owner.headers)
    assert made.status_code == 201, made.text
    first = client.post("/agents/pip_agent/threads", headers=owner.headers)
    again = client.post("/agents/pip_agent/threads", headers=owner.headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "created": False}
    spec = client.get("/openapi.json").json()
    assert {"200", "201"} <= set(spec["paths"]["/agents/{handle}/threads"]["post"]["responses"])


def test_a_process_out_of_database_connections_answers_503(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its pool is bounded (``database_pool_size`` + ``database_max_overflow``): a request that
    waited ``database_pool_timeout_s`` for a connection is told to retry, not given a 500."""
    member = signup(client)

    def no_connection_free(**_: object) -> Session:
        raise PoolTimeout("QueuePool limit of size 5 overflow 2 reached, connection timed out")

    monkeypatch.setattr(database, "new_session", no_connection_free)
    answer = client.get("/posts", headers=member.headers)
    assert answer.status_code == 503, answer.text
    assert answer.json() == {"detail": "the database is busy or unreachable; retry shortly"}
    assert answer.headers["retry-after"] == "1"
