"""deploy/compose.yaml is not run here (no Docker in CI): this holds it to what the code
expects, so a renamed setting, a missing service or a refused configuration fails a test."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from townsquare.cli.instance import check_workers, rate_limit_caveat
from townsquare.settings import Settings

DEPLOY = Path(__file__).parents[1] / "deploy"
VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}")
SECRET = "s" * 48  # what an operator exports as TOWNSQUARE_SECRET_KEY


def _interpolate(value: str) -> str:
    """Compose's ``${NAME:-default}`` and ``${NAME:?error}``, as with nothing but the secret set."""
    return VARIABLE.sub(
        lambda m: SECRET if m.group(1) == "TOWNSQUARE_SECRET_KEY" else (m.group(2) or ""), value
    )


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def _townsquare_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose["services"].items()
        if service.get("image") == "townsquare:local"
    }


def _environment(service: dict[str, Any]) -> dict[str, str]:
    return {key: _interpolate(str(value)) for key, value in service["environment"].items()}


def _settings(environment: dict[str, str], **changes: object) -> Settings:
    """The settings ``environment`` gives (and only it: this process's own are left out)."""
    fields = {k.removeprefix("TOWNSQUARE_").lower(): v for k, v in environment.items()}
    return Settings.model_validate(fields | changes)


def test_the_deployment_has_postgres_web_processes_intent_workers_and_a_model_server(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert {"postgres", "migrate", "web", "llm"} <= set(services)
    workers = [s for s in services.values() if s.get("command") == ["townsquare", "worker"]]
    assert len(workers) >= 2
    ids = [s["environment"]["TOWNSQUARE_INTENTS_EXECUTOR_ID"] for s in workers]
    assert len(set(ids)) == len(ids), "each intent worker needs its own executor id"
    assert "--workers ${WEB_PROCESSES:-2}" in services["web"]["command"][-1]


def test_every_townsquare_variable_is_a_setting_and_the_settings_load(
    compose: dict[str, Any],
) -> None:
    for name, service in _townsquare_services(compose).items():
        environment = _environment(service)
        unknown = {
            key
            for key in environment
            if key.removeprefix("TOWNSQUARE_").lower() not in Settings.model_fields
        }
        assert not unknown, f"{name} sets variables no setting reads: {unknown}"
        settings = _settings(environment)
        assert settings.resolved_database_url.startswith("postgresql+psycopg://")


def test_the_web_processes_pass_the_check_serve_makes(compose: dict[str, Any]) -> None:
    environment = _environment(compose["services"]["web"])
    assert check_workers(_settings(environment), 2) is None
    on_sqlite = _settings(environment, database_url=None)
    assert check_workers(on_sqlite, 2) == (
        "--workers 2 needs PostgreSQL: SQLite serves one process. Set "
        "TOWNSQUARE_DATABASE_URL=postgresql+psycopg://user:password@host/db, or serve with "
        "--workers 1."
    )


def test_the_web_processes_share_one_request_rate_count(compose: dict[str, Any]) -> None:
    services = compose["services"]
    environment = _environment(services["web"])
    assert rate_limit_caveat(_settings(environment), 2) is None
    storage = urlsplit(environment["TOWNSQUARE_RATE_LIMIT_STORAGE"])
    assert storage.scheme == "redis"
    assert storage.hostname in services
    assert storage.hostname in services["web"]["depends_on"]
    apart = _settings(environment, rate_limit_storage="memory://")
    assert rate_limit_caveat(apart, 1) is None
    assert rate_limit_caveat(apart, 3) == (
        "Request rates are counted in each of the 3 processes apart "
        "(TOWNSQUARE_RATE_LIMIT_STORAGE=memory://): a client may get up to 3 times the rate. "
        "Point it at a shared storage, e.g. redis://host:6379."
    )


def test_the_chat_backend_reaches_the_model_server_on_its_port(compose: dict[str, Any]) -> None:
    services = compose["services"]
    base = urlsplit(services["web"]["environment"]["TOWNSQUARE_OPENAI_BASE_URL"])
    command = services["llm"]["command"]
    assert (base.hostname, base.port) == ("llm", int(command[command.index("--port") + 1]))
    model = command[command.index("-m") + 1]
    assert f'"{model}"' in services["model-files"]["command"][-1]


def test_dependencies_and_volumes_are_declared(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, service in services.items():
        for needed in service.get("depends_on", {}):
            assert needed in services, f"{name} depends on an undefined service {needed}"
        for volume in service.get("volumes", []):
            assert volume.split(":")[0] in compose["volumes"], f"{name}: {volume}"


def test_the_image_builds_from_files_that_exist() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    sources = [
        part
        for line in dockerfile.splitlines()
        if line.startswith("COPY ")
        for part in line.split()[1:-1]
    ]
    assert sources and all((DEPLOY.parent / source).exists() for source in sources)
