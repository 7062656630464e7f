"""``api.raises`` reads which errors a function may raise from the code, following calls."""

from __future__ import annotations

from townsquare.api.deps import get_optional_account, get_signed_in
from townsquare.api.raises import errors_raised
from townsquare.api.routers import business, media
from townsquare.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
)
from townsquare.social import accounts
from townsquare.social.visibility import is_visible
from townsquare.studio.business.accounts import business_account


def test_its_own_raise_statements() -> None:
    assert errors_raised(business_account) == {Forbidden}


def test_through_calls_by_module_attribute_and_by_name() -> None:
    """``visible_account`` raises NotFound itself and through ``get_account``; a handler that
    calls ``business_account(me)`` inherits its Forbidden."""
    assert errors_raised(accounts.visible_account) == {NotFound}
    assert Forbidden in errors_raised(business.put_policy)
    assert Forbidden not in errors_raised(business.public_catalog)


def test_through_a_name_imported_inside_a_function() -> None:
    """``update_profile`` imports ``get_media`` in its body; its NotFound is found there."""
    assert errors_raised(accounts.update_profile) == {InvalidInput, NotFound}


def test_through_dependencies_that_call_each_other() -> None:
    assert errors_raised(get_signed_in) == {AuthenticationFailed}
    assert errors_raised(get_optional_account) == {AuthenticationFailed}


def test_quotas_and_conflicts_reached_from_a_handler() -> None:
    """The upload quota (``social.quotas``) is reached through ``media.store_media``."""
    assert {InvalidInput, RateLimited} <= errors_raised(media.upload)
    assert Conflict in errors_raised(accounts.sign_up)


def test_a_function_that_raises_nothing_of_ours() -> None:
    assert errors_raised(len) == frozenset()
    assert errors_raised(is_visible) == frozenset()
