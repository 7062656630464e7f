from pathlib import Path

import pytest

from townsquare.settings import DEV_SECRET, Settings


def test_defaults_run_offline_on_sqlite_inside_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.mode == "dev"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'townsquare.db'}"
    assert settings.chat_backend == "embedded"
    assert settings.embedding_backend == "embedded"
    assert settings.media_dir == tmp_path / "media"


def test_environment_variables_override_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOWNSQUARE_PORT", "9001")
    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", "postgresql+psycopg://u:p@db/ts")
    settings = Settings()
    assert settings.port == 9001
    assert settings.resolved_database_url == "postgresql+psycopg://u:p@db/ts"


def test_config_file_is_read_and_env_wins_over_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "townsquare.toml"
    config.write_text(
        'port = 7000\nhost = "0.0.0.0"\nchat_backend = "openai"\nsecret_key = "%s"\n' % ("s" * 40)
    )
    monkeypatch.setenv("TOWNSQUARE_CONFIG", str(config))
    monkeypatch.setenv("TOWNSQUARE_PORT", "7001")
    settings = Settings()
    assert (settings.host, settings.port, settings.chat_backend) == ("0.0.0.0", 7001, "openai")


def test_missing_config_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOWNSQUARE_CONFIG", "/nonexistent/townsquare.toml")
    with pytest.raises(FileNotFoundError, match="TOWNSQUARE_CONFIG"):
        Settings()


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ValueError, match="TOWNSQUARE_SECRET_KEY"):
        Settings(mode="production")
    assert (
        Settings(mode="production", secret_key="x" * 40).secret_key.get_secret_value() != DEV_SECRET
    )


def test_unknown_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="no_such_field"):
        Settings(no_such_field=1)  # type: ignore[call-arg]


def test_a_child_process_environment_carries_exactly_these_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "townsquare.toml"
    config.write_text("port = 7000\n")
    monkeypatch.setenv("TOWNSQUARE_CONFIG", str(config))
    monkeypatch.setenv("TOWNSQUARE_CHAT_THREADS", "3")
    settings = Settings(
        data_dir=tmp_path, secret_key="s3cret", chat_threads=None, intents_in_server=False
    )
    environment = settings.environment()
    assert "TOWNSQUARE_CONFIG" not in environment
    assert "TOWNSQUARE_CHAT_THREADS" not in environment  # None here: the child's default
    assert environment["TOWNSQUARE_PORT"] == "7000"
    assert environment["TOWNSQUARE_SECRET_KEY"] == "s3cret"
    assert environment["TOWNSQUARE_INTENTS_IN_SERVER"] == "false"
    monkeypatch.delenv("TOWNSQUARE_CONFIG")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TOWNSQUARE_CHAT_THREADS")
    assert Settings() == settings


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "townsquare.example.org"])
@pytest.mark.parametrize("mode", ["dev", "production"])
def test_the_default_secret_is_refused_on_a_non_loopback_address(host: str, mode: str) -> None:
    with pytest.raises(ValueError, match="TOWNSQUARE_SECRET_KEY still has its default value"):
        Settings(mode=mode, host=host)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.53", "::1", "localhost"])
def test_dev_mode_on_loopback_may_keep_the_default_secret(host: str) -> None:
    assert Settings(host=host).secret_key.get_secret_value() == DEV_SECRET


def test_production_refuses_a_cheap_password_hash() -> None:
    with pytest.raises(ValueError, match="TOWNSQUARE_PASSWORD_HASH_COST is 13; production takes"):
        Settings(mode="production", secret_key="x" * 40, password_hash_cost=13)
    assert Settings(mode="production", secret_key="x" * 40).password_hash_cost == 14
    assert Settings(mode="dev", password_hash_cost=4).password_hash_cost == 4


def test_production_needs_a_long_secret() -> None:
    with pytest.raises(ValueError, match="TOWNSQUARE_SECRET_KEY is 31 characters; use at least 32"):
        Settings(mode="production", secret_key="x" * 31)
    assert Settings(mode="production", secret_key="x" * 32).mode == "production"
