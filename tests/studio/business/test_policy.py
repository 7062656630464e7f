"""Hard limits read from a business's plain-text policy."""

from __future__ import annotations

import pytest

from townsquare.studio.business.policy import DEFAULT_RETURN_WINDOW_DAYS, parse_policy


def test_the_limits_are_read_from_the_text() -> None:
    policy = parse_policy(
        "We accept returns within 30 days of delivery. Refunds over $49.99 are decided by a"
        " person. No exchanges on sale items.\nNever promise delivery dates. Do not give discounts."
    )
    assert policy.return_window_days == 30
    assert policy.refund_max_cents == 4999
    assert policy.exchanges is False
    assert policy.forbidden == ("Never promise delivery dates", "Do not give discounts")


@pytest.mark.parametrize("text", ["", "Be nice to everyone."])
def test_without_limits_the_defaults_hold(text: str) -> None:
    policy = parse_policy(text)
    assert policy.return_window_days == DEFAULT_RETURN_WINDOW_DAYS
    assert (policy.refund_max_cents, policy.exchanges, policy.forbidden) == (None, True, ())
