"""The limits part of the settings: what one member, handle, address or file may cost
(password hashing, sign-in throttles, tokens, knowledge extraction, quotas, request rates).
``townsquare.settings.Settings`` inherits every field; see ``docs/operations.md`` and
``docs/security.md``."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings

# scrypt's work factor for passwords, as log2 of its N: the default, and the least production
# takes (tests go lower, to sign up thousands of members quickly).
DEFAULT_PASSWORD_HASH_COST = 14
MIN_PRODUCTION_PASSWORD_HASH_COST = 14


class LimitSettings(BaseSettings):
    """The fields of ``Settings`` that bound what one member may use."""

    password_hash_cost: int = Field(
        DEFAULT_PASSWORD_HASH_COST,
        ge=1,
        le=20,
        description="scrypt's work factor for new password hashes, as log2 of its N (14: "
        f"~16 MiB and ~50 ms a hash); at least {MIN_PRODUCTION_PASSWORD_HASH_COST} in "
        "production. Each hash keeps its own, so older hashes still verify.",
    )
    signin_failures_per_handle: int = Field(
        10,
        ge=1,
        description="Wrong passwords one handle may take per auth_window_s before sign-in to it "
        "answers 429.",
    )
    signin_failures_per_address: int = Field(
        50,
        ge=1,
        description="Failed sign-ins one client address may make per auth_window_s.",
    )
    signups_per_address: int = Field(
        10, ge=1, description="Sign-up attempts one client address may make per auth_window_s."
    )
    auth_window_s: int = Field(
        900, ge=1, description="The sliding window, in seconds, of the sign-in and sign-up limits."
    )
    token_ttl_days: float = Field(
        30, gt=0, description="An API token expires this many days after its last use."
    )
    session_ttl_days: float = Field(
        30, gt=0, description="A browser session expires this many days after its last request."
    )
    max_tokens_per_account: int = Field(
        20,
        ge=1,
        description="Active API tokens (and, separately, browser sessions) per account; a new "
        "one revokes the oldest.",
    )

    # Email (social/mail.py, social/verification.py)
    knowledge_extract_cpu_s: int = Field(
        20,
        ge=1,
        description="CPU time one uploaded PDF, HTML or large file may take to read, in seconds.",
    )
    knowledge_extract_timeout_s: float = Field(
        60.0,
        gt=0,
        description="Wall time one uploaded PDF, HTML or large file may take to read, in seconds "
        "(its reader gets a core only when no request wants it); also what a queued knowledge "
        "file is charged against the ingest quota until it is read.",
    )
    knowledge_extract_memory_mb: int = Field(
        1024, ge=64, description="Memory the process reading one such file may use, in MiB."
    )
    quota_messages_per_minute: int = Field(
        20, ge=0, description="DMs one member may send a minute (0: no limit)."
    )
    quota_messages_per_day: int = Field(
        2000, ge=0, description="DMs one member may send in 24 hours (0: no limit)."
    )
    quota_model_calls_per_minute: int = Field(
        10, ge=0, description="Agent replies one member may cause a minute (0: no limit)."
    )
    quota_model_calls_per_day: int = Field(
        1000, ge=0, description="Agent replies one member may cause in 24 hours (0: no limit)."
    )
    quota_uploads_per_minute: int = Field(
        5, ge=0, description="Files one member may upload a minute: the burst (0: no limit)."
    )
    quota_uploads_per_hour: int = Field(
        60, ge=0, description="Files one member may upload an hour (0: no limit)."
    )
    quota_ingest_seconds_per_hour: int = Field(
        300,
        ge=0,
        description="Seconds of work reading and indexing one member's knowledge files may cost "
        "an hour before their next file is refused (0: no limit).",
    )
    quota_storage_mb: int = Field(
        2048, ge=0, description="Media one member (and their agents) may store, MiB (0: none)."
    )
    rate_limit_token_per_second: int = Field(
        30,
        ge=0,
        description="Requests one API token or browser session may make a second (0: no limit).",
    )
    rate_limit_token_per_minute: int = Field(
        600,
        ge=0,
        description="Requests one API token or browser session may make a minute (0: no limit).",
    )
    rate_limit_address_per_second: int = Field(
        60, ge=0, description="Requests one client address may make a second (0: no limit)."
    )
    rate_limit_address_per_minute: int = Field(
        1800, ge=0, description="Requests one client address may make a minute (0: no limit)."
    )
    in_flight_token: int = Field(
        8,
        ge=0,
        description="Requests one API token or browser session may have in flight at once "
        "(0: no limit); a browser opens up to 6 connections to a server.",
    )
    in_flight_writes_token: int = Field(
        2,
        ge=0,
        description="Requests other than GET, HEAD and OPTIONS one API token or browser session "
        "may have in flight at once (0: no limit).",
    )
    in_flight_address: int = Field(
        32,
        ge=0,
        description="Requests one client address may have in flight at once (0: no limit).",
    )
    in_flight_writes_address: int = Field(
        8,
        ge=0,
        description="Requests other than GET, HEAD and OPTIONS one client address may have in "
        "flight at once (0: no limit).",
    )
    rate_limit_remember_refusals_s: int = Field(
        60,
        ge=0,
        description="Seconds, at most, a 429 the app answered a token (a quota, a throttle) is "
        "answered again from memory to the same request, until its Retry-After (0: never).",
    )
    rate_limit_storage: str = Field(
        "memory://",
        pattern=r"^[a-z+]+://",
        description="Where the request-rate counters live: a `limits` storage URI; memory:// is "
        "this process, redis://host:6379 is shared by several processes.",
    )
