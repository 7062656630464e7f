"""A check of our own for the schemathesis run (``test_schemathesis.py`` loads this file through
``SCHEMATHESIS_HOOKS`` into the schemathesis process), and one workaround.

A service may refuse a well-formed request with 422 for a reason a JSON schema cannot state (a
password a guesser would find, following yourself, a card file that is not a card): such an
answer is ``{"detail": ...}`` alone, and the run's ``positive_data_acceptance`` accepts it. A 422
from request validation lists the bad fields (``errors``): for a request generated as valid from
the document, that means the document and the request models disagree, and this check fails.
One exception: an email address the JSON schema's ``email`` format allows (any RFC 5321 syntax)
that email-validator refuses for a reason of its own, such as a special-use domain
(``a@b.test``) that no mail can reach.
"""

from __future__ import annotations

import ast
import threading
from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

# CPython 3.11 can fail ``ast.parse`` run in two threads at once ("AST constructor recursion depth
# mismatch", gh-106905; 3 of 4 runs here); hypothesis parses lambda sources in both of
# schemathesis's workers. Parsing one at a time keeps the run's two workers.
_parse = ast.parse
_parsing = threading.Lock()


def _parse_one_at_a_time(*args: Any, **kwargs: Any) -> Any:
    with _parsing:
        return _parse(*args, **kwargs)


ast.parse = _parse_one_at_a_time


# How pydantic's EmailStr words email-validator's refusals.
EMAIL_REFUSED = "value is not a valid email address"


@schemathesis.check
def valid_requests_pass_validation(ctx: CheckContext, response: Response, case: Case[Any]) -> None:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return
    body = response.json()
    if not isinstance(body, dict) or "errors" not in body:
        return
    refused = [e.get("message", "") for e in body["errors"] if isinstance(e, dict)]
    if refused and all(m.startswith(EMAIL_REFUSED) for m in refused):
        return
    raise AssertionError(f"A schema-valid request failed validation: {body.get('detail')}")
