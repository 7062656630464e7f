"""What bench/cold_install.py times: the README's first command, which compiles nothing where
cyllama installs, because `[tool.uv]` leaves llama-cpp-python out exactly there."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path
from types import ModuleType

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


@pytest.fixture
def cold_install(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(ROOT / "bench"))  # as run from bench/ (imports chat_models)
    import cold_install

    return cold_install


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


def test_the_readme_installs_the_torch_the_project_pins_then_the_rest_with_uv(
    cold_install: ModuleType,
) -> None:
    steps = cold_install.readme_command((ROOT / "README.md").read_text())
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    torch = _requirement(pyproject["project"]["dependencies"], "torch")
    (pip,) = [step for step in steps if step.startswith("pip install")]
    assert f"torch{torch.specifier}" in pip.split()
    assert steps[-1] == "uv pip install -e ."


@pytest.mark.parametrize(
    ("readme", "message"),
    [
        ("# Townsquare\n\n```bash\npip install -e . && townsquare demo\n```\n", "no <!-- demo"),
        (
            "<!-- demo-command -->\n```bash\npip install -e . && townsquare serve\n```\n",
            "does not end with 'townsquare demo'",
        ),
    ],
)
def test_a_readme_without_the_demo_command_is_refused(
    cold_install: ModuleType, readme: str, message: str
) -> None:
    with pytest.raises(SystemExit, match=message):
        cold_install.readme_command(readme)


def test_the_steps_share_one_shell_and_each_is_timed(
    cold_install: ModuleType, tmp_path: Path
) -> None:
    steps = ["export ACTIVATED=1", 'test "$ACTIVATED" = 1 && touch ran', "sleep 0.2"]
    seconds = cold_install.install(tmp_path, steps, {"PATH": "/usr/bin:/bin"})
    assert list(seconds) == steps
    assert (tmp_path / "ran").exists()
    assert seconds["sleep 0.2"] >= 0.2


def test_a_failing_step_stops_the_install(cold_install: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(subprocess.CalledProcessError):
        cold_install.install(tmp_path, ["false", "touch after"], {"PATH": "/usr/bin:/bin"})
    assert not (tmp_path / "after").exists()
