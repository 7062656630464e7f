"""Whatever a client sends, the answer is never a 500: bad input is a 4xx that says why."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.utils.factories import signup

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "kind",
        "text",
        "media_id",
        "link_url",
        "handle",
        "handles",
        "password",
        "events",
        "type",
        "surface",
        "post_id",
        "dwell_ms",
        "message_id",
        "client_key",
        "website",
        "bio",
    ]
)
bodies = st.dictionaries(field_names, json_values, max_size=5) | json_values
path_ids = st.one_of(
    st.integers(min_value=-5, max_value=2**70).map(str), st.sampled_from(["x", "1.5", "%00", "-"])
)
WRITES = [
    ("POST", "/auth/signup"),
    ("POST", "/auth/token"),
    ("PATCH", "/accounts/me"),
    ("POST", "/posts"),
    ("PATCH", "/posts/{id}"),
    ("POST", "/posts/{id}/comments"),
    ("POST", "/threads"),
    ("POST", "/threads/{id}/messages"),
    ("POST", "/threads/{id}/read"),
    ("POST", "/events"),
]
READS = [
    "/posts/{id}",
    "/media/{id}",
    "/media/{id}/file",
    "/threads/{id}/messages",
    "/accounts/{id}",
    "/posts?cursor={id}",
    "/events?cursor={id}",
]


def _check(response: Any) -> None:
    assert response.status_code < 500, response.text
    assert isinstance(response.json()["detail"] if response.status_code >= 400 else {}, str | dict)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(route=st.sampled_from(WRITES), body=bodies, path_id=path_ids)
def test_random_writes_never_fail_with_500(
    client: TestClient, route: tuple[str, str], body: object, path_id: str
) -> None:
    user = signup(client)
    method, path = route
    response = client.request(method, path.format(id=path_id), json=body, headers=user.headers)
    _check(response)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(READS), path_id=path_ids)
def test_random_reads_never_fail_with_500(client: TestClient, path: str, path_id: str) -> None:
    user = signup(client)
    _check(client.get(path.format(id=path_id), headers=user.headers))


def test_nul_characters_and_huge_numbers_are_4xx(client: TestClient) -> None:
    user = signup(client)
    nul = client.post("/posts", json={"kind": "text", "text": "a\x00b"}, headers=user.headers)
    assert nul.status_code == 422
    assert "NUL" in nul.json()["detail"]
    huge = client.get(f"/posts/{2**64}", headers=user.headers)
    assert huge.status_code == 422
    assert "less than or equal" in huge.json()["detail"]
