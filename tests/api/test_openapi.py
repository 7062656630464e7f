import json
import os
from pathlib import Path

import jsonschema
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.utils.factories import signup
from townsquare.api import ROUTERS
from townsquare.app import create_app
from townsquare.settings import Settings

SNAPSHOT = Path(__file__).with_name("openapi.json")
WRITE_VAR = "TOWNSQUARE_WRITE_OPENAPI"


def test_every_endpoint_is_documented_with_a_description(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    routes = [r for module in ROUTERS for r in module.router.routes if isinstance(r, APIRoute)]
    assert len(routes) >= 25
    for route in routes:
        for method in route.methods or ():
            operation = spec["paths"][route.path_format][method.lower()]
            assert operation.get("description"), f"{method} {route.path} has no docstring"
    assert client.get("/docs").status_code == 200


def test_the_openapi_document_is_the_committed_one(tmp_path: Path) -> None:
    """The API's contract changes only on purpose: after a deliberate change, rewrite the copy
    with ``TOWNSQUARE_WRITE_OPENAPI=1 pytest tests/api/test_openapi.py`` and commit it."""
    spec = create_app(Settings(data_dir=tmp_path, intents_in_server=False)).openapi()
    if os.environ.get(WRITE_VAR):
        SNAPSHOT.write_text(json.dumps(spec, indent=1, sort_keys=True) + "\n")
    assert spec == json.loads(SNAPSHOT.read_text()), (
        f"the OpenAPI document changed; if on purpose, rerun with {WRITE_VAR}=1 and commit"
    )


def test_a_422_body_conforms_to_the_documented_schema(client: TestClient) -> None:
    """The document described FastAPI's own 422 (``detail`` a list), never sent (schemathesis)."""
    spec = client.get("/openapi.json").json()
    documented = spec["paths"]["/posts"]["post"]["responses"]["422"]["content"]
    schema = {**documented["application/json"]["schema"], "components": spec["components"]}
    headers = signup(client).headers
    refused = [
        client.post("/posts", json={"kind": "poem"}, headers=headers),  # request validation
        client.post("/posts", json={"kind": "image"}, headers=headers),  # the service's own
    ]
    for response in refused:
        assert response.status_code == 422, response.text
        jsonschema.validate(response.json(), schema)


def test_errors_implied_by_an_operation_are_documented(client: TestClient) -> None:
    """401 for a token, 404 for a resource in the path, 413 for a body (schemathesis found them
    answered but undocumented)."""
    spec = client.get("/openapi.json").json()
    responses = spec["paths"]["/posts/{post_id}"]["patch"]["responses"]
    assert {"401", "404", "413", "422"} <= set(responses)
    assert "401" not in spec["paths"]["/health"]["get"]["responses"]
    headers = signup(client).headers
    answer = client.patch("/posts/999", json={"text": "x"}, headers=headers)
    assert answer.status_code == 404
    schema = {
        **responses["404"]["content"]["application/json"]["schema"],
        "components": spec["components"],
    }
    jsonschema.validate(answer.json(), schema)


def test_a_body_that_does_not_parse_is_a_documented_400(client: TestClient) -> None:
    """Every route that takes a body documents the 400 of one that does not parse as its
    Content-Type says (schemathesis found it on JSON routes and file routes alike)."""
    spec = client.get("/openapi.json").json()
    for path in ("/media", "/posts"):
        assert "400" in spec["paths"][path]["post"]["responses"]
    assert "400" not in spec["paths"]["/health"]["get"]["responses"]
    headers = {
        **signup(client).headers,
        "Content-Type": "multipart/form-data; boundary=b",
    }
    answer = client.post("/media", content=b"--b\r\nm\x1a_--b--\r\n", headers=headers)
    assert answer.status_code == 400, answer.text
    assert isinstance(answer.json()["detail"], str)
