"""A check of our own for the schemathesis run (``test_schemathesis.py`` loads this file through
``SCHEMATHESIS_HOOKS``).

A service may refuse a well-formed request with 422 for a reason a JSON schema cannot state (a
password a guesser would find, following yourself, a card file that is not a card): such an
answer is ``{"detail": ...}`` alone, and the run's ``positive_data_acceptance`` accepts it. A 422
from request validation lists the bad fields (``errors``): for a request generated as valid from
the document, that means the document and the request models disagree, and this check fails.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response


@schemathesis.check
def valid_requests_pass_validation(ctx: CheckContext, response: Response, case: Case[Any]) -> None:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return
    body = response.json()
    if isinstance(body, dict) and "errors" in body:
        raise AssertionError(f"A schema-valid request failed validation: {body.get('detail')}")
