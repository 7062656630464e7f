from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from townsquare.api.app import ROUTERS


def test_every_endpoint_is_documented_with_a_description(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    routes = [r for module in ROUTERS for r in module.router.routes if isinstance(r, APIRoute)]
    assert len(routes) >= 25
    for route in routes:
        for method in route.methods:
            operation = spec["paths"][route.path_format][method.lower()]
            assert operation.get("description"), f"{method} {route.path} has no docstring"
    assert client.get("/docs").status_code == 200
