"""What bench/cold_install.py times: `uv pip install -e .` compiles nothing where cyllama installs,
because `[tool.uv]` leaves llama-cpp-python out exactly there."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PLATFORMS = {
    "linux x86-64": {"sys_platform": "linux", "platform_machine": "x86_64"},
    "linux arm64": {"sys_platform": "linux", "platform_machine": "aarch64"},
    "macOS arm64": {"sys_platform": "darwin", "platform_machine": "arm64"},
    "windows": {"sys_platform": "win32", "platform_machine": "AMD64"},
}


def _requirement(requirements: list[str], name: str) -> Requirement:
    (found,) = [Requirement(r) for r in requirements if Requirement(r).name == name]
    return found


@pytest.mark.parametrize("platform", PLATFORMS)
def test_uv_installs_exactly_one_llama_cpp_binding_on_every_platform(platform: str) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    cyllama = _requirement(pyproject["project"]["dependencies"], "cyllama")
    compiled = _requirement(pyproject["tool"]["uv"]["override-dependencies"], "llama-cpp-python")
    assert cyllama.marker is not None and compiled.marker is not None
    environment = PLATFORMS[platform]
    installed = {
        "cyllama": cyllama.marker.evaluate(environment),
        "llama-cpp-python": compiled.marker.evaluate(environment),
    }
    assert sum(installed.values()) == 1, installed
    assert installed["cyllama"] == (platform == "linux x86-64")


def test_the_uv_install_finds_the_wheels_pip_is_pointed_at(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "bench"))  # as run from bench/ (imports chat_models)
    import cold_install

    commands: list[tuple[tuple[str, ...], dict[str, str]]] = []

    def record(*command: str, env: dict[str, str]) -> float:
        commands.append((command, env))
        return 1.0

    monkeypatch.setattr(cold_install, "timed", record)
    monkeypatch.setenv("PIP_FIND_LINKS", "/opt/wheels")
    steps = cold_install.install(tmp_path, "uv", {})
    assert list(steps) == ["pip install uv", "uv pip install -e . (nothing compiled)"]
    (uv_command, uv_env) = commands[1]
    assert uv_command[:3] == (str(tmp_path / "bin" / "uv"), "pip", "install")
    assert "--no-cache" in uv_command
    assert uv_env == {"VIRTUAL_ENV": str(tmp_path), "UV_FIND_LINKS": "/opt/wheels"}
